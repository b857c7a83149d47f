#include "plugin/auth/jwt.h"

#include <cjose/base64.h>
#include <cjose/jwk.h>
#include <cjose/jws.h>
#include <cjose/util.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <utility>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "plugin/auth/replay_cache.h"

namespace steroid_advisor::plugin {
namespace {

using fhir::FindMember;
using fhir::FindNumber;
using fhir::FindString;

// A JWT header or claim set is flat; anything deeper is not a token we sent for.
constexpr int kMaxJwtJsonDepth = 8;
// Refuse RSA keys too short to be trusted (NIST SP 800-131A).
constexpr size_t kMinRsaBits = 2048;
// A jti is remembered for the token's lifetime: bound what one costs.
constexpr size_t kMaxJtiBytes = 256;

struct EcCurve {
  std::string_view crv;     // JWK name
  size_t coordinate_bytes;  // x, y, r and s are each this long
  std::string_view alg;     // the JWS alg bound to the curve
};
constexpr EcCurve kEcCurves[] = {
    {"P-384", 48, "ES384"},
    {"P-256", 32, "ES256"},
};

bool IsSupportedAlg(std::string_view alg) {
  return alg == "ES384" || alg == "ES256" || alg == "RS384";
}

// RFC 7515 section 2: base64url without padding, nothing else.
bool IsBase64UrlText(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

std::optional<std::string> DecodeSegment(std::string_view segment) {
  if (!IsBase64UrlText(segment)) return std::nullopt;
  if (segment.empty()) return std::string();
  uint8_t* bytes = nullptr;
  size_t length = 0;
  cjose_err err;
  if (!cjose_base64url_decode(segment.data(), segment.size(), &bytes, &length, &err)) {
    return std::nullopt;
  }
  std::string out(reinterpret_cast<const char*>(bytes), length);
  cjose_get_dealloc()(bytes);
  return out;
}

// Reads a string member into `out`. False when present with another type.
bool ReadOptionalString(const rapidjson::Value& object, std::string_view name, std::string& out) {
  if (FindMember(object, name) == nullptr) return true;
  std::optional<std::string_view> value = FindString(object, name);
  if (!value.has_value()) return false;
  out.assign(value->data(), value->size());
  return true;
}

// NumericDate (RFC 7519): seconds, possibly fractional; truncated. False when present with
// another type or out of range.
bool ReadOptionalTime(const rapidjson::Value& object, std::string_view name,
                      std::optional<int64_t>& out) {
  if (FindMember(object, name) == nullptr) return true;
  std::optional<double> value = FindNumber(object, name);
  if (!value.has_value() || !std::isfinite(*value) || std::fabs(*value) > 1e15) return false;
  out = static_cast<int64_t>(*value);
  return true;
}

// One JSON object and nothing else; a member named twice is refused, so that no other parser
// (cjose's jansson keeps the last, RapidJSON finds the first) can read this token differently.
StatusOr<rapidjson::Document> ParseSegmentJson(std::string_view segment, std::string_view name) {
  std::optional<std::string> text = DecodeSegment(segment);
  if (!text.has_value()) {
    return UnauthenticatedError("jwt " + std::string(name) + ": not base64url");
  }
  fhir::JsonParseOptions options;
  options.max_depth = kMaxJwtJsonDepth;
  options.reject_duplicate_members = true;
  rapidjson::Document document;
  Status parsed = fhir::ParseJson(*text, options, document);
  if (!parsed.ok() && parsed.message().rfind("duplicate member", 0) == 0) {
    return UnauthenticatedError("jwt " + std::string(name) + ": a member is named twice");
  }
  if (!parsed.ok() || !document.IsObject()) {
    return UnauthenticatedError("jwt " + std::string(name) + ": not a json object");
  }
  return document;
}

// A required, non-empty string member of a JWK; `problem` names it otherwise.
bool HasStringMember(const rapidjson::Value& jwk, std::string_view name, std::string& problem) {
  std::optional<std::string_view> text = FindString(jwk, name);
  if (!text.has_value() || text->empty()) {
    problem = std::string(name) + ": required base64url string";
    return false;
  }
  if (!IsBase64UrlText(*text)) {
    problem = std::string(name) + ": not base64url";
    return false;
  }
  return true;
}

// cjose imports a JWK built here from the members already checked, never the text as given:
// with a member named twice cjose (jansson) would read the other copy, and its base64url
// decoder asserts, aborting the process, on a misplaced '=' (found by tests/fuzz/jwt_fuzzer).
std::shared_ptr<cjose_jwk_t> ImportJwk(const rapidjson::Value& jwk,
                                       std::initializer_list<const char*> members) {
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> writer(text);
  writer.StartObject();
  for (const char* name : members) {
    std::string_view value = FindString(jwk, name).value_or("");
    writer.Key(name);
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  writer.EndObject();
  cjose_err err;
  cjose_jwk_t* key = cjose_jwk_import(text.GetString(), text.GetSize(), &err);
  if (key == nullptr) return nullptr;
  return std::shared_ptr<cjose_jwk_t>(key, [](cjose_jwk_t* k) { cjose_jwk_release(k); });
}

}  // namespace

StatusOr<Jwt> ParseJwt(std::string_view compact) {
  size_t first_dot = compact.find('.');
  size_t second_dot =
      first_dot == std::string_view::npos ? first_dot : compact.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos ||
      compact.find('.', second_dot + 1) != std::string_view::npos) {
    return UnauthenticatedError("jwt: expected three dot-separated segments");
  }
  std::string_view header_segment = compact.substr(0, first_dot);
  std::string_view payload_segment = compact.substr(first_dot + 1, second_dot - first_dot - 1);
  std::string_view signature_segment = compact.substr(second_dot + 1);
  if (header_segment.empty() || payload_segment.empty()) {
    return UnauthenticatedError("jwt: empty header or payload segment");
  }

  Jwt jwt;
  ASSIGN_OR_RETURN(rapidjson::Document header, ParseSegmentJson(header_segment, "header"));
  std::optional<std::string_view> alg = FindString(header, "alg");
  if (!alg.has_value() || alg->empty()) return UnauthenticatedError("jwt header.alg: required");
  jwt.header.alg.assign(alg->data(), alg->size());
  if (!ReadOptionalString(header, "typ", jwt.header.typ) ||
      !ReadOptionalString(header, "kid", jwt.header.kid) ||
      !ReadOptionalString(header, "jku", jwt.header.jku)) {
    return UnauthenticatedError("jwt header: typ, kid and jku must be strings");
  }
  // RFC 7515 section 4.1.11: a recipient that does not understand a critical extension must
  // refuse the JWS. This verifier understands none, and an empty or malformed crit is invalid.
  if (FindMember(header, "crit") != nullptr) {
    return UnauthenticatedError("jwt header.crit: no critical extension is supported");
  }

  ASSIGN_OR_RETURN(rapidjson::Document payload, ParseSegmentJson(payload_segment, "payload"));
  JwtClaims& claims = jwt.claims;
  if (!ReadOptionalString(payload, "iss", claims.iss) ||
      !ReadOptionalString(payload, "sub", claims.sub) ||
      !ReadOptionalString(payload, "jti", claims.jti) ||
      !ReadOptionalString(payload, "tenant", claims.tenant)) {
    return UnauthenticatedError("jwt payload: iss, sub, jti and tenant must be strings");
  }
  if (!ReadOptionalTime(payload, "exp", claims.exp) ||
      !ReadOptionalTime(payload, "nbf", claims.nbf) ||
      !ReadOptionalTime(payload, "iat", claims.iat)) {
    return UnauthenticatedError("jwt payload: exp, nbf and iat must be numbers of seconds");
  }
  if (const rapidjson::Value* aud = FindMember(payload, "aud"); aud != nullptr) {
    if (std::optional<std::string_view> single = fhir::AsString(*aud); single.has_value()) {
      claims.aud.emplace_back(*single);
    } else if (const rapidjson::Value* audiences = fhir::FindArray(payload, "aud")) {
      for (const rapidjson::Value& element : fhir::ArrayView(audiences)) {
        std::optional<std::string_view> value = fhir::AsString(element);
        if (!value.has_value()) return UnauthenticatedError("jwt payload.aud: expected strings");
        claims.aud.emplace_back(*value);
      }
    } else {
      return UnauthenticatedError("jwt payload.aud: expected a string or an array of strings");
    }
  }

  std::optional<std::string> signature = DecodeSegment(signature_segment);
  if (!signature.has_value()) return UnauthenticatedError("jwt signature: not base64url");
  jwt.signature = *std::move(signature);
  jwt.signing_input.assign(compact.data(), second_dot);
  jwt.compact.assign(compact.data(), compact.size());
  return jwt;
}

StatusOr<JwkPublicKey> JwkPublicKey::FromJwk(const rapidjson::Value& jwk) {
  if (!jwk.IsObject()) return InvalidArgumentError("expected an object");
  std::optional<std::string_view> kty = FindString(jwk, "kty");
  std::string kid;
  std::string alg;
  if (!ReadOptionalString(jwk, "kid", kid) || !ReadOptionalString(jwk, "alg", alg)) {
    return InvalidArgumentError("kid, alg: must be strings");
  }
  if (kty != "EC" && kty != "RSA") return InvalidArgumentError("kty: expected EC or RSA");
  // A trust list holds public keys; a private one pasted here is a leak, not a key to use.
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
    if (FindMember(jwk, secret) != nullptr) {
      return InvalidArgumentError(std::string(secret) + ": private key members are not accepted");
    }
  }
  std::string problem;

