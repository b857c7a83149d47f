// Test helpers for plugin/auth/jwt.h: key pairs generated per test run that sign exactly as a CDS
// Client (the sandbox) does: compact JWS, raw r||s ECDSA signatures; the sandbox's claims.
#ifndef STEROID_ADVISOR_TESTS_PLUGIN_AUTH_JWT_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_PLUGIN_AUTH_JWT_TEST_UTIL_H_

#include <cjose/base64.h>
#include <cjose/util.h>
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/auth/jwt.h"

namespace steroid_advisor::plugin::jwt_testing {

// RFC 4648 base64url without padding (cjose's encoder), for building tokens by hand.
inline std::string EncodeBase64Url(std::string_view bytes) {
  char* text = nullptr;
  size_t length = 0;
  cjose_err err;
  EXPECT_TRUE(cjose_base64url_encode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                     &text, &length, &err));
  std::string out(text == nullptr ? "" : text, length);
  cjose_get_dealloc()(text);
  return out;
}

inline constexpr char kAudience[] =
    "https://cds.example.org/cds-services/steroid-advisor-order-select";
inline constexpr char kIssuer[] = "https://sandbox.cds-hooks.org";
inline constexpr int64_t kNow = 1795000000;  // 2026-11-18, any fixed instant works

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// A key pair generated with OpenSSL, able to sign like a client and to publish its JWK.
class TestKey {
 public:
  // alg: ES384, ES256 or RS384.
  explicit TestKey(std::string alg, std::string kid = "key-1")
      : alg_(std::move(alg)), kid_(std::move(kid)), key_(Generate(alg_)) {}

  const std::string& kid() const { return kid_; }

  // The public JWK as JSON text.
  std::string JwkJson() const {
    if (alg_ == "RS384") {
      return "{\"kty\":\"RSA\",\"kid\":\"" + kid_ + "\",\"alg\":\"RS384\",\"n\":\"" +
             EncodeBase64Url(BnParam(OSSL_PKEY_PARAM_RSA_N)) + "\",\"e\":\"" +
             EncodeBase64Url(BnParam(OSSL_PKEY_PARAM_RSA_E)) + "\"}";
    }
    unsigned char point[200];
    size_t length = 0;
    EXPECT_EQ(EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_PUB_KEY, point,
                                              sizeof(point), &length),
              1);
    size_t coordinate = (length - 1) / 2;  // 0x04 || x || y
    std::string bytes(reinterpret_cast<char*>(point), length);
    return "{\"kty\":\"EC\",\"kid\":\"" + kid_ + "\",\"crv\":\"" +
           (alg_ == "ES384" ? "P-384" : "P-256") + "\",\"x\":\"" +
           EncodeBase64Url(bytes.substr(1, coordinate)) + "\",\"y\":\"" +
           EncodeBase64Url(bytes.substr(1 + coordinate)) + "\"}";
  }

  // A compact JWS over `header_json`.`payload_json`.
  std::string Sign(const std::string& header_json, const std::string& payload_json) const {
    std::string input = EncodeBase64Url(header_json) + "." + EncodeBase64Url(payload_json);
    return input + "." + EncodeBase64Url(RawSignature(input));
  }

  std::string SignClaims(const std::string& payload_json) const {
    return Sign("{\"alg\":\"" + alg_ + "\",\"typ\":\"JWT\",\"kid\":\"" + kid_ +
                    "\",\"jku\":\"https://sandbox.cds-hooks.org/.well-known/jwks.json\"}",
                payload_json);
  }

  std::vector<JwkPublicKey> PublicKeys() const {
    rapidjson::Document jwk;
    jwk.Parse(JwkJson().c_str());
    StatusOr<JwkPublicKey> key = JwkPublicKey::FromJwk(jwk);
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    if (!key.ok()) return {};
    return {*key};
  }

 private:
  static PkeyPtr Generate(const std::string& alg) {
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, alg == "RS384" ? "RSA" : "EC", nullptr),
        EVP_PKEY_CTX_free);
    EVP_PKEY* key = nullptr;
    bool ok = ctx != nullptr && EVP_PKEY_keygen_init(ctx.get()) == 1;
    if (alg == "RS384") {
      ok = ok && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048) == 1;
    } else {
      ok = ok &&
           EVP_PKEY_CTX_set_group_name(ctx.get(), alg == "ES384" ? "secp384r1" : "prime256v1") == 1;
    }
    ok = ok && EVP_PKEY_keygen(ctx.get(), &key) == 1;
    EXPECT_TRUE(ok) << "key generation failed for " << alg;
    return PkeyPtr(key, EVP_PKEY_free);
  }

  std::string BnParam(const char* name) const {
    BIGNUM* bn = nullptr;
    EXPECT_EQ(EVP_PKEY_get_bn_param(key_.get(), name, &bn), 1);
    std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(bn);
    return bytes;
  }

  std::string RawSignature(const std::string& input) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    const EVP_MD* digest = alg_ == "ES256" ? EVP_sha256() : EVP_sha384();
    EXPECT_EQ(EVP_DigestSignInit(ctx.get(), nullptr, digest, nullptr, key_.get()), 1);
    size_t length = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    EXPECT_EQ(EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()), 1);
    std::string der(length, '\0');
    EXPECT_EQ(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &length, data,
                             input.size()),
              1);
    der.resize(length);
    if (alg_ == "RS384") return der;
    // DER ECDSA-Sig-Value -> JWS r||s, each left-padded to the coordinate size.
    const auto* der_bytes = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &der_bytes, static_cast<long>(der.size()));
    int coordinate = alg_ == "ES384" ? 48 : 32;
    std::string raw(2 * coordinate, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, coordinate);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + coordinate, coordinate);
    ECDSA_SIG_free(sig);
    return raw;
  }

  std::string alg_;
  std::string kid_;
  PkeyPtr key_;
};

// The claims the CDS Hooks sandbox sends (iss, sub, aud, exp, iat, jti); `aud` is JSON text.
inline std::string Claims(int64_t iat = kNow, int64_t exp = kNow + 300,
                          const std::string& aud = std::string("\"") + kAudience + "\"",
                          const std::string& iss = kIssuer) {
  return "{\"iss\":\"" + iss + "\",\"sub\":\"sandbox-client\",\"aud\":" + aud +
         ",\"exp\":" + std::to_string(exp) + ",\"iat\":" + std::to_string(iat) +
         ",\"jti\":\"6f1f2a8e-5c4b-4d0e-9b1a-2f6a1b7c9d10\"}";
}

inline JwtCheckOptions Options() {
  JwtCheckOptions options;
  options.audience = kAudience;
  options.now_seconds = kNow;
  options.skew_seconds = 60;
  return options;
}

inline std::vector<TrustedIssuer> Trust(const TestKey& key, const std::string& iss = kIssuer) {
  return {TrustedIssuer{iss, key.PublicKeys(), {}}};
}

}  // namespace steroid_advisor::plugin::jwt_testing

#endif  // STEROID_ADVISOR_TESTS_PLUGIN_AUTH_JWT_TEST_UTIL_H_
