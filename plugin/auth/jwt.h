// Verifying the JSON Web Token a CDS Client sends in `Authorization: Bearer` (CDS Hooks 2.0
// "Trusting CDS Clients"). cjose does the JOSE mechanics (base64url, JWK import, JWS signature
// verification over OpenSSL); the policy is ours: strict parsing of header and claims (no member
// named twice, no unknown `crit`, nothing after the JSON), ES384 / ES256 / RS384 only, the key
// decides the alg, time claims with skew and a maximum lifetime, audience, issuer, `jku` only
// from the issuer's allowlist, and one use per `jti`. Every failure is Unauthenticated, with a
// message that names the problem but never echoes the token or a claim value.
// Owns: JwkPublicKey shares a reference on its cjose key; everything else is values.
// Thread-safety: ParseJwt, CheckJwtClaims and VerifyJwt are safe from many threads; a
// JwkPublicKey is immutable; JwtCheckOptions' caches are thread-safe (their headers say so).
#ifndef STEROID_ADVISOR_PLUGIN_AUTH_JWT_H_
#define STEROID_ADVISOR_PLUGIN_AUTH_JWT_H_

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/status.h"

typedef struct _cjose_jwk_int cjose_jwk_t;

namespace steroid_advisor::plugin {

struct JwtHeader {
  std::string alg;  // "ES384", "ES256", "RS384"; anything else is refused at verification
  std::string typ;  // "JWT" when sent
  std::string kid;  // selects the key in the issuer's JWK Set
  std::string jku;  // the client's JWK Set URL; used only when the issuer allowlists it
};

struct JwtClaims {
  std::string iss;
  std::string sub;
  std::string jti;
  std::string tenant;
  std::vector<std::string> aud;  // a single string `aud` becomes one element
  std::optional<int64_t> exp;    // seconds since the epoch
  std::optional<int64_t> nbf;
  std::optional<int64_t> iat;
};

// A parsed, not yet verified, compact JWS.
struct Jwt {
  JwtHeader header;
  JwtClaims claims;
  std::string compact;        // the token as received, for the signature check
  std::string signing_input;  // "<header>.<payload>" exactly as received
  std::string signature;      // decoded bytes
};

// Parses "<b64url header>.<b64url payload>.<b64url signature>". Unauthenticated when there are
// not exactly three segments, a segment is not unpadded base64url, the header or payload is not
// exactly one JSON object (trailing data, a member named twice anywhere), `alg` is missing, the
// header has a `crit` (no extension is understood here: RFC 7515 section 4.1.11), or a
// registered header parameter or claim has the wrong JSON type.
StatusOr<Jwt> ParseJwt(std::string_view compact);

// A JwkPublicKey is one public key of a JWK Set, ready to verify signatures.
class JwkPublicKey {
 public:
  // Builds a key from one JWK object: {"kty":"EC","crv":"P-384"|"P-256","x","y"} or
  // {"kty":"RSA","n","e"} (at least 2048 bits); "kid" and "alg" are kept when present; private
  // members are refused. InvalidArgument (configuration or a fetched JWK Set, not a client's
  // credential) naming the member that is missing or unusable.
  static StatusOr<JwkPublicKey> FromJwk(const rapidjson::Value& jwk);

  const std::string& kid() const { return kid_; }
  // The JWS alg this key can verify: ES384 for P-384, ES256 for P-256, RS384 for RSA.
  const std::string& alg() const { return alg_; }

  // OK when `jwt` carries a valid signature under this key with this key's alg.
  Status Verify(const Jwt& jwt) const;

 private:
  JwkPublicKey(std::shared_ptr<cjose_jwk_t> key, std::string kid, std::string alg)
      : key_(std::move(key)), kid_(std::move(kid)), alg_(std::move(alg)) {}