  if (kty == "EC") {
    std::optional<std::string_view> crv = FindString(jwk, "crv");
    const EcCurve* curve = nullptr;
    for (const EcCurve& candidate : kEcCurves) {
      if (crv == candidate.crv) curve = &candidate;
    }
    if (curve == nullptr) return InvalidArgumentError("crv: expected P-384 or P-256");
    if (!alg.empty() && alg != curve->alg) {
      return InvalidArgumentError("alg: does not match crv " + std::string(curve->crv));
    }
    if (!HasStringMember(jwk, "x", problem) || !HasStringMember(jwk, "y", problem)) {
      return InvalidArgumentError(problem);
    }
    // RFC 7518 section 6.2.1.2: full-length coordinates, in unpadded base64url characters.
    const size_t coordinate_chars = (curve->coordinate_bytes * 8 + 5) / 6;
    if (FindString(jwk, "x")->size() != coordinate_chars ||
        FindString(jwk, "y")->size() != coordinate_chars) {
      return InvalidArgumentError("x, y: wrong length for " + std::string(curve->crv));
    }
    std::shared_ptr<cjose_jwk_t> key = ImportJwk(jwk, {"kty", "crv", "x", "y"});
    cjose_err err;
    if (key == nullptr || cjose_jwk_get_kty(key.get(), &err) != CJOSE_JWK_KTY_EC) {
      return InvalidArgumentError("x, y: not a point on " + std::string(curve->crv));
    }
    return JwkPublicKey(std::move(key), std::move(kid), std::string(curve->alg));
  }

