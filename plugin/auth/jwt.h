// Verifying the JSON Web Token a CDS Client sends in `Authorization: Bearer` (CDS Hooks 2.0
// "Trusting CDS Clients"): compact JWS parsing, base64url, ES384 / ES256 / RS384 signatures over
// public keys given as JWKs (no fetching of `jku`: keys come from configuration), and the time and
// audience claims checked against an injected "now". Every failure is Unauthenticated, with a
// message that names the problem but never echoes the token or a claim value.
// Owns: JwkPublicKey owns a reference on its OpenSSL EVP_PKEY; everything else is values.
// Thread-safety: pure functions; a JwkPublicKey is immutable and may verify from many threads.
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

typedef struct evp_pkey_st EVP_PKEY;

namespace steroid_advisor::plugin {

// RFC 4648 section 5, without padding (padding is tolerated on decode). std::nullopt for a
// character outside the alphabet or an impossible length.
std::optional<std::string> DecodeBase64Url(std::string_view text);
std::string EncodeBase64Url(std::string_view bytes);

struct JwtHeader {
  std::string alg;  // "ES384", "ES256", "RS384"; anything else is refused at verification
  std::string typ;  // "JWT" when sent
  std::string kid;  // selects the key in the issuer's JWK Set
  std::string jku;  // where the client publishes its JWK Set; informational only
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
  std::string signing_input;  // "<header>.<payload>" exactly as received
  std::string signature;      // decoded bytes
};

// Parses "<b64url header>.<b64url payload>.<b64url signature>". Unauthenticated when there are
// not exactly three segments, a segment is not base64url, the header or payload is not a JSON
// object, `alg` is missing, or a registered claim has the wrong JSON type.
StatusOr<Jwt> ParseJwt(std::string_view compact);

// A JwkPublicKey is one public key of a JWK Set, ready to verify signatures.
class JwkPublicKey {
 public:
  // Builds a key from one JWK object: {"kty":"EC","crv":"P-384"|"P-256","x","y"} or
  // {"kty":"RSA","n","e"}; "kid" and "alg" are kept when present. InvalidArgument (this is
  // configuration, not a client's credential) naming the member that is missing or unusable.
  static StatusOr<JwkPublicKey> FromJwk(const rapidjson::Value& jwk);

  const std::string& kid() const { return kid_; }
  // The JWS alg this key can verify: ES384 for P-384, ES256 for P-256, the JWK's "alg" (default
  // RS384) for RSA.
  const std::string& alg() const { return alg_; }

  // OK when `signature` is a valid `alg` signature of `signing_input` under this key. For ES*
  // the signature is the raw r||s of JWS (RFC 7518 section 3.4), converted to DER for OpenSSL.
  Status Verify(std::string_view alg, std::string_view signing_input,
                std::string_view signature) const;

 private:
  JwkPublicKey(std::shared_ptr<EVP_PKEY> key, std::string kid, std::string alg)
      : key_(std::move(key)), kid_(std::move(kid)), alg_(std::move(alg)) {}

  std::shared_ptr<EVP_PKEY> key_;  // never null
  std::string kid_;
  std::string alg_;
};

// Every key of a JWK Set `{"keys":[...]}`. InvalidArgument listing each unusable key by its path
// (`keys[2].x: ...`); an empty set is an error too (nothing could ever verify).
StatusOr<std::vector<JwkPublicKey>> ParseJwkSet(const rapidjson::Value& jwks);

// The clients this service trusts: `auth.trustedIssuers[]` of the service config.
struct TrustedIssuer {
  std::string iss;
  std::vector<JwkPublicKey> keys;
};

// The config's `auth.trustedIssuers` array, [{"iss": "...", "jwks": {"keys": [...]}}, ...], as
// fhir::FindArray(auth, "trustedIssuers") returns it (nullptr: "expected an array").
// InvalidArgument listing every problem, one per line, by path relative to the array
// ("[1].iss: required string", "[0].jwks: keys[2]: crv: expected P-384 or P-256"); an issuer
// listed twice is a problem too (which keys would win?). An empty array is valid.
StatusOr<std::vector<TrustedIssuer>> ParseTrustedIssuers(const rapidjson::Value* issuers);

struct JwtCheckOptions {
  std::string audience;                 // the service URL the client called; must be one of `aud`
  int64_t now_seconds = 0;              // injected clock, seconds since the epoch
  int64_t skew_seconds = 60;            // tolerated clock difference for exp / nbf / iat
  int64_t max_lifetime_seconds = 3600;  // exp may not be further than this after iat (or now)
};

// The claim checks of CDS Hooks 2.0: exp required and not passed (with skew), nbf not in the
// future, iat required and not in the future, jti present, `audience` among `aud`.
Status CheckJwtClaims(const JwtClaims& claims, const JwtCheckOptions& options);

// The whole check for one request: parse, find the issuer among `trusted` by `iss`, pick the key
// by `kid` (every key of that issuer whose alg matches when the token names none), verify the
// signature with the header's alg (never "none", never a mismatch with the key's alg), then
// CheckJwtClaims. Returns the claims for logging (iss, sub; never the token).
StatusOr<JwtClaims> VerifyJwt(std::string_view compact, const std::vector<TrustedIssuer>& trusted,
                              const JwtCheckOptions& options);

// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, surrounding
// spaces trimmed); std::nullopt for another scheme or an empty token.
std::optional<std::string_view> BearerToken(std::string_view authorization_header);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_AUTH_JWT_H_
