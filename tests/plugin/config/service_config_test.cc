#include "plugin/config/service_config.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "cards/config.h"
#include "fhir/json_access.h"
#include "fhir/json_parse.h"

namespace steroid_advisor::plugin {
namespace {

std::string Serialize(const fhir::JsonValue* value) {
  if (value == nullptr) return "null";
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value->Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// A config with the default thresholds and rules, plus `sections` (", "-joined members).
std::string ConfigWith(const std::string& sections) {
  rapidjson::Document defaults;
  EXPECT_TRUE(fhir::ParseJson(cards::DefaultConfigJson(), 64, defaults).ok());
  std::string text = R"({"thresholds":)" + Serialize(fhir::FindMember(defaults, "thresholds")) +
                     R"(,"rules":)" + Serialize(fhir::FindMember(defaults, "rules"));
  if (!sections.empty()) text += "," + sections;
  return text + "}";
}

TEST(ServiceConfig, BuiltInDefaultParses) {
  StatusOr<ServiceConfig> config = ParseServiceConfig(cards::DefaultConfigJson());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->services.size(), 3u);
  for (const auto& [id, text] : config->services) {
    SCOPED_TRACE(id);
    EXPECT_FALSE(text.title.empty());
    EXPECT_FALSE(text.description.empty());
  }
  EXPECT_EQ(config->server.max_body_bytes, 1024u * 1024u);
  EXPECT_EQ(config->server.max_json_depth, 64);
  EXPECT_NE(DefaultServiceConfig(), nullptr);
}

TEST(ServiceConfig, MissingSectionsTakeBuiltInDefaults) {
  StatusOr<ServiceConfig> config = ParseServiceConfig(ConfigWith(""));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->services.size(), 3u);
  EXPECT_EQ(config->fhir.total_timeout_ms, 2000);
  EXPECT_TRUE(config->fhir.verify_tls);
  EXPECT_EQ(config->server.max_body_bytes, 1024u * 1024u);
}

TEST(ServiceConfig, ReadsEveryFhirAndServerSetting) {
  StatusOr<ServiceConfig> config = ParseServiceConfig(ConfigWith(
      R"("services":{"steroid-advisor-order-sign":{"title":"T","description":"D"}},
         "fhir":{"allowlist":["https://ehr.example/fhir"],"connectTimeoutMs":100,
                 "totalTimeoutMs":900,"maxPages":3,"cacheSeconds":0,"cacheMaxEntries":10,
                 "verifyTls":false},
         "server":{"maxBodyBytes":2048,"maxJsonDepth":32})"));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->services.at("steroid-advisor-order-sign").title, "T");
  EXPECT_EQ(config->services.at("steroid-advisor-order-sign").description, "D");
  EXPECT_EQ(config->fhir.allowlist, std::vector<std::string>{"https://ehr.example/fhir"});
  EXPECT_EQ(config->fhir.connect_timeout_ms, 100);
  EXPECT_EQ(config->fhir.total_timeout_ms, 900);
  EXPECT_EQ(config->fhir.max_pages, 3);
  EXPECT_EQ(config->fhir.cache_seconds, 0);
  EXPECT_EQ(config->fhir.cache_max_entries, 10);
  EXPECT_FALSE(config->fhir.verify_tls);
  EXPECT_EQ(config->server.max_body_bytes, 2048u);
  EXPECT_EQ(config->server.max_json_depth, 32);
}

TEST(ServiceConfig, EachBadSettingIsReportedWithItsPath) {
  struct Case {
    std::string sections;
    std::string problem;
  };
  const Case kCases[] = {
      {R"("extra":1)", "extra: unknown key"},
      {R"("services":[])", "services: expected an object"},
      {R"("services":{"nope":{}})", "services.nope: unknown service"},
      {R"("services":{"steroid-advisor-order-sign":{"title":""}})",
       "services.steroid-advisor-order-sign.title: expected a non-empty string"},
      {R"("services":{"steroid-advisor-order-sign":{"icon":"x"}})",
       "services.steroid-advisor-order-sign.icon: unknown key"},
      {R"("fhir":{"allowlist":"https://x"})", "fhir.allowlist: expected an array of URL prefixes"},
      {R"("fhir":{"allowlist":["ftp://x"]})",
       "fhir.allowlist[0]: expected an absolute http(s) URL prefix"},
      {R"("fhir":{"connectTimeoutMs":0})",
       "fhir.connectTimeoutMs: must be between 1 and 60000, got 0"},
      {R"("fhir":{"totalTimeoutMs":"2s"})", "fhir.totalTimeoutMs: expected an integer"},
      {R"("fhir":{"maxPages":2.5})", "fhir.maxPages: expected an integer"},
      {R"("fhir":{"connectTimeoutMs":900,"totalTimeoutMs":500})",
       "fhir.totalTimeoutMs: must not be less than fhir.connectTimeoutMs"},
      {R"("fhir":{"verifyTls":"yes"})", "fhir.verifyTls: expected true or false"},
      {R"("fhir":{"retries":3})", "fhir.retries: unknown key"},
      {R"("server":{"maxBodyBytes":10})",
       "server.maxBodyBytes: must be between 1024 and 67108864, got 10"},
      {R"("server":{"maxJsonDepth":4})", "server.maxJsonDepth: must be between 16 and 512, got 4"},
      // config_fuzzer: a value past what an integer holds reached a cast in this message.
      {R"("server":{"maxBodyBytes":2e98})",
       "server.maxBodyBytes: must be between 1024 and 67108864, got 2e+98"},
      {R"("fhir":{"maxPages":-1e300})", "fhir.maxPages: must be between 1 and 100, got -1e+300"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.sections);
    StatusOr<ServiceConfig> config = ParseServiceConfig(ConfigWith(c.sections));
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(config.status().message().find(c.problem), std::string::npos)
        << config.status().message();
  }
}

// Public keys only (generated once for these tests); nothing here can sign.
constexpr char kP384Jwk[] =
    R"({"kty":"EC","kid":"k1","crv":"P-384",)"
    R"("x":"1iZKqckmgGcyNZMS8yOTJE0ofEM_z9NkAvPRmIVx5z_5qfG_u9ySjpezo-qSJB-R",)"
    R"("y":"IyYWS2M3ZvTYIXAZZZXTQQdW1kzRD8SknG80SxHU0Kitv5EWVKu2oxA5LAJoQ8Xv"})";
constexpr char kP256Jwk[] = R"({"kty":"EC","kid":"k2","crv":"P-256",)"
                            R"("x":"ExkT690br-0xXr8SWbxCq6WdnNI9HFqw-Yp9-QFWOJ8",)"
                            R"("y":"tC5ScO83B4BQxOjPIGFyWQpqwQPVKE3Dhqeh6w3Facw"})";

std::string Issuer(const std::string& iss, const std::string& keys) {
  return R"({"iss":")" + iss + R"(","jwks":{"keys":[)" + keys + "]}}";
}

TEST(ServiceConfig, AuthIsOffByDefault) {
  StatusOr<ServiceConfig> config = ParseServiceConfig(ConfigWith(""));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_FALSE(config->auth.require_jwt);
  EXPECT_TRUE(config->auth.trusted_issuers.empty());
  EXPECT_TRUE(config->auth.service_base_url.empty());
  // The shipped default says the same explicitly.
  EXPECT_FALSE(DefaultServiceConfig()->auth.require_jwt);
  EXPECT_TRUE(DefaultServiceConfig()->auth.trusted_issuers.empty());
}

TEST(ServiceConfig, ReadsEveryAuthSetting) {
  StatusOr<ServiceConfig> config = ParseServiceConfig(ConfigWith(
      R"("auth":{"requireJwt":true,"serviceBaseUrl":"https://cds.example.org/",
                 "trustedIssuers":[)" +
      Issuer("https://sandbox.cds-hooks.org", std::string(kP384Jwk) + "," + kP256Jwk) + "," +
      Issuer("https://ehr.example.org", kP256Jwk) + "]}"));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_TRUE(config->auth.require_jwt);
  // Without the trailing slash: the request path that follows starts with one.
  EXPECT_EQ(config->auth.service_base_url, "https://cds.example.org");
  ASSERT_EQ(config->auth.trusted_issuers.size(), 2u);
  EXPECT_EQ(config->auth.trusted_issuers[0].iss, "https://sandbox.cds-hooks.org");
  ASSERT_EQ(config->auth.trusted_issuers[0].keys.size(), 2u);
  EXPECT_EQ(config->auth.trusted_issuers[0].keys[0].alg(), "ES384");
  EXPECT_EQ(config->auth.trusted_issuers[0].keys[1].kid(), "k2");
  EXPECT_EQ(config->auth.trusted_issuers[1].iss, "https://ehr.example.org");
}

TEST(ServiceConfig, ReadsTokenLifetimeAndJkuAllowlists) {
  StatusOr<ServiceConfig> config = ParseServiceConfig(ConfigWith(
      R"("auth":{"maxTokenLifetimeSeconds":300,
                 "trustedIssuers":[{"iss":"a","jku":["https://a.example/jwks.json"]}]})"));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->auth.max_token_lifetime_seconds, 300);
  ASSERT_EQ(config->auth.trusted_issuers.size(), 1u);
  EXPECT_EQ(config->auth.trusted_issuers[0].jku,
            std::vector<std::string>{"https://a.example/jwks.json"});
  EXPECT_EQ(DefaultServiceConfig()->auth.max_token_lifetime_seconds, 3600);
}

TEST(ServiceConfig, EachBadAuthSettingIsReportedWithItsPath) {
  const std::string p521 = R"({"kty":"EC","crv":"P-521","x":"AA","y":"AA"})";
  struct Case {
    std::string auth;
    std::string problem;
  };
  const Case kCases[] = {
      {"[]", "auth: expected an object"},
      {R"({"mode":"jwt"})", "auth.mode: unknown key"},
      {R"({"requireJwt":"yes"})", "auth.requireJwt: expected true or false"},
      {R"({"trustedIssuers":{}})", "auth.trustedIssuers: expected an array"},
      {R"({"trustedIssuers":[{"jwks":{"keys":[)" + std::string(kP384Jwk) + "]}}]}",
       "auth.trustedIssuers[0].iss: required string"},
      {R"({"trustedIssuers":[{"iss":"a"}]})", "auth.trustedIssuers[0].jwks: required object"},
      {R"({"trustedIssuers":[)" + Issuer("a", std::string(kP384Jwk) + "," + p521) + "]}",
       "auth.trustedIssuers[0].jwks.keys[1].crv: expected P-384 or P-256"},
      {R"({"trustedIssuers":[)" + Issuer("a", "") + "]}",
       "auth.trustedIssuers[0].jwks.keys: empty"},
      {R"({"trustedIssuers":[)" + Issuer("a", kP384Jwk) + "," + Issuer("a", kP256Jwk) + "]}",
       "auth.trustedIssuers[1].iss: listed twice"},
      {R"({"requireJwt":true})",
       "auth.trustedIssuers: at least one issuer is required when auth.requireJwt is true"},
      {R"({"requireJwt":true,"trustedIssuers":[]})",
       "auth.trustedIssuers: at least one issuer is required when auth.requireJwt is true"},
      {R"({"serviceBaseUrl":"cds.example.org"})",
       "auth.serviceBaseUrl: expected an absolute http(s) URL"},
      {R"({"serviceBaseUrl":7})", "auth.serviceBaseUrl: expected an absolute http(s) URL"},
      {R"({"serviceBaseUrl":"https:///"})",
       "auth.serviceBaseUrl: expected an absolute http(s) URL"},
      {R"({"maxTokenLifetimeSeconds":0})",
       "auth.maxTokenLifetimeSeconds: must be between 1 and 86400"},
      {R"({"trustedIssuers":[{"iss":"a","jku":["http://keys.example/jwks.json"]}]})",
       "auth.trustedIssuers[0].jku[0]: expected an https URL (or http on loopback)"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.auth);
    StatusOr<ServiceConfig> config = ParseServiceConfig(ConfigWith(R"("auth":)" + c.auth));
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(config.status().message().find(c.problem), std::string::npos)
        << config.status().message();
  }
}

TEST(ServiceConfig, EveryProblemIsListedOnItsOwnLine) {
  StatusOr<ServiceConfig> config =
      ParseServiceConfig(R"({"extra":1,"fhir":{"maxPages":0},"server":{"maxJsonDepth":"deep"}})");
  ASSERT_FALSE(config.ok());
  const std::string& message = config.status().message();
  EXPECT_NE(message.find("extra: unknown key\n"), std::string::npos) << message;
  EXPECT_NE(message.find("fhir.maxPages: must be between 1 and 100, got 0"), std::string::npos);
  EXPECT_NE(message.find("server.maxJsonDepth: expected an integer"), std::string::npos);
  // The cards parser's problems (missing rules) come in the same list.
  EXPECT_NE(message.find("rules"), std::string::npos) << message;
}

TEST(ServiceConfig, MalformedJsonIsRejected) {
  StatusOr<ServiceConfig> config = ParseServiceConfig("{\"fhir\":");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message().substr(0, 7), "config:");
}

}  // namespace
}  // namespace steroid_advisor::plugin
