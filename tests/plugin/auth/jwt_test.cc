// Tests for plugin/auth/jwt.h: tokens are signed here with keys generated per test run, exactly as
// a CDS Client (the sandbox) signs them: compact JWS, raw r||s ECDSA signatures.
#include "plugin/auth/jwt.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <vector>

namespace steroid_advisor::plugin {
namespace {

constexpr char kAudience[] = "https://cds.example.org/cds-services/steroid-advisor-order-select";
constexpr char kIssuer[] = "https://sandbox.cds-hooks.org";
constexpr int64_t kNow = 1795000000;  // 2026-11-18, any fixed instant works

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// A key pair generated with OpenSSL, able to sign like a client and to publish its JWK.
class TestKey {
 public:
  // alg: ES384, ES256 or RS384.
  explicit TestKey(std::string alg, std::string kid = "key-1")
      : alg_(std::move(alg)), kid_(std::move(kid)), key_(Generate(alg_)) {}

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
std::string Claims(int64_t iat = kNow, int64_t exp = kNow + 300,
                   const std::string& aud = std::string("\"") + kAudience + "\"",
                   const std::string& iss = kIssuer) {
  return "{\"iss\":\"" + iss + "\",\"sub\":\"sandbox-client\",\"aud\":" + aud +
         ",\"exp\":" + std::to_string(exp) + ",\"iat\":" + std::to_string(iat) +
         ",\"jti\":\"6f1f2a8e-5c4b-4d0e-9b1a-2f6a1b7c9d10\"}";
}

JwtCheckOptions Options() {
  JwtCheckOptions options;
  options.audience = kAudience;
  options.now_seconds = kNow;
  options.skew_seconds = 60;
  return options;
}

std::vector<TrustedIssuer> Trust(const TestKey& key, const std::string& iss = kIssuer) {
  return {TrustedIssuer{iss, key.PublicKeys()}};
}

TEST(Jwt, ValidTokenVerifiesForEverySupportedAlg) {
  for (const char* alg : {"ES384", "ES256", "RS384"}) {
    SCOPED_TRACE(alg);
    TestKey key(alg);
    StatusOr<JwtClaims> claims = VerifyJwt(key.SignClaims(Claims()), Trust(key), Options());
    ASSERT_TRUE(claims.ok()) << claims.status().ToString();
    EXPECT_EQ(claims->iss, kIssuer);
    EXPECT_EQ(claims->sub, "sandbox-client");
    ASSERT_EQ(claims->aud.size(), 1u);
    EXPECT_EQ(claims->aud[0], kAudience);
  }
}

TEST(Jwt, ParseReadsTheSandboxHeader) {
  TestKey key("ES384", "sandbox-kid");
  StatusOr<Jwt> jwt = ParseJwt(key.SignClaims(Claims()));
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  EXPECT_EQ(jwt->header.alg, "ES384");
  EXPECT_EQ(jwt->header.typ, "JWT");
  EXPECT_EQ(jwt->header.kid, "sandbox-kid");
  EXPECT_EQ(jwt->header.jku, "https://sandbox.cds-hooks.org/.well-known/jwks.json");
  EXPECT_EQ(jwt->signature.size(), 96u);  // raw r||s for P-384
}

// A token and JWK Set made by Node's crypto (tests/conformance/client/lib/jwt.js, the client the
// conformance suite uses), so a signer we did not write verifies here too.
TEST(Jwt, TokenSignedByNodeCryptoVerifies) {
  constexpr char kNodeToken[] =
      "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6InNhbmRib3gta2V5LTEiLCJqa3UiOiJodHRwczovL3Nh"
      "bmRib3guY2RzLWhvb2tzLm9yZy8ud2VsbC1rbm93bi9qd2tzLmpzb24ifQ.eyJpc3MiOiJodHRwczovL3NhbmRi"
      "b3guY2RzLWhvb2tzLm9yZyIsInN1YiI6InN0ZXJvaWQtYWR2aXNvci1jb25mb3JtYW5jZS1jbGllbnQiLCJhdWQi"
      "OiJodHRwOi8vMTI3LjAuMC4xOjgwODAvY2RzLXNlcnZpY2VzL3N0ZXJvaWQtYWR2aXNvci1vcmRlci1zZWxlY3Qi"
      "LCJleHAiOjE3OTUwMDAzMDAsImlhdCI6MTc5NTAwMDAwMCwianRpIjoiODVkMTFhZWMtZmI4Yi00NjJlLTk3NzUt"
      "YWJlZWFlMzU2YTM5In0.lmJsm5nALl-neddB_e3x0EzUGGdc3PynY6jGV-Md2QaQumSguIoHEkThSo5hmRZqu7ZA"
      "auaEkMPkMSYNOD9Glm1Uer-FMWD5hjpUbBYQlUvnQnibt59ukZ6hkiU8suis";
  constexpr char kNodeJwks[] =
      R"({"keys":[{"kty":"EC","x":"K6lKpWcjKqVV_h-vi5FbXk1a4fsVRSN4Qfg6O-LW0RD5pOZ7KQFLTddS13wFQ4Ra",)"
      R"("y":"k2nB5vCL9GMwa_afFtiPb6yVpDhiH-hFmhjUbjKhF_bgdaJCiqxJ3LKQ_Vy0tD2m","crv":"P-384",)"
      R"("kid":"sandbox-key-1","alg":"ES384","use":"sig"}]})";
  rapidjson::Document jwks;
  jwks.Parse(kNodeJwks);
  StatusOr<std::vector<JwkPublicKey>> keys = ParseJwkSet(jwks);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  JwtCheckOptions options;
  options.audience = "http://127.0.0.1:8080/cds-services/steroid-advisor-order-select";
  options.now_seconds = 1795000100;
  StatusOr<JwtClaims> claims =
      VerifyJwt(kNodeToken, {TrustedIssuer{"https://sandbox.cds-hooks.org", *keys}}, options);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->sub, "steroid-advisor-conformance-client");
  options.now_seconds = 1795000000 + 300 + 61;  // past exp and the skew
  EXPECT_FALSE(
      VerifyJwt(kNodeToken, {TrustedIssuer{"https://sandbox.cds-hooks.org", *keys}}, options).ok());
}

TEST(Jwt, AudienceMayBeAnArrayThatNamesTheService) {
  TestKey key("ES384");
  std::string aud = std::string("[\"https://other.example\",\"") + kAudience + "\"]";
  StatusOr<JwtClaims> claims =
      VerifyJwt(key.SignClaims(Claims(kNow, kNow + 300, aud)), Trust(key), Options());
  EXPECT_TRUE(claims.ok()) << claims.status().ToString();
}

TEST(Jwt, TimeClaimsAreCheckedAgainstTheInjectedClockWithSkew) {
  struct Case {
    const char* name;
    int64_t iat;
    int64_t exp;
    bool valid;
  };
  const Case cases[] = {
      {"fresh", kNow, kNow + 300, true},
      {"expired long ago", kNow - 600, kNow - 300, false},
      {"expired within skew", kNow - 300, kNow - 30, true},
      {"expired just past skew", kNow - 300, kNow - 60, false},
      {"issued in the future beyond skew", kNow + 120, kNow + 400, false},
      {"issued slightly in the future", kNow + 30, kNow + 300, true},
      {"lifetime of a day", kNow, kNow + 86400, false},
  };
  TestKey key("ES384");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    StatusOr<JwtClaims> claims =
        VerifyJwt(key.SignClaims(Claims(c.iat, c.exp)), Trust(key), Options());
    EXPECT_EQ(claims.ok(), c.valid) << claims.status().ToString();
    if (!claims.ok()) {
      EXPECT_EQ(claims.status().code(), StatusCode::kUnauthenticated);
    }
  }
}

TEST(Jwt, NotBeforeInTheFutureIsRejected) {
  TestKey key("ES384");
  std::string payload = "{\"iss\":\"" + std::string(kIssuer) + "\",\"aud\":\"" + kAudience +
                        "\",\"exp\":" + std::to_string(kNow + 300) +
                        ",\"iat\":" + std::to_string(kNow) +
                        ",\"nbf\":" + std::to_string(kNow + 200) + ",\"jti\":\"j\"}";
  StatusOr<JwtClaims> claims = VerifyJwt(key.SignClaims(payload), Trust(key), Options());
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().message(), "jwt: not valid yet");
}