  std::shared_ptr<cjose_jwk_t> key_;  // never null
  std::string kid_;
  std::string alg_;
};

// Every key of a JWK Set `{"keys":[...]}`. InvalidArgument listing each unusable key by its path
// (`keys[2].x: ...`); an empty set is an error too (nothing could ever verify).
StatusOr<std::vector<JwkPublicKey>> ParseJwkSet(const rapidjson::Value& jwks);

// The clients this service trusts: `auth.trustedIssuers[]` of the service config.
struct TrustedIssuer {
  std::string iss;
  std::vector<JwkPublicKey> keys;  // "jwks": keys given in the config
  // "jku": the JWK Set URLs this issuer publishes its keys at (https, or http on loopback).
  // When not empty, a token's `jku` must be one of them (else 401, nothing fetched); when empty,
  // a token's `jku` is ignored and only `keys` count.
  std::vector<std::string> jku;
};

// The config's `auth.trustedIssuers` array, [{"iss": "...", "jwks": {"keys": [...]},
// "jku": ["https://..."]}, ...] (jwks, jku or both), as fhir::FindArray(auth,
// "trustedIssuers") returns it (nullptr: "expected an array"). InvalidArgument listing every
// problem, one per line, by path relative to the array ("[1].iss: required string",
// "[0].jwks: keys[2]: crv: expected P-384 or P-256"); an issuer listed twice is a problem too
// (which keys would win?). An empty array is valid.
StatusOr<std::vector<TrustedIssuer>> ParseTrustedIssuers(const rapidjson::Value* issuers);

// True for a URL a JWK Set may be fetched from: https, or http to a loopback host (tests).
bool IsAllowedJkuUrl(std::string_view url);

// Where keys published at a `jku` URL come from (plugin/auth/jwks_cache.h fetches them).
// Implementations are thread-safe and never block on the network.
class JwksSource {
 public:
  virtual ~JwksSource() = default;
  // The keys last fetched from `url`; nullptr when there are none yet (a fetch is then started).
  virtual std::shared_ptr<const std::vector<JwkPublicKey>> Keys(const std::string& url) = 0;
  // A token named a kid the cached set lacks: refetch soon (rate-limited).
  virtual void KidNotFound(const std::string& url) = 0;
};

class JtiReplayCache;

struct JwtCheckOptions {
  std::string audience;                 // the service URL the client called; must be one of `aud`
  int64_t now_seconds = 0;              // injected clock, seconds since the epoch
  int64_t skew_seconds = 60;            // tolerated clock difference for exp / nbf / iat
  int64_t max_lifetime_seconds = 3600;  // exp - iat may not exceed this
  // nullptr: no replay check. Otherwise each (iss, jti) is accepted once within its lifetime.
  JtiReplayCache* replay = nullptr;
  // nullptr: keys at `jku` URLs are never available (issuers' configured keys still are).
  JwksSource* jwks = nullptr;
};

// The claim checks of CDS Hooks 2.0: exp required and not passed (with skew), nbf not in the
// future, iat required and not in the future (with skew), exp after iat and exp - iat at most
// max_lifetime_seconds, jti present, `audience` among `aud`.
Status CheckJwtClaims(const JwtClaims& claims, const JwtCheckOptions& options);

// The whole check for one request: parse, find the issuer among `trusted` by `iss`, pick the key
// set (the issuer's configured keys, and those cached for the token's `jku` when the issuer
// allowlists it), pick the key by `kid` (every key of that issuer whose alg matches when the
// token names none), verify the signature with the header's alg (never "none", never a mismatch
// with the key's alg), CheckJwtClaims, then the replay check. Returns the claims for logging
// (iss, sub; never the token).
StatusOr<JwtClaims> VerifyJwt(std::string_view compact, const std::vector<TrustedIssuer>& trusted,
                              const JwtCheckOptions& options);

// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, surrounding
// spaces trimmed); std::nullopt for another scheme or an empty token.
std::optional<std::string_view> BearerToken(std::string_view authorization_header);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_AUTH_JWT_H_
