// The server over real loopback HTTP: the examples through each hook, the 4xx answers, CORS,
// the body cap, deep nesting, malformed HTTP, and a burst of hostile inputs after which the
// server still answers.
#include "plugin/server.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <sstream>
#include <string>
#include <vector>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

struct Topic {
  std::string code;
  std::string indicator;
  std::vector<std::string> action_types;
  bool operator==(const Topic& other) const {
    return code == other.code && indicator == other.indicator && action_types == other.action_types;
  }
};

std::ostream& operator<<(std::ostream& out, const Topic& topic) {
  out << topic.code << "/" << topic.indicator << "[";
  for (const std::string& type : topic.action_types) out << type << " ";
  return out << "]";
}

std::vector<Topic> Cards(const ClientResponse& response) {
  rapidjson::Document document;
  EXPECT_TRUE(fhir::ParseJson(response.body, 64, document).ok()) << response.body;
  std::vector<Topic> topics;
  for (const fhir::JsonValue& card : fhir::Elements(document, "cards")) {
    Topic topic;
    const fhir::JsonValue* source = fhir::FindObject(card, "source");
    const fhir::JsonValue* coding = source ? fhir::FindObject(*source, "topic") : nullptr;
    topic.code = coding ? std::string(fhir::FindString(*coding, "code").value_or("")) : "";
    topic.indicator = std::string(fhir::FindString(card, "indicator").value_or(""));
    for (const fhir::JsonValue& suggestion : fhir::Elements(card, "suggestions")) {
      for (const fhir::JsonValue& action : fhir::Elements(suggestion, "actions")) {
        topic.action_types.emplace_back(fhir::FindString(action, "type").value_or(""));
      }
    }
    topics.push_back(topic);
  }
  return topics;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.log_sink = &log_;
    server_ = StartTestServer(options);
    ASSERT_NE(server_, nullptr);
    base_ = server_->base_url();
  }

  ClientResponse Post(const std::string& service, const std::string& body,
                      const std::string& content_type = "application/json") {
    return SendRequest(base_, "POST", "/cds-services/" + service, body, content_type);
  }

  std::ostringstream log_;
  std::unique_ptr<Server> server_;
  std::string base_;
};

TEST_F(ServerTest, DiscoveryListsTheThreeServices) {
  ClientResponse response = SendRequest(base_, "GET", "/cds-services", "", "");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.headers["access-control-allow-origin"], "*");
  EXPECT_NE(response.headers["content-type"].find("application/json"), std::string::npos);
  for (const char* id : {"steroid-advisor-order-select", "steroid-advisor-order-sign",
                         "steroid-advisor-medication-prescribe"}) {
    EXPECT_NE(response.body.find(id), std::string::npos) << id;
  }
}

TEST_F(ServerTest, ExamplesGiveTheirCardsThroughEachHook) {
  struct Case {
    std::string fixture;
    std::string service;
    std::vector<Topic> cards;
  };
  const Case kCases[] = {
      {"order-select-alemtuzumab-alone.json",
       "steroid-advisor-order-select",
       {{"steroid-premedication", "warning", {"create"}},
        {"antiviral-prophylaxis", "warning", {"create"}}}},
      {"order-select-alemtuzumab-with-premedication.json", "steroid-advisor-order-select", {}},
      {"medication-prescribe-alemtuzumab-legacy.json",
       "steroid-advisor-medication-prescribe",
       {{"steroid-premedication", "warning", {"create"}},
        {"antiviral-prophylaxis", "warning", {"create"}}}},
      {"order-sign-prednisone-6-weeks-after-alemtuzumab.json",
       "steroid-advisor-order-sign",
       {{"prolonged-steroid", "critical", {"update"}}}},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.fixture);
    ClientResponse response = Post(c.service, LoadFixture("tests/data/examples/" + c.fixture));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.headers["access-control-allow-origin"], "*");
    std::vector<Topic> cards = Cards(response);
    // The critical card may also offer PJP prophylaxis (a create): only the update is required.
    if (c.cards.size() == 1 && c.cards[0].code == "prolonged-steroid" && cards.size() == 1) {
      cards[0].action_types.resize(1);
    }
    EXPECT_EQ(cards, c.cards) << response.body;
  }
}