TEST(Jwt, MissingRequiredClaimsAreRejected) {
  TestKey key("ES384");
  const std::string aud = std::string("\"aud\":\"") + kAudience + "\"";
  const std::string iss = std::string("\"iss\":\"") + kIssuer + "\"";
  const std::string exp = "\"exp\":" + std::to_string(kNow + 300);
  const std::string iat = "\"iat\":" + std::to_string(kNow);
  struct Case {
    const char* name;
    std::string payload;
  };
  const Case cases[] = {
      {"no exp", "{" + iss + "," + aud + "," + iat + ",\"jti\":\"j\"}"},
      {"no iat", "{" + iss + "," + aud + "," + exp + ",\"jti\":\"j\"}"},
      {"no jti", "{" + iss + "," + aud + "," + exp + "," + iat + "}"},
      {"no aud", "{" + iss + "," + exp + "," + iat + ",\"jti\":\"j\"}"},
      {"no iss", "{" + aud + "," + exp + "," + iat + ",\"jti\":\"j\"}"},
      {"exp as a string", "{" + iss + "," + aud + ",\"exp\":\"soon\"," + iat + ",\"jti\":\"j\"}"},
      {"aud as a number", "{" + iss + ",\"aud\":7," + exp + "," + iat + ",\"jti\":\"j\"}"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    StatusOr<JwtClaims> claims = VerifyJwt(key.SignClaims(c.payload), Trust(key), Options());
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST(Jwt, WrongAudienceIsRejected) {
  TestKey key("ES384");
  StatusOr<JwtClaims> claims = VerifyJwt(
      key.SignClaims(Claims(kNow, kNow + 300, "\"https://cds.example.org/cds-services/other\"")),
      Trust(key), Options());
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(claims.status().message(), "jwt: aud does not name this service");
}

TEST(Jwt, TamperedPayloadIsRejected) {
  TestKey key("ES384");
  std::string token = key.SignClaims(Claims());
  size_t first = token.find('.');
  size_t second = token.find('.', first + 1);
  // Same header and signature, a payload naming another subject.
  std::string forged = token.substr(0, first + 1) +
                       EncodeBase64Url(Claims(kNow, kNow + 300).insert(1, "\"x\":1,")) +
                       token.substr(second);
  StatusOr<JwtClaims> claims = VerifyJwt(forged, Trust(key), Options());
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().message(), "jwt signature: does not verify");
}

TEST(Jwt, TamperedSignatureIsRejected) {
  TestKey key("ES384");
  std::string token = key.SignClaims(Claims());
  token.back() = token.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyJwt(token, Trust(key), Options()).ok());
}

TEST(Jwt, SignatureByAnotherKeyIsRejected) {
  for (const char* alg : {"ES384", "RS384"}) {
    SCOPED_TRACE(alg);
    TestKey trusted(alg);
    TestKey attacker(alg);
    StatusOr<JwtClaims> claims =
        VerifyJwt(attacker.SignClaims(Claims()), Trust(trusted), Options());
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST(Jwt, AlgNoneIsRejectedEvenWithoutASignature) {
  TestKey key("ES384");
  std::string token =
      EncodeBase64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + EncodeBase64Url(Claims()) + ".";
  StatusOr<JwtClaims> claims = VerifyJwt(token, Trust(key), Options());
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().code(), StatusCode::kUnauthenticated);
}

TEST(Jwt, AlgThatDoesNotMatchTheKeyIsRejected) {
  // An ES384 issuer key must not verify a token that claims ES256 or HS384 (alg confusion).
  TestKey es256("ES256", "key-1");
  TestKey es384("ES384", "key-1");
  EXPECT_FALSE(VerifyJwt(es256.SignClaims(Claims()), Trust(es384), Options()).ok());
  std::string hs = EncodeBase64Url("{\"alg\":\"HS384\",\"kid\":\"key-1\"}") + "." +
                   EncodeBase64Url(Claims()) + "." + EncodeBase64Url("mac");
  EXPECT_FALSE(VerifyJwt(hs, Trust(es384), Options()).ok());
}

TEST(Jwt, UntrustedIssuerIsRejected) {
  TestKey key("ES384");
  StatusOr<JwtClaims> claims =
      VerifyJwt(key.SignClaims(Claims()), Trust(key, "https://someone-else.example"), Options());
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().message(), "jwt: issuer is not trusted");
}

TEST(Jwt, KidSelectsTheKeyAndAnUnknownKidIsRejected) {
  TestKey first("ES384", "first");
  TestKey second("ES384", "second");
  std::vector<TrustedIssuer> trusted = {TrustedIssuer{kIssuer, first.PublicKeys()}};
  trusted[0].keys.push_back(second.PublicKeys()[0]);
  EXPECT_TRUE(VerifyJwt(second.SignClaims(Claims()), trusted, Options()).ok());
  TestKey stranger("ES384", "third");
  StatusOr<JwtClaims> claims = VerifyJwt(stranger.SignClaims(Claims()), trusted, Options());
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().message(), "jwt: no key of the issuer matches kid and alg");
}

