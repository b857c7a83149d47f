// The client JWT check at the CDS Hooks edge, over real loopback HTTP: with auth.requireJwt on,
// discovery, hook and feedback calls need a token signed by a trusted issuer, for this endpoint's
// URL, valid at the server's injected "now"; with it off, the Authorization header is ignored.
// Tokens are signed here with an ES384 key generated per run, the way a CDS Client signs them.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "cards/config.h"
#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "plugin/auth/jwt.h"
#include "plugin/config/service_config.h"
#include "plugin/router.h"
#include "plugin/server.h"
#include "tests/plugin/auth/jwt_test_util.h"
#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

constexpr char kIssuer[] = "https://sandbox.cds-hooks.org";
constexpr char kKid[] = "test-key";
constexpr int64_t kNow = 1795000000;  // the server's injected clock; any fixed instant works
constexpr char kHookPath[] = "/cds-services/steroid-advisor-order-select";
constexpr char kFixture[] = "tests/data/examples/order-select-alemtuzumab-alone.json";

using Es384Key = jwt_testing::TestKey;

// The claims a CDS Client sends, for audience `aud`, issued at `iat`, living 5 minutes, with a
// fresh jti each time (the server accepts each jti once).
std::string Claims(const std::string& aud, int64_t iat = kNow) {
  static int counter = 0;
  return std::string("{\"iss\":\"") + kIssuer + "\",\"sub\":\"test-client\",\"aud\":\"" + aud +
         "\",\"exp\":" + std::to_string(iat + 300) + ",\"iat\":" + std::to_string(iat) +
         ",\"jti\":\"jti-" + std::to_string(++counter) + "\"}";
}

std::string Serialize(const fhir::JsonValue* value) {
  if (value == nullptr) return "null";
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value->Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The default thresholds and rules plus an "auth" section (JSON text of the object).
std::shared_ptr<const ServiceConfig> ConfigWithAuth(const std::string& auth_json) {
  rapidjson::Document defaults;
  EXPECT_TRUE(fhir::ParseJson(cards::DefaultConfigJson(), 64, defaults).ok());
  std::string text = R"({"thresholds":)" + Serialize(fhir::FindMember(defaults, "thresholds")) +
                     R"(,"rules":)" + Serialize(fhir::FindMember(defaults, "rules")) +
                     R"(,"auth":)" + auth_json + "}";
  StatusOr<ServiceConfig> config = ParseServiceConfig(text);
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  if (!config.ok()) return nullptr;
  return std::make_shared<const ServiceConfig>(*std::move(config));
}

size_t CardCount(const ClientResponse& response) {
  rapidjson::Document document;
  EXPECT_TRUE(fhir::ParseJson(response.body, 64, document).ok()) << response.body;
  return fhir::Elements(document, "cards").size();
}

std::map<std::string, std::string> Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

class JwtAuthTest : public ::testing::Test {
 protected:
  // Starts a server trusting key_ for kIssuer, with requireJwt and serviceBaseUrl as given.
  void Start(bool require_jwt, const std::string& service_base_url = "") {
    std::string auth = std::string(R"({"requireJwt":)") + (require_jwt ? "true" : "false") +
                       R"(,"trustedIssuers":[{"iss":")" + kIssuer + R"(","jwks":{"keys":[)" +
                       key_.JwkJson() + "]}}]";
    if (!service_base_url.empty()) auth += R"(,"serviceBaseUrl":")" + service_base_url + "\"";
    auth += "}";
    ServerOptions options;
    options.config = ConfigWithAuth(auth);
    ASSERT_NE(options.config, nullptr);
    options.now_seconds = [] { return kNow; };
    options.log_sink = &log_;
    server_ = StartTestServer(options);
    ASSERT_NE(server_, nullptr);
    base_ = server_->base_url();
  }

  ClientResponse PostHook(const std::map<std::string, std::string>& headers) {
    return SendRequest(base_, "POST", kHookPath, LoadFixture(kFixture), "application/json",
                       headers);
  }

  Es384Key key_{"ES384", kKid};
  std::ostringstream log_;
  std::unique_ptr<Server> server_;
  std::string base_;
};

TEST_F(JwtAuthTest, SignedHookCallGetsCards) {
  Start(true);
  ClientResponse response = PostHook(Bearer(key_.SignClaims(Claims(base_ + kHookPath))));
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_GT(CardCount(response), 0u) << response.body;
}

TEST_F(JwtAuthTest, SignedDiscoveryAndFeedbackCallsAreServed) {
  Start(true);
  ClientResponse discovery = SendRequest(base_, "GET", "/cds-services", "", "",
                                         Bearer(key_.SignClaims(Claims(base_ + "/cds-services"))));
  EXPECT_EQ(discovery.status, 200) << discovery.body;
  std::string feedback_path = std::string(kHookPath) + "/feedback";
  ClientResponse feedback = SendRequest(
      base_, "POST", feedback_path,
      R"({"feedback":[{"card":"9368d37b-283f-44a0-93ea-547cebab93ed","outcome":"overridden",
                       "outcomeTimestamp":"2026-11-24T10:00:00Z"}]})",
      "application/json", Bearer(key_.SignClaims(Claims(base_ + feedback_path))));
  EXPECT_EQ(feedback.status, 200) << feedback.body;
}