TEST_F(ServerTest, EachClientErrorHasItsStatus) {
  std::string good = LoadFixture("tests/data/examples/order-select-alemtuzumab-alone.json");
  struct Case {
    std::string name;
    std::string method;
    std::string path;
    std::string body;
    std::string content_type;
    int status;
  };
  const Case kCases[] = {
      {"unknown service", "POST", "/cds-services/unknown", good, "application/json", 404},
      {"unknown path", "GET", "/nothing-here", "", "", 404},
      {"GET on a hook", "GET", "/cds-services/steroid-advisor-order-select", "", "", 405},
      {"DELETE on discovery", "DELETE", "/cds-services", "", "", 405},
      {"non-JSON content type", "POST", "/cds-services/steroid-advisor-order-select", good,
       "text/plain", 415},
      {"hook of another service", "POST", "/cds-services/steroid-advisor-order-sign", good,
       "application/json", 400},
      {"malformed JSON", "POST", "/cds-services/steroid-advisor-order-select",
       "{\"hook\":", "application/json", 400},
      {"deep nesting", "POST", "/cds-services/steroid-advisor-order-select",
       std::string(5000, '[') + std::string(5000, ']'), "application/json", 400},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    ClientResponse response = SendRequest(base_, c.method, c.path, c.body, c.content_type);
    EXPECT_EQ(response.status, c.status) << response.body;
    EXPECT_EQ(response.headers["access-control-allow-origin"], "*");
    EXPECT_NE(response.body.find("\"error\""), std::string::npos) << response.body;
  }
}

TEST_F(ServerTest, WrongMethodCarriesAllow) {
  ClientResponse response =
      SendRequest(base_, "GET", "/cds-services/steroid-advisor-order-sign", "", "");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers["allow"], "POST, OPTIONS");
}

TEST_F(ServerTest, PreflightIsAnsweredForBrowsers) {
  ClientResponse response =
      SendRequest(base_, "OPTIONS", "/cds-services/steroid-advisor-order-select", "", "",
                  {{"Origin", "https://sandbox.cds-hooks.org"},
                   {"Access-Control-Request-Method", "POST"},
                   {"Access-Control-Request-Headers", "authorization,content-type"}});
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.headers["access-control-allow-origin"], "*");
  EXPECT_EQ(response.headers["access-control-allow-methods"], "GET, POST, OPTIONS");
  EXPECT_EQ(response.headers["access-control-allow-headers"], "Authorization, Content-Type");
  EXPECT_FALSE(response.headers["access-control-max-age"].empty());
}

TEST_F(ServerTest, TraceDoesNotEchoTheRequest) {
  ClientResponse response = SendRequest(base_, "TRACE", "/cds-services", "", "",
                                        {{"Authorization", "Bearer secret-jwt"}});
  // The HTTP edge implements no TRACE at all (issue 11): 501, never an echo.
  EXPECT_EQ(response.status, 501);
  EXPECT_EQ(response.body.find("secret-jwt"), std::string::npos);
}

TEST_F(ServerTest, BodyOverTheCapIs413AndTheServerGoesOn) {
  std::string big = "{\"pad\":\"" + std::string(2 * 1024 * 1024, 'x') + "\"}";
  ClientResponse response = Post("steroid-advisor-order-select", big);
  EXPECT_EQ(response.status, 413);
  EXPECT_NE(response.body.find("resource_exhausted"), std::string::npos);
  EXPECT_EQ(SendRequest(base_, "GET", "/cds-services", "", "").status, 200);
}

TEST_F(ServerTest, ChunkedBodyOverTheCapIs413) {
  std::string chunk(64 * 1024, 'x');
  std::ostringstream raw;
  raw << "POST /cds-services/steroid-advisor-order-select HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      << "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: "
         "close\r\n\r\n";
  for (int i = 0; i < 20; ++i) raw << std::hex << chunk.size() << "\r\n" << chunk << "\r\n";
  raw << "0\r\n\r\n";
  EXPECT_EQ(RawStatus(RawExchange(base_, raw.str())), 413);
}

TEST_F(ServerTest, ChunkedBodyUnderTheCapIsRead) {
  std::string body = LoadFixture("tests/data/examples/order-select-alemtuzumab-alone.json");
  std::ostringstream raw;
  raw << "POST /cds-services/steroid-advisor-order-select HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      << "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: "
         "close\r\n\r\n";
  size_t half = body.size() / 2;
  raw << std::hex << half << "\r\n" << body.substr(0, half) << "\r\n";
  raw << std::hex << body.size() - half << "\r\n" << body.substr(half) << "\r\n0\r\n\r\n";
  std::string response = RawExchange(base_, raw.str());
  EXPECT_EQ(RawStatus(response), 200) << response;
  EXPECT_NE(response.find("steroid-premedication"), std::string::npos);
}

