// The operations endpoints on the CDS listener (issue 16) over real loopback HTTP: liveness and
// readiness probes, Prometheus metrics that count real calls, and JSON log lines without
// tokens or patient identifiers.
#include <atomic>
#include <sstream>
#include <string>

#include "fhir/status.h"
#include "gtest/gtest.h"
#include "plugin/ops/metrics.h"
#include "plugin/server.h"
#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

std::string OrderSignExample() {
  return LoadFixture("tests/data/examples/order-sign-prednisone-6-weeks-after-alemtuzumab.json");
}

TEST(Operations, LivenessAnswersWithoutAToken) {
  auto config = std::make_shared<ServiceConfig>(*DefaultServiceConfig());
  config->auth.require_jwt = true;  // probes never carry a client JWT
  ServerOptions options;
  options.config = config;
  std::unique_ptr<Server> server = StartTestServer(std::move(options));
  ASSERT_NE(server, nullptr);
  ClientResponse live = SendRequest(server->base_url(), "GET", "/health/live", "", "");
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(live.body, R"({"status":"live"})");
  EXPECT_EQ(SendRequest(server->base_url(), "GET", "/cds-services", "", "").status, 401);
  EXPECT_EQ(SendRequest(server->base_url(), "POST", "/health/live", "{}").status, 405);
}

TEST(Operations, ReadinessFollowsTheDependencies) {
  std::atomic<bool> store_up{true};
  ServerOptions options;
  options.readiness = [&store_up] {
    return store_up ? OkStatus() : UnavailableError("feedback store: unreachable");
  };
  std::unique_ptr<Server> server = StartTestServer(std::move(options));
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(SendRequest(server->base_url(), "GET", "/health/ready", "", "").status, 200);
  store_up = false;
  ClientResponse down = SendRequest(server->base_url(), "GET", "/health/ready", "", "");
  EXPECT_EQ(down.status, 503);
  EXPECT_NE(down.body.find("feedback store: unreachable"), std::string::npos) << down.body;
}

TEST(Operations, MetricsCountHookCallsAndCards) {
  Metrics metrics;
  ServerOptions options;
  options.metrics = &metrics;
  std::unique_ptr<Server> server = StartTestServer(std::move(options));
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(SendRequest(server->base_url(), "POST", "/cds-services/steroid-advisor-order-sign",
                        OrderSignExample())
                .status,
            200);
  ClientResponse scraped = SendRequest(server->base_url(), "GET", "/metrics", "", "");
  ASSERT_EQ(scraped.status, 200);
  EXPECT_EQ(scraped.headers["content-type"].rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(scraped.body.find("steroid_advisor_hook_calls_total{service=\"steroid-advisor-order-"
                              "sign\",status=\"200\"} 1"),
            std::string::npos)
      << scraped.body;
  EXPECT_NE(scraped.body.find("steroid_advisor_cards_total{rule=\"prolonged-steroid\""),
            std::string::npos);
  // No patient id anywhere in the exposition.
  EXPECT_EQ(scraped.body.find("pat-1001"), std::string::npos);
}

TEST(Operations, JsonLogLinesCarryTheCallAndNoSecrets) {
  std::ostringstream log;
  ServerOptions options;
  options.log_sink = &log;
  options.log_format = LogFormat::kJson;
  std::unique_ptr<Server> server = StartTestServer(std::move(options));
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(
      SendRequest(server->base_url(), "POST", "/cds-services/steroid-advisor-order-sign",
                  OrderSignExample(), "application/json", {{"Authorization", "Bearer secret-jwt"}})
          .status,
      200);
  server->Stop();
  const std::string text = log.str();
  ASSERT_FALSE(text.empty());
  std::istringstream lines(text);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  EXPECT_EQ(line.front(), '{');
  EXPECT_EQ(line.back(), '}');
  for (const char* member :
       {"\"time\":", "\"level\":\"info\"", "\"requestId\":", "\"status\":200",
        "\"durationMs\":", "\"service\":\"steroid-advisor-order-sign\"", "\"hook\":\"order-sign\"",
        "\"hookInstance\":\"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\"",
        "\"cards\":\"prolonged-steroid:critical\""}) {
    EXPECT_NE(line.find(member), std::string::npos) << member << " in " << line;
  }
  EXPECT_EQ(text.find("secret-jwt"), std::string::npos);
  EXPECT_EQ(text.find("pat-1001"), std::string::npos);
}

}  // namespace
}  // namespace steroid_advisor::plugin