  if (kty == "RSA") {
    if (alg.empty()) alg = "RS384";
    if (alg != "RS384") return InvalidArgumentError("alg: only RS384 is supported for RSA keys");
    if (!HasStringMember(jwk, "n", problem) || !HasStringMember(jwk, "e", problem)) {
      return InvalidArgumentError(problem);
    }
    std::shared_ptr<cjose_jwk_t> key = ImportJwk(jwk, {"kty", "n", "e"});
    cjose_err err;
    if (key == nullptr || cjose_jwk_get_kty(key.get(), &err) != CJOSE_JWK_KTY_RSA) {
      return InvalidArgumentError("n, e: not a usable rsa public key");
    }
    if (cjose_jwk_get_keysize(key.get(), &err) < kMinRsaBits) {
      return InvalidArgumentError("n: rsa keys must have at least 2048 bits");
    }
    return JwkPublicKey(std::move(key), std::move(kid), std::move(alg));
  }

  return InvalidArgumentError("kty: expected EC or RSA");
}

Status JwkPublicKey::Verify(const Jwt& jwt) const {
  // The key decides the algorithm: a token may not downgrade it (RFC 8725 section 3.1).
  if (jwt.header.alg != alg_) return UnauthenticatedError("jwt: alg does not match the key");
  // JWS ECDSA signatures are r||s of exactly twice the coordinate size (RFC 7518 section 3.4);
  // cjose splits whatever it gets in half, so the length is checked here.
  for (const EcCurve& curve : kEcCurves) {
    if (curve.alg == alg_ && jwt.signature.size() != 2 * curve.coordinate_bytes) {
      return UnauthenticatedError("jwt signature: wrong length");
    }
  }
  cjose_err err;
  std::unique_ptr<cjose_jws_t, void (*)(cjose_jws_t*)> jws(
      cjose_jws_import(jwt.compact.data(), jwt.compact.size(), &err), cjose_jws_release);
  if (jws == nullptr || !cjose_jws_verify(jws.get(), key_.get(), &err)) {
    return UnauthenticatedError("jwt signature: does not verify");
  }
  return OkStatus();
}

StatusOr<std::vector<JwkPublicKey>> ParseJwkSet(const rapidjson::Value& jwks) {
  const rapidjson::Value* keys = fhir::FindArray(jwks, "keys");
  if (keys == nullptr) return InvalidArgumentError("keys: required array");
  std::vector<JwkPublicKey> parsed;
  std::string problems;
  size_t index = 0;
  for (const rapidjson::Value& jwk : fhir::ArrayView(keys)) {
    StatusOr<JwkPublicKey> key = JwkPublicKey::FromJwk(jwk);
    if (key.ok()) {
      parsed.push_back(*std::move(key));
    } else {
      if (!problems.empty()) problems += "\n";
      problems += "keys[" + std::to_string(index) + "]: " + key.status().message();
    }
    ++index;
  }
  if (!problems.empty()) return InvalidArgumentError(problems);
  if (parsed.empty()) return InvalidArgumentError("keys: empty");
  return parsed;
}

bool IsAllowedJkuUrl(std::string_view url) {
  constexpr std::string_view kHttps = "https://";
  constexpr std::string_view kHttp = "http://";
  bool https = url.rfind(kHttps, 0) == 0;
  if (!https && url.rfind(kHttp, 0) != 0) return false;
  std::string_view rest = url.substr(https ? kHttps.size() : kHttp.size());
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  // No user info: "http://localhost:80@evil.example" names evil.example.
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  if (https) return true;
  // Loopback only (tests): 127.0.0.1, localhost or [::1], with or without a numeric port.
  for (std::string_view host : {"127.0.0.1", "localhost", "[::1]"}) {
    if (authority.rfind(host, 0) != 0) continue;
    std::string_view port = authority.substr(host.size());
    if (port.empty()) return true;
    if (port.front() == ':' && port.size() > 1 &&
        std::all_of(port.begin() + 1, port.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      return true;
    }
  }
  return false;
}

StatusOr<std::vector<TrustedIssuer>> ParseTrustedIssuers(const rapidjson::Value* issuers) {
  if (issuers == nullptr) return InvalidArgumentError("expected an array");
  std::vector<TrustedIssuer> parsed;
  std::string problems;
  auto add_problem = [&problems](size_t index, std::string_view what) {
    if (!problems.empty()) problems += "\n";
    problems += "[" + std::to_string(index) + "]." + std::string(what);
  };
  size_t index = 0;
  for (const rapidjson::Value& entry : fhir::ArrayView(issuers)) {
    std::optional<std::string_view> iss = FindString(entry, "iss");
    const rapidjson::Value* jwks = fhir::FindObject(entry, "jwks");
    const rapidjson::Value* jku = FindMember(entry, "jku");
    if (!iss.has_value() || iss->empty()) add_problem(index, "iss: required string");
    if (jwks == nullptr && (jku == nullptr || FindMember(entry, "jwks") != nullptr)) {
      add_problem(index, "jwks: required object");
    }
    for (const TrustedIssuer& earlier : parsed) {
      if (iss.has_value() && earlier.iss == *iss) add_problem(index, "iss: listed twice");
    }
    TrustedIssuer issuer;
    bool usable = iss.has_value() && !iss->empty();
    if (jku != nullptr) {
      const rapidjson::Value* urls = fhir::FindArray(entry, "jku");
      if (urls == nullptr || urls->Empty()) {
        add_problem(index, "jku: expected a non-empty array of URLs");
        usable = false;
      } else {
        size_t url_index = 0;
        for (const rapidjson::Value& url : fhir::ArrayView(urls)) {
          std::optional<std::string_view> text = fhir::AsString(url);
          if (!text.has_value() || !IsAllowedJkuUrl(*text)) {
            add_problem(index, "jku[" + std::to_string(url_index) +
                                   "]: expected an https URL (or http on loopback)");
            usable = false;
          } else {
            issuer.jku.emplace_back(*text);
          }
          ++url_index;
        }
      }
    }
    if (jwks != nullptr) {
      StatusOr<std::vector<JwkPublicKey>> keys = ParseJwkSet(*jwks);
      if (!keys.ok()) {
        usable = false;
        // Keep one problem per line: every line of the key set's report gets this prefix.
        std::string_view report = keys.status().message();
        while (!report.empty()) {
          size_t end = report.find('\n');
          add_problem(index, "jwks: " + std::string(report.substr(0, end)));
          report = end == std::string_view::npos ? std::string_view() : report.substr(end + 1);
        }
      } else {
        issuer.keys = *std::move(keys);
      }
    }
    if (usable && (jwks != nullptr || !issuer.jku.empty())) {
      issuer.iss = std::string(*iss);
      parsed.push_back(std::move(issuer));
    }
    ++index;
  }
  if (!problems.empty()) return InvalidArgumentError(problems);
  return parsed;
}

Status CheckJwtClaims(const JwtClaims& claims, const JwtCheckOptions& options) {
  const int64_t now = options.now_seconds;
  const int64_t skew = options.skew_seconds;
  if (!claims.exp.has_value()) return UnauthenticatedError("jwt payload.exp: required");
  if (*claims.exp + skew <= now) return UnauthenticatedError("jwt: expired");
  if (!claims.iat.has_value()) return UnauthenticatedError("jwt payload.iat: required");
  if (*claims.iat - skew > now) return UnauthenticatedError("jwt: issued in the future");
  if (claims.nbf.has_value() && *claims.nbf - skew > now) {
    return UnauthenticatedError("jwt: not valid yet");
  }
  // A long-lived token is a replayable credential; CDS Hooks asks for minutes. Both ends are
  // the issuer's clock, so no skew: exp - iat is what the issuer meant the lifetime to be.
  if (*claims.exp <= *claims.iat) return UnauthenticatedError("jwt: exp is not after iat");
  if (*claims.exp - *claims.iat > options.max_lifetime_seconds) {
    return UnauthenticatedError("jwt: lifetime (exp - iat) too long");
  }
  if (claims.jti.empty()) return UnauthenticatedError("jwt payload.jti: required");
  if (claims.jti.size() > kMaxJtiBytes) return UnauthenticatedError("jwt payload.jti: too long");
  bool audience_matches = false;
  for (const std::string& aud : claims.aud) {
    if (aud == options.audience) audience_matches = true;
  }
  if (!audience_matches) return UnauthenticatedError("jwt: aud does not name this service");
  return OkStatus();
}

StatusOr<JwtClaims> VerifyJwt(std::string_view compact, const std::vector<TrustedIssuer>& trusted,
                              const JwtCheckOptions& options) {
  ASSIGN_OR_RETURN(Jwt jwt, ParseJwt(compact));
  if (!IsSupportedAlg(jwt.header.alg)) {
    return UnauthenticatedError("jwt header.alg: expected ES384, ES256 or RS384");
  }
  if (jwt.claims.iss.empty()) return UnauthenticatedError("jwt payload.iss: required");
  const TrustedIssuer* issuer = nullptr;
  for (const TrustedIssuer& candidate : trusted) {
    if (candidate.iss == jwt.claims.iss) issuer = &candidate;
  }
  if (issuer == nullptr) return UnauthenticatedError("jwt: issuer is not trusted");

  // The keys this token may be checked against: the configured ones, plus those published at
  // its jku when (and only when) the issuer allowlists that exact URL. An issuer without a jku
  // allowlist keeps today's behaviour: the header's jku is informational.
  std::vector<const JwkPublicKey*> keys;
  for (const JwkPublicKey& key : issuer->keys) keys.push_back(&key);
  std::shared_ptr<const std::vector<JwkPublicKey>> fetched;
  bool from_jku = false;
  if (!issuer->jku.empty() && !jwt.header.jku.empty()) {
    if (std::find(issuer->jku.begin(), issuer->jku.end(), jwt.header.jku) == issuer->jku.end()) {
      return UnauthenticatedError("jwt header.jku: not allowlisted for the issuer");
    }
    if (options.jwks != nullptr) fetched = options.jwks->Keys(jwt.header.jku);
    if (fetched == nullptr && keys.empty()) {
      return UnauthenticatedError("jwt: key not yet available, retry shortly");
    }
    if (fetched != nullptr) {
      from_jku = true;
      for (const JwkPublicKey& key : *fetched) keys.push_back(&key);
    }
  } else if (!issuer->jku.empty() && keys.empty()) {
    return UnauthenticatedError("jwt header.jku: required by the issuer");
  }

  bool key_found = false;
  for (const JwkPublicKey* key : keys) {
    if (!jwt.header.kid.empty() && key->kid() != jwt.header.kid) continue;
    if (key->alg() != jwt.header.alg) continue;
    key_found = true;
    if (key->Verify(jwt).ok()) {
      RETURN_IF_ERROR(CheckJwtClaims(jwt.claims, options));
      if (options.replay != nullptr) {
        // Until exp plus skew the token would still pass: that long the jti is remembered.
        RETURN_IF_ERROR(options.replay->Accept(jwt.claims.iss, jwt.claims.jti,
                                               *jwt.claims.exp + options.skew_seconds,
                                               options.now_seconds));
      }
      return jwt.claims;
    }
  }
  if (!key_found) {
    if (from_jku && !jwt.header.kid.empty()) {
      // Maybe the issuer rotated: look again (rate-limited), answer now.
      options.jwks->KidNotFound(jwt.header.jku);
      return UnauthenticatedError("jwt: key not yet available, retry shortly");
    }
    return UnauthenticatedError("jwt: no key of the issuer matches kid and alg");
  }
  return UnauthenticatedError("jwt signature: does not verify");
}

std::optional<std::string_view> BearerToken(std::string_view authorization_header) {
  constexpr std::string_view kScheme = "bearer ";
  while (!authorization_header.empty() && authorization_header.front() == ' ') {
    authorization_header.remove_prefix(1);
  }
  if (authorization_header.size() < kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization_header[i])) != kScheme[i]) {
      return std::nullopt;
    }
  }
  std::string_view token = authorization_header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace steroid_advisor::plugin