TEST_F(ServerTest, MalformedHttpIsRefusedAndTheServerGoesOn) {
  const std::string kInputs[] = {
      "GARBAGE\r\n\r\n",
      "POST /cds-services/steroid-advisor-order-select HTTP/1.1\r\nNoColonHeader\r\n\r\n",
      std::string("\x00\x01\x02\xff\xfe binary \r\n\r\n", 17),
      "GET\r\n\r\n",
  };
  for (const std::string& input : kInputs) {
    SCOPED_TRACE(input.substr(0, 20));
    std::string response = RawExchange(base_, input);
    int status = RawStatus(response);
    // Either refused with a 4xx or the connection is just closed; never a 5xx.
    if (status != 0) {
      EXPECT_GE(status, 400);
      EXPECT_LT(status, 500);
    }
  }
  EXPECT_EQ(SendRequest(base_, "GET", "/cds-services", "", "").status, 200);
}

TEST_F(ServerTest, BurstOfBadInputsNeverGives5xx) {
  std::string good = LoadFixture("tests/data/examples/order-select-alemtuzumab-alone.json");
  std::vector<std::string> bodies;
  for (size_t cut : {size_t{1}, size_t{17}, good.size() / 3, good.size() / 2, good.size() - 2}) {
    bodies.push_back(good.substr(0, cut));  // truncated JSON
  }
  // Wrong types everywhere: replace each kind of value with each other kind.
  for (const char* value : {"1", "\"s\"", "[]", "{}", "null", "true"}) {
    std::string v = value;
    bodies.push_back(R"({"hook":)" + v + R"(,"hookInstance":"x","context":{}})");
    bodies.push_back(R"({"hook":"order-select","hookInstance":)" + v + R"(,"context":{}})");
    bodies.push_back(R"({"hook":"order-select","hookInstance":"x","context":)" + v + "}");
    bodies.push_back(R"({"hook":"order-select","hookInstance":"x","context":{"userId":"u",
        "patientId":"p","draftOrders":)" +
                     v + R"(,"selections":[]}})");
    bodies.push_back(R"({"hook":"order-select","hookInstance":"x","context":{"userId":"u",
        "patientId":"p","draftOrders":{"resourceType":"Bundle","entry":)" +
                     v + R"(},"selections":[]}})");
    bodies.push_back(
        R"({"hook":"order-select","hookInstance":"x","context":{"userId":"u",
        "patientId":"p","draftOrders":{"resourceType":"Bundle","entry":[{"resource":
        {"resourceType":"MedicationRequest","id":"a","medicationCodeableConcept":)" +
        v + R"(,"dosageInstruction":)" + v +
        R"(}}]},"selections":["MedicationRequest/a"]},"prefetch":{"medicationRequests":)" + v +
        "}}");
    bodies.push_back(v);
  }
  bodies.push_back(std::string("\x00\xff\xfe\x01garbage", 11));
  bodies.push_back("\xef\xbb\xbf{}");  // a byte-order mark
  bodies.push_back(std::string(100000, '{'));
  for (const std::string& body : bodies) {
    SCOPED_TRACE(body.substr(0, 120));
    ClientResponse response = Post("steroid-advisor-order-select", body);
    EXPECT_GE(response.status, 200);
    EXPECT_LT(response.status, 500) << response.body;
  }
  ClientResponse after = Post("steroid-advisor-order-select", good);
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(Cards(after).size(), 2u);
}

TEST_F(ServerTest, RequestLogHasOneLinePerRequestWithoutSecrets) {
  std::string body = LoadFixture("tests/data/examples/order-select-alemtuzumab-alone.json");
  SendRequest(base_, "POST", "/cds-services/steroid-advisor-order-select", body, "application/json",
              {{"Authorization", "Bearer eyJsecret.jwt.value"}});
  server_->Stop();  // every line is written once the exchange is over
  std::string log = log_.str();
  EXPECT_NE(log.find("method=POST path=/cds-services/steroid-advisor-order-select status=200"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("hook_instance=d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"), std::string::npos);
  EXPECT_EQ(log.find("eyJsecret"), std::string::npos);
  EXPECT_EQ(log.find("pat-1001"), std::string::npos);  // no body content
}

TEST_F(ServerTest, ConfigSwapAppliesToLaterRequests) {
  StatusOr<ServiceConfig> config = ParseServiceConfig(cards::DefaultConfigJson());
  ASSERT_TRUE(config.ok());
  config->services["steroid-advisor-order-select"].title = "Swapped title";
  server_->SetConfig(std::make_shared<const ServiceConfig>(*config));
  ClientResponse response = SendRequest(base_, "GET", "/cds-services", "", "");
  EXPECT_NE(response.body.find("Swapped title"), std::string::npos);
}

}  // namespace
}  // namespace steroid_advisor::plugin
