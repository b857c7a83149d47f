// Tests for plugin/auth/jwt.h: tokens are signed here with keys generated per test run, exactly as
// a CDS Client (the sandbox) signs them: compact JWS, raw r||s ECDSA signatures.
#include "plugin/auth/jwt.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "tests/plugin/auth/jwt_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using jwt_testing::Claims;
using jwt_testing::EncodeBase64Url;
using jwt_testing::kAudience;
using jwt_testing::kIssuer;
using jwt_testing::kNow;
using jwt_testing::Options;
using jwt_testing::TestKey;
using jwt_testing::Trust;

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
      VerifyJwt(kNodeToken, {TrustedIssuer{"https://sandbox.cds-hooks.org", *keys, {}}}, options);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->sub, "steroid-advisor-conformance-client");
  options.now_seconds = 1795000000 + 300 + 61;  // past exp and the skew
  EXPECT_FALSE(
      VerifyJwt(kNodeToken, {TrustedIssuer{"https://sandbox.cds-hooks.org", *keys, {}}}, options)
          .ok());
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
  std::vector<TrustedIssuer> trusted = {TrustedIssuer{kIssuer, first.PublicKeys(), {}}};
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

TEST(TrustedIssuers, JkuAllowlistsAreReadAndChecked) {
  rapidjson::Document issuers;
  issuers.Parse(R"([{"iss":"a","jku":["https://a.example/jwks.json","http://127.0.0.1:9/k"]},
                    {"iss":"b","jku":["http://a.example/jwks.json"]},
                    {"iss":"c","jku":[]},
                    {"iss":"d"}])");
  StatusOr<std::vector<TrustedIssuer>> trusted = ParseTrustedIssuers(&issuers);
  ASSERT_FALSE(trusted.ok());
  EXPECT_EQ(trusted.status().message(),
            "[1].jku[0]: expected an https URL (or http on loopback)\n"
            "[2].jku: expected a non-empty array of URLs\n"
            "[3].jwks: required object");
  issuers.Parse(R"([{"iss":"a","jku":["https://a.example/jwks.json"]}])");
  trusted = ParseTrustedIssuers(&issuers);
  ASSERT_TRUE(trusted.ok()) << trusted.status().ToString();
  ASSERT_EQ(trusted->size(), 1u);
  EXPECT_EQ((*trusted)[0].jku, std::vector<std::string>{"https://a.example/jwks.json"});
  EXPECT_TRUE((*trusted)[0].keys.empty());
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
