#include "plugin/auth/jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <utility>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"

namespace steroid_advisor::plugin {
namespace {

using fhir::FindMember;
using fhir::FindNumber;
using fhir::FindString;

// A JWT header or claim set is flat; anything deeper is not a token we sent for.
constexpr int kMaxJwtJsonDepth = 8;
// Refuse RSA keys too short to be trusted (NIST SP 800-131A).
constexpr int kMinRsaBits = 2048;

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;
struct ParamBldDeleter {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamDeleter {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* sig) const { ECDSA_SIG_free(sig); }
};

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// An EVP_PKEY built from OSSL_PARAMs of key type `type` ("EC", "RSA"); nullptr when OpenSSL
// refuses them (for EC this includes a point that is not on the curve).
std::shared_ptr<EVP_PKEY> KeyFromParams(const char* type, const OSSL_PARAM* params) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) !=
      1) {
    return nullptr;
  }
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

// A base64url member of a JWK, decoded; `problem` is set when it is absent or not base64url.
std::optional<std::string> DecodedMember(const rapidjson::Value& jwk, std::string_view name,
                                         std::string& problem) {
  std::optional<std::string_view> text = FindString(jwk, name);
  if (!text.has_value() || text->empty()) {
    problem = std::string(name) + ": required base64url string";
    return std::nullopt;
  }
  std::optional<std::string> bytes = DecodeBase64Url(*text);
  if (!bytes.has_value()) problem = std::string(name) + ": not base64url";
  return bytes;
}

struct EcCurve {
  std::string_view crv;     // JWK name
  const char* group;        // OpenSSL group name
  size_t coordinate_bytes;  // x, y, r and s are each this long
  std::string_view alg;     // the JWS alg bound to the curve
};
constexpr std::array<EcCurve, 2> kEcCurves = {{
    {"P-384", "secp384r1", 48, "ES384"},
    {"P-256", "prime256v1", 32, "ES256"},
}};

const EcCurve* CurveForAlg(std::string_view alg) {
  for (const EcCurve& curve : kEcCurves) {
    if (curve.alg == alg) return &curve;
  }
  return nullptr;
}

const EVP_MD* DigestForAlg(std::string_view alg) {
  if (alg == "ES384" || alg == "RS384") return EVP_sha384();
  if (alg == "ES256") return EVP_sha256();
  return nullptr;
}

// JWS ECDSA signatures are r||s, fixed width; OpenSSL verifies DER ECDSA-Sig-Value.
std::optional<std::string> RawEcdsaToDer(std::string_view raw, size_t coordinate_bytes) {
  if (raw.size() != 2 * coordinate_bytes) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BnPtr r(BN_bin2bn(bytes, static_cast<int>(coordinate_bytes), nullptr));
  BnPtr s(BN_bin2bn(bytes + coordinate_bytes, static_cast<int>(coordinate_bytes), nullptr));
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(ECDSA_SIG_new());
  if (r == nullptr || s == nullptr || sig == nullptr) return std::nullopt;
  if (ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  r.release();  // owned by sig now
  s.release();
  int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0) return std::nullopt;
  std::string der(static_cast<size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != length) return std::nullopt;
  return der;
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

StatusOr<rapidjson::Document> ParseSegmentJson(std::string_view segment, std::string_view name) {
  std::optional<std::string> text = DecodeBase64Url(segment);
  if (!text.has_value())
    return UnauthenticatedError("jwt " + std::string(name) + ": not base64url");
  rapidjson::Document document;
  if (!fhir::ParseJson(*text, kMaxJwtJsonDepth, document).ok() || !document.IsObject()) {
    return UnauthenticatedError("jwt " + std::string(name) + ": not a json object");
  }
  return document;
}

}  // namespace

std::optional<std::string> DecodeBase64Url(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  // A single leftover character carries 6 bits: no whole byte, so it is never valid.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value = Base64UrlValue(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::string EncodeBase64Url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
  return out;
}

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

  std::optional<std::string> signature = DecodeBase64Url(signature_segment);
  if (!signature.has_value()) return UnauthenticatedError("jwt signature: not base64url");
  jwt.signature = *std::move(signature);
  jwt.signing_input.assign(compact.data(), second_dot);
  return jwt;
}

