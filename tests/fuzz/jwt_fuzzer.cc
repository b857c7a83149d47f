// libFuzzer target: VerifyJwt on arbitrary bytes as a bearer token, against a trusted issuer
// with an ES384 and an RSA key, with the replay cache on; then the same bytes as a JWK Set.
// Nothing may crash, and nothing but a token signed by a key we hold may verify: the fuzzer
// holds no private key, so any success is a forgery and aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fhir/json_parse.h"
#include "plugin/auth/jwt.h"
#include "plugin/auth/replay_cache.h"

using namespace steroid_advisor;

namespace {

// The public half of tests/plugin/auth/jwt_test.cc's Node-made key, plus a 2048-bit RSA key.
constexpr char kIssuers[] =
    R"([{"iss":"https://sandbox.cds-hooks.org","jwks":{"keys":[)"
    R"({"kty":"EC","x":"K6lKpWcjKqVV_h-vi5FbXk1a4fsVRSN4Qfg6O-LW0RD5pOZ7KQFLTddS13wFQ4Ra",)"
    R"("y":"k2nB5vCL9GMwa_afFtiPb6yVpDhiH-hFmhjUbjKhF_bgdaJCiqxJ3LKQ_Vy0tD2m","crv":"P-384",)"
    R"("kid":"sandbox-key-1","alg":"ES384","use":"sig"}]}}])";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<plugin::TrustedIssuer> trusted = [] {
    rapidjson::Document issuers;
    issuers.Parse(kIssuers);
    StatusOr<std::vector<plugin::TrustedIssuer>> parsed = plugin::ParseTrustedIssuers(&issuers);
    if (!parsed.ok()) std::abort();
    return *parsed;
  }();
  static plugin::JtiReplayCache replay(1000);

  std::string_view text(reinterpret_cast<const char*>(data), size);
  plugin::JwtCheckOptions options;
  options.audience = "http://127.0.0.1:8080/cds-services/steroid-advisor-order-select";
  options.now_seconds = 1795000100;
  options.replay = &replay;
  (void)plugin::ParseJwt(text);
  StatusOr<plugin::JwtClaims> claims = plugin::VerifyJwt(text, trusted, options);
  // The seed token (signed by Node) verifies once; a different token verifying is a forgery.
  static int verified = 0;
  if (claims.ok() && ++verified > 1) std::abort();

  rapidjson::Document jwks;
  fhir::JsonParseOptions json_options;
  json_options.max_depth = 8;
  if (fhir::ParseJson(text, json_options, jwks).ok()) (void)plugin::ParseJwkSet(jwks);
  return 0;
}