TEST_F(JwtAuthTest, CallsWithoutAValidTokenGet401WithBearerChallenge) {
  Start(true);
  const std::string hook_url = base_ + kHookPath;
  struct Case {
    std::string name;
    std::map<std::string, std::string> headers;
    std::string token;  // must never come back in the body
  };
  const std::string expired = key_.SignClaims(Claims(hook_url, kNow - 3600));
  const std::string wrong_aud =
      key_.SignClaims(Claims(base_ + "/cds-services/steroid-advisor-order-sign"));
  const std::string bad_signature = Es384Key("ES384", kKid).SignClaims(Claims(hook_url));
  const Case kCases[] = {
      {"no authorization header", {}, ""},
      {"another scheme", {{"Authorization", "Basic dXNlcjpwYXNz"}}, "dXNlcjpwYXNz"},
      {"expired", Bearer(expired), expired},
      {"aud names another service", Bearer(wrong_aud), wrong_aud},
      {"signed by an untrusted key with the trusted kid", Bearer(bad_signature), bad_signature},
      {"not a jwt", Bearer("not-a-jwt"), "not-a-jwt"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    ClientResponse response = PostHook(c.headers);
    EXPECT_EQ(response.status, 401) << response.body;
    EXPECT_EQ(response.headers["www-authenticate"], "Bearer");
    EXPECT_NE(response.body.find("\"unauthenticated\""), std::string::npos) << response.body;
    if (!c.token.empty()) {
      EXPECT_EQ(response.body.find(c.token), std::string::npos);
    }
  }
  EXPECT_EQ(log_.str().find(expired), std::string::npos) << "the request log never has a token";
}

TEST_F(JwtAuthTest, ATokenIsServedOnceAndItsReplayIsRefused) {
  Start(true);
  const std::string token = key_.SignClaims(Claims(base_ + kHookPath));
  EXPECT_EQ(PostHook(Bearer(token)).status, 200);
  ClientResponse replay = PostHook(Bearer(token));
  EXPECT_EQ(replay.status, 401);
  EXPECT_NE(replay.body.find("jti already used"), std::string::npos) << replay.body;
}

TEST_F(JwtAuthTest, MissingTokenSaysABearerJwtIsRequired) {
  Start(true);
  ClientResponse response = SendRequest(base_, "GET", "/cds-services", "", "");
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("authorization: a bearer jwt is required"), std::string::npos)
      << response.body;
}

TEST(JwtAuthBeforeBody, MissingTokenIsRefusedFromTheHeadAlone) {
  // The server runs CheckBeforeBody as soon as the headers arrive: an unauthenticated caller is
  // answered without the server reading (or buffering) its body.
  HandlerContext context;
  context.config =
      ConfigWithAuth(std::string(R"({"requireJwt":true,"trustedIssuers":[{"iss":")") + kIssuer +
                     R"(","jwks":{"keys":[)" + Es384Key("ES384", kKid).JwkJson() + "]}}]}");
  ASSERT_NE(context.config, nullptr);
  context.now_seconds = kNow;
  HttpRequest head;
  head.method = "POST";
  head.path = kHookPath;
  head.headers["content-type"] = "application/json";
  head.headers["content-length"] = "500000";
  std::optional<HttpResponse> early = CheckBeforeBody(head, context);
  ASSERT_TRUE(early.has_value());
  EXPECT_EQ(early->status, 401);
  EXPECT_EQ(early->headers["WWW-Authenticate"], "Bearer");
}

TEST_F(JwtAuthTest, PreflightNeedsNoToken) {
  Start(true);
  ClientResponse response = SendRequest(base_, "OPTIONS", kHookPath, "", "");
  EXPECT_EQ(response.status, 204);
}

TEST_F(JwtAuthTest, ConfiguredServiceBaseUrlIsTheAudience) {
  Start(true, "https://cds.example.org/");
  ClientResponse public_aud =
      PostHook(Bearer(key_.SignClaims(Claims(std::string("https://cds.example.org") + kHookPath))));
  EXPECT_EQ(public_aud.status, 200) << public_aud.body;
  ClientResponse host_aud = PostHook(Bearer(key_.SignClaims(Claims(base_ + kHookPath))));
  EXPECT_EQ(host_aud.status, 401) << host_aud.body;
}

TEST_F(JwtAuthTest, WithoutRequireJwtAGarbageTokenIsAccepted) {
  Start(false);
  ClientResponse response = PostHook(Bearer("garbage.not.jwt"));
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_GT(CardCount(response), 0u);
  EXPECT_EQ(PostHook({}).status, 200);
}

}  // namespace
}  // namespace steroid_advisor::plugin