StatusOr<JwkPublicKey> JwkPublicKey::FromJwk(const rapidjson::Value& jwk) {
  std::optional<std::string_view> kty = FindString(jwk, "kty");
  std::string kid;
  std::string alg;
  if (!ReadOptionalString(jwk, "kid", kid) || !ReadOptionalString(jwk, "alg", alg)) {
    return InvalidArgumentError("kid, alg: must be strings");
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
    std::optional<std::string> x = DecodedMember(jwk, "x", problem);
    std::optional<std::string> y = x ? DecodedMember(jwk, "y", problem) : std::nullopt;
    if (!x || !y) return InvalidArgumentError(problem);
    if (x->size() != curve->coordinate_bytes || y->size() != curve->coordinate_bytes) {
      return InvalidArgumentError("x, y: wrong length for " + std::string(curve->crv));
    }
    std::string point = "\x04" + *x + *y;  // SEC 1 uncompressed point
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> builder(OSSL_PARAM_BLD_new());
    if (builder == nullptr ||
        OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->group,
                                        0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1) {
      return InternalError("openssl: cannot build ec key parameters");
    }
    std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(builder.get()));
    std::shared_ptr<EVP_PKEY> key = params ? KeyFromParams("EC", params.get()) : nullptr;
    if (key == nullptr)
      return InvalidArgumentError("x, y: not a point on " + std::string(curve->crv));
    return JwkPublicKey(std::move(key), std::move(kid), std::string(curve->alg));
  }

  if (kty == "RSA") {
    if (alg.empty()) alg = "RS384";
    if (alg != "RS384") return InvalidArgumentError("alg: only RS384 is supported for RSA keys");
    std::optional<std::string> n = DecodedMember(jwk, "n", problem);
    std::optional<std::string> e = n ? DecodedMember(jwk, "e", problem) : std::nullopt;
    if (!n || !e) return InvalidArgumentError(problem);
    BnPtr modulus(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()),
                            static_cast<int>(n->size()), nullptr));
    BnPtr exponent(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()),
                             static_cast<int>(e->size()), nullptr));
    if (modulus == nullptr || exponent == nullptr) {
      return InternalError("openssl: cannot read rsa key numbers");
    }
    if (BN_num_bits(modulus.get()) < kMinRsaBits) {
      return InvalidArgumentError("n: rsa keys must have at least 2048 bits");
    }
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> builder(OSSL_PARAM_BLD_new());
    if (builder == nullptr ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
      return InternalError("openssl: cannot build rsa key parameters");
    }
    std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(builder.get()));
    std::shared_ptr<EVP_PKEY> key = params ? KeyFromParams("RSA", params.get()) : nullptr;
    if (key == nullptr) return InvalidArgumentError("n, e: not a usable rsa public key");
    return JwkPublicKey(std::move(key), std::move(kid), std::move(alg));
  }

  return InvalidArgumentError("kty: expected EC or RSA");
}

Status JwkPublicKey::Verify(std::string_view alg, std::string_view signing_input,
                            std::string_view signature) const {
  // The key decides the algorithm: a token may not downgrade it (RFC 8725 section 3.1).
  if (alg != alg_) return UnauthenticatedError("jwt: alg does not match the issuer's key");
  const EVP_MD* digest = DigestForAlg(alg);
  if (digest == nullptr) return UnauthenticatedError("jwt: unsupported alg");

  std::string der;
  std::string_view to_verify = signature;
  if (const EcCurve* curve = CurveForAlg(alg); curve != nullptr) {
    std::optional<std::string> converted = RawEcdsaToDer(signature, curve->coordinate_bytes);
    if (!converted.has_value()) return UnauthenticatedError("jwt signature: wrong length");
    der = *std::move(converted);
    to_verify = der;
  }

  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, key_.get()) != 1) {
    return InternalError("openssl: cannot start signature verification");
  }
  int verified = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(to_verify.data()), to_verify.size(),
      reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  if (verified != 1) return UnauthenticatedError("jwt signature: does not verify");
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
    if (!iss.has_value() || iss->empty()) add_problem(index, "iss: required string");
    if (jwks == nullptr) add_problem(index, "jwks: required object");
    for (const TrustedIssuer& earlier : parsed) {
      if (iss.has_value() && earlier.iss == *iss) add_problem(index, "iss: listed twice");
    }
    if (jwks != nullptr) {
      StatusOr<std::vector<JwkPublicKey>> keys = ParseJwkSet(*jwks);
      if (!keys.ok()) {
        // Keep one problem per line: every line of the key set's report gets this prefix.
        std::string_view report = keys.status().message();
        while (!report.empty()) {
          size_t end = report.find('\n');
          add_problem(index, "jwks: " + std::string(report.substr(0, end)));
          report = end == std::string_view::npos ? std::string_view() : report.substr(end + 1);
        }
      } else if (iss.has_value() && !iss->empty()) {
        parsed.push_back(TrustedIssuer{std::string(*iss), *std::move(keys)});
      }
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
  // A long-lived token is a replayable credential; CDS Hooks asks for minutes.
  if (*claims.exp - std::max(*claims.iat, now) > options.max_lifetime_seconds + skew) {
    return UnauthenticatedError("jwt: lifetime too long");
  }
  if (claims.jti.empty()) return UnauthenticatedError("jwt payload.jti: required");
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
  if (DigestForAlg(jwt.header.alg) == nullptr) {
    return UnauthenticatedError("jwt header.alg: expected ES384, ES256 or RS384");
  }
  if (jwt.claims.iss.empty()) return UnauthenticatedError("jwt payload.iss: required");
  const TrustedIssuer* issuer = nullptr;
  for (const TrustedIssuer& candidate : trusted) {
    if (candidate.iss == jwt.claims.iss) issuer = &candidate;
  }
  if (issuer == nullptr) return UnauthenticatedError("jwt: issuer is not trusted");

  bool key_found = false;
  for (const JwkPublicKey& key : issuer->keys) {
    if (!jwt.header.kid.empty() && key.kid() != jwt.header.kid) continue;
    if (key.alg() != jwt.header.alg) continue;
    key_found = true;
    if (key.Verify(jwt.header.alg, jwt.signing_input, jwt.signature).ok()) {
      RETURN_IF_ERROR(CheckJwtClaims(jwt.claims, options));
      return jwt.claims;
    }
  }
  if (!key_found) return UnauthenticatedError("jwt: no key of the issuer matches kid and alg");
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