TEST(Jwt, MalformedTokensAreUnauthenticatedNotCrashes) {
  TestKey key("ES384");
  std::string good = key.SignClaims(Claims());
  const std::string header = EncodeBase64Url("{\"alg\":\"ES384\"}");
  const std::string payload = EncodeBase64Url(Claims());
  const std::string cases[] = {
      "",
      ".",
      "..",
      "abc",
      "a.b",
      good + ".extra",
      "!!!." + payload + ".AAAA",
      header + ".%%%.AAAA",
      header + "." + payload + ".not*base64",
      EncodeBase64Url("[1,2]") + "." + payload + ".AAAA",
      EncodeBase64Url("{\"typ\":\"JWT\"}") + "." + payload + ".AAAA",
      EncodeBase64Url("{\"alg\":7}") + "." + payload + ".AAAA",
      header + "." + EncodeBase64Url("not json") + ".AAAA",
      header + "." + EncodeBase64Url("{\"a\":[[[[[[[[[[[[1]]]]]]]]]]]]}") + ".AAAA",
      header + "." + payload + ".",  // ES384 with an empty signature
      header + "." + payload + "." + EncodeBase64Url(std::string(95, 'x')),  // short r||s
      "A." + payload + ".AAAA",  // header segment of impossible length
  };
  for (const std::string& token : cases) {
    SCOPED_TRACE(token);
    StatusOr<JwtClaims> claims = VerifyJwt(token, Trust(key), Options());
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST(Jwt, ErrorMessagesNeverEchoTheToken) {
  TestKey key("ES384");
  std::string token = key.SignClaims(Claims(kNow - 900, kNow - 600));
  StatusOr<JwtClaims> claims = VerifyJwt(token, Trust(key), Options());
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().message().find(token.substr(0, 10)), std::string::npos);
  EXPECT_EQ(claims.status().message().find("sandbox-client"), std::string::npos);
}

TEST(Jwk, UnusableKeysAreRejectedWithTheirPath) {
  TestKey key("ES384");
  std::string good = key.JwkJson();
  struct Case {
    const char* name;
    std::string jwks;
    const char* message_part;
  };
  const Case cases[] = {
      {"no keys member", "{}", "keys: required array"},
      {"empty set", "{\"keys\":[]}", "keys: empty"},
      {"unknown kty", "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}", "keys[0]: kty"},
      {"unknown curve", "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-521\",\"x\":\"AA\",\"y\":\"AA\"}]}",
       "keys[0]: crv"},
      {"missing y", "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"AAAA\"}]}",
       "keys[0]: y: required"},
      {"point off the curve",
       "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"" +
           EncodeBase64Url(std::string(48, 1)) + "\",\"y\":\"" +
           EncodeBase64Url(std::string(48, 2)) + "\"}]}",
       "keys[0]: x, y: not a point"},
      {"short rsa key", "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}",
       "keys[0]: n: rsa keys must have at least 2048 bits"},
      {"second key bad", "{\"keys\":[" + good + ",{\"kty\":\"RSA\"}]}", "keys[1]: n: required"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    rapidjson::Document jwks;
    jwks.Parse(c.jwks.c_str());
    ASSERT_FALSE(jwks.HasParseError());
    StatusOr<std::vector<JwkPublicKey>> keys = ParseJwkSet(jwks);
    ASSERT_FALSE(keys.ok());
    EXPECT_EQ(keys.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(keys.status().message().find(c.message_part), std::string::npos)
        << keys.status().message();
  }
}

TEST(Jwk, SetOfGeneratedKeysParses) {
  TestKey es384("ES384", "a");
  TestKey rs384("RS384", "b");
  std::string text = "{\"keys\":[" + es384.JwkJson() + "," + rs384.JwkJson() + "]}";
  rapidjson::Document jwks;
  jwks.Parse(text.c_str());
  StatusOr<std::vector<JwkPublicKey>> keys = ParseJwkSet(jwks);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].alg(), "ES384");
  EXPECT_EQ((*keys)[0].kid(), "a");
  EXPECT_EQ((*keys)[1].alg(), "RS384");
}

TEST(TrustedIssuers, ConfigSectionParsesIntoVerifiableIssuers) {
  TestKey key("ES384");
  std::string text =
      std::string("[{\"iss\":\"") + kIssuer + "\",\"jwks\":{\"keys\":[" + key.JwkJson() + "]}}]";
  rapidjson::Document issuers;
  issuers.Parse(text.c_str());
  StatusOr<std::vector<TrustedIssuer>> trusted = ParseTrustedIssuers(&issuers);
  ASSERT_TRUE(trusted.ok()) << trusted.status().ToString();
  EXPECT_TRUE(VerifyJwt(key.SignClaims(Claims()), *trusted, Options()).ok());
}

TEST(TrustedIssuers, EveryProblemIsListedWithItsPath) {
  TestKey key("ES384");
  std::string good = std::string("{\"iss\":\"a\",\"jwks\":{\"keys\":[") + key.JwkJson() + "]}}";
  std::string text = "[" + good + ",{\"jwks\":{\"keys\":[]}}," + good +
                     ",{\"iss\":\"b\",\"jwks\":{\"keys\":[{\"kty\":\"EC\"},{\"kty\":\"x\"}]}}]";
  rapidjson::Document issuers;
  issuers.Parse(text.c_str());
  StatusOr<std::vector<TrustedIssuer>> trusted = ParseTrustedIssuers(&issuers);
  ASSERT_FALSE(trusted.ok());
  EXPECT_EQ(trusted.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(trusted.status().message(),
            "[1].iss: required string\n"
            "[1].jwks: keys: empty\n"
            "[2].iss: listed twice\n"
            "[3].jwks: keys[0]: crv: expected P-384 or P-256\n"
            "[3].jwks: keys[1]: kty: expected EC or RSA");
}

TEST(TrustedIssuers, NotAnArrayIsRejected) {
  StatusOr<std::vector<TrustedIssuer>> trusted = ParseTrustedIssuers(nullptr);
  ASSERT_FALSE(trusted.ok());
  EXPECT_EQ(trusted.status().message(), "expected an array");
}

TEST(TrustedIssuers, EmptyListIsValidAndTrustsNobody) {
  rapidjson::Document issuers;
  issuers.Parse("[]");
  StatusOr<std::vector<TrustedIssuer>> trusted = ParseTrustedIssuers(&issuers);
  ASSERT_TRUE(trusted.ok());
  TestKey key("ES384");
  EXPECT_FALSE(VerifyJwt(key.SignClaims(Claims()), *trusted, Options()).ok());
}

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 70; ++i) {
    SCOPED_TRACE(i);
    std::optional<std::string> decoded = DecodeBase64Url(EncodeBase64Url(bytes));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, bytes);
    bytes.push_back(static_cast<char>(i * 37 + 251));
  }
}

TEST(Base64Url, KnownVectorsAndBadInput) {
  struct Case {
    const char* text;
    std::optional<std::string> decoded;
  };
  const Case cases[] = {
      {"", std::string()},
      {"Zg", std::string("f")},
      {"Zg==", std::string("f")},
      {"Zm9vYmFy", std::string("foobar")},
      {"-_8", std::string("\xfb\xff")},
      {"Z", std::nullopt},
      {"Zm9v+g", std::nullopt},  // '+' is base64, not base64url
      {"Zm 9v", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(DecodeBase64Url(c.text), c.decoded);
  }
}

TEST(BearerToken, ReadsTheTokenOfABearerHeaderOnly) {
  struct Case {
    const char* header;
    std::optional<std::string_view> token;
  };
  const Case cases[] = {
      {"Bearer abc.def.ghi", std::string_view("abc.def.ghi")},
      {"bearer   abc ", std::string_view("abc")},
      {"BEARER x", std::string_view("x")},
      {"Bearer ", std::nullopt},
      {"Bearer", std::nullopt},
      {"Basic dXNlcjpwYXNz", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.header);
    EXPECT_EQ(BearerToken(c.header), c.token);
  }
}

}  // namespace
}  // namespace steroid_advisor::plugin
