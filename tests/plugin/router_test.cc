// The endpoints without sockets: routing, the pre-body checks, CORS, discovery, feedback, and
// the hook handler's use of the record fetcher (a fake: this is the seam's contract, the real
// fetcher has its own suite against a real FHIR server).
#include "plugin/router.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "plugin/config/service_config.h"
#include "tests/plugin/await_test_util.h"
#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

constexpr char kOrderSelectPath[] = "/cds-services/steroid-advisor-order-select";
constexpr char kCardUuid[] = "4e0a3a1e-3283-4575-ab82-028d55fe2719";
constexpr char kSuggestionUuid[] = "e56e1945-20b3-4393-8503-a1a20fd73152";

HandlerContext Context(RecordFetcher* fetcher = nullptr) {
  HandlerContext context;
  context.config = DefaultServiceConfig();
  context.today = TestToday();
  context.fetcher = fetcher;
  context.request_id = "test";
  return context;
}

HttpRequest Request(std::string method, std::string path, std::string body = "",
                    std::string content_type = "application/json") {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.body = std::move(body);
  if (!content_type.empty()) request.headers["content-type"] = content_type;
  return request;
}

std::string ErrorCode(const HttpResponse& response) {
  rapidjson::Document document;
  if (!fhir::ParseJson(response.body, 64, document).ok()) return "<not json>";
  const fhir::JsonValue* error = fhir::FindObject(document, "error");
  return error != nullptr ? std::string(fhir::FindString(*error, "code").value_or("")) : "";
}

std::string ErrorMessage(const HttpResponse& response) {
  rapidjson::Document document;
  if (!fhir::ParseJson(response.body, 64, document).ok()) return "<not json>";
  const fhir::JsonValue* error = fhir::FindObject(document, "error");
  return error != nullptr ? std::string(fhir::FindString(*error, "message").value_or("")) : "";
}

std::vector<std::string> CardTopics(const HttpResponse& response) {
  rapidjson::Document document;
  EXPECT_TRUE(fhir::ParseJson(response.body, 64, document).ok()) << response.body;
  std::vector<std::string> topics;
  for (const fhir::JsonValue& card : fhir::Elements(document, "cards")) {
    const fhir::JsonValue* source = fhir::FindObject(card, "source");
    const fhir::JsonValue* topic = source ? fhir::FindObject(*source, "topic") : nullptr;
    topics.emplace_back(topic ? fhir::FindString(*topic, "code").value_or("") : "");
  }
  return topics;
}

TEST(Router, MatchesTheThreeKindsOfEndpoint) {
  EXPECT_EQ(MatchRoute("/cds-services").endpoint, Route::Endpoint::kDiscovery);
  EXPECT_EQ(MatchRoute("/cds-services/").endpoint, Route::Endpoint::kDiscovery);
  EXPECT_EQ(MatchRoute(kOrderSelectPath).endpoint, Route::Endpoint::kHook);
  EXPECT_EQ(MatchRoute("/cds-services/steroid-advisor-order-sign/feedback").endpoint,
            Route::Endpoint::kFeedback);
  EXPECT_EQ(MatchRoute("/cds-services/nope").endpoint, Route::Endpoint::kNone);
  EXPECT_EQ(MatchRoute("/cds-servicesx").endpoint, Route::Endpoint::kNone);
  EXPECT_EQ(MatchRoute("/").endpoint, Route::Endpoint::kNone);
  EXPECT_EQ(MatchRoute("/cds-services/steroid-advisor-order-sign/other").endpoint,
            Route::Endpoint::kNone);
}

TEST(Router, AnswersEdgeCasesWithTheRightStatusAndCode) {
  struct Case {
    std::string name;
    HttpRequest request;
    int status;
    std::string code;
  };
  std::string big(DefaultServiceConfig()->server.max_body_bytes + 1, ' ');
  HttpRequest declared_big = Request("POST", kOrderSelectPath, "{}");
  declared_big.headers["content-length"] = "999999999999";
  const Case kCases[] = {
      {"unknown service", Request("POST", "/cds-services/nope", "{}"), 404, "not_found"},
      {"unknown route", Request("GET", "/admin"), 404, "not_found"},
      {"discovery by POST", Request("POST", "/cds-services", "{}"), 405, "method_not_allowed"},
      {"hook by GET", Request("GET", kOrderSelectPath), 405, "method_not_allowed"},
      {"hook by DELETE", Request("DELETE", kOrderSelectPath), 405, "method_not_allowed"},
      {"text/plain body", Request("POST", kOrderSelectPath, "{}", "text/plain"), 415,
       "unsupported_media_type"},
      {"form body", Request("POST", kOrderSelectPath, "{}", "application/x-www-form-urlencoded"),
       415, "unsupported_media_type"},
      {"body over the cap", Request("POST", kOrderSelectPath, big), 413, "resource_exhausted"},
      {"declared length over the cap", declared_big, 413, "resource_exhausted"},
      {"empty body", Request("POST", kOrderSelectPath, ""), 400, "invalid_argument"},
      {"truncated JSON", Request("POST", kOrderSelectPath, R"({"hook":"order-se)"), 400,
       "invalid_argument"},
      {"deep nesting",
       Request("POST", kOrderSelectPath, std::string(100, '[') + std::string(100, ']')), 400,
       "invalid_argument"},
      {"feedback without body",
       Request("POST", "/cds-services/steroid-advisor-order-sign/feedback"), 400,
       "invalid_argument"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    HttpResponse response = HandleRequestAndWait(c.request, Context());
    EXPECT_EQ(response.status, c.status) << response.body;
    EXPECT_EQ(ErrorCode(response), c.code);
    EXPECT_EQ(response.headers["Access-Control-Allow-Origin"], "*");
  }
}

// Which of two same-named members counts is up to each parser; the EHR's may have read the other
// one, so a hook body that names a member twice is refused, wherever it is, with its path.
TEST(Router, HookBodyWithADuplicateMemberIs400NamingThePath) {
  struct Case {
    std::string body;
    std::string path;
  };
  const Case kCases[] = {
      {R"({"hookInstance":"d1","hook":"order-select","hook":"order-sign","context":{}})", "hook"},
      {R"({"hookInstance":"d2","hook":"order-select",)"
       R"("context":{"userId":"Practitioner/1","patientId":"a","patientId":"b"}})",
       "context.patientId"},
      {R"({"hook":"order-select","context":{"draftOrders":{"resourceType":"Bundle",)"
       R"("entry":[{"resource":{"resourceType":"MedicationRequest","status":"draft",)"
       R"("status":"active"}}]}}})",
       "context.draftOrders.entry[0].resource.status"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.body);
    HttpResponse response =
        HandleRequestAndWait(Request("POST", kOrderSelectPath, c.body), Context());
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(ErrorCode(response), "invalid_argument");
    EXPECT_EQ(ErrorMessage(response), "request body: duplicate member " + c.path);
  }
}

TEST(Router, WrongMethodSaysWhichAreAllowed) {
  HttpResponse hook = HandleRequestAndWait(Request("GET", kOrderSelectPath), Context());
  EXPECT_EQ(hook.headers["Allow"], "POST, OPTIONS");
  HttpResponse discovery = HandleRequestAndWait(Request("PUT", "/cds-services", "{}"), Context());
  EXPECT_EQ(discovery.headers["Allow"], "GET, OPTIONS");
}

TEST(Router, JsonContentTypesWithCharsetOrNoneAreAccepted) {
  std::string body = LoadFixture("tests/data/examples/order-select-alemtuzumab-alone.json");
  for (const char* type : {"application/json", "application/json; charset=utf-8",
                           "Application/FHIR+JSON;charset=UTF-8", ""}) {
    SCOPED_TRACE(type);
    EXPECT_EQ(HandleRequestAndWait(Request("POST", kOrderSelectPath, body, type), Context()).status,
              200);
  }
}

TEST(Router, PreflightAllowsBrowserClients) {
  HttpResponse response = HandleRequestAndWait(Request("OPTIONS", kOrderSelectPath), Context());
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.headers["Access-Control-Allow-Origin"], "*");
  EXPECT_EQ(response.headers["Access-Control-Allow-Methods"], "GET, POST, OPTIONS");
  EXPECT_EQ(response.headers["Access-Control-Allow-Headers"], "Authorization, Content-Type");
  EXPECT_FALSE(response.headers["Access-Control-Max-Age"].empty());
  EXPECT_TRUE(response.body.empty());
}

TEST(Discovery, ListsTheThreeServicesWithPrefetch) {
  HttpResponse response = HandleRequestAndWait(Request("GET", "/cds-services"), Context());
  ASSERT_EQ(response.status, 200);
  rapidjson::Document document;
  ASSERT_TRUE(fhir::ParseJson(response.body, 64, document).ok());
  std::vector<std::pair<std::string, std::string>> services;
  for (const fhir::JsonValue& service : fhir::Elements(document, "services")) {
    services.emplace_back(fhir::FindString(service, "id").value_or(""),
                          fhir::FindString(service, "hook").value_or(""));
    EXPECT_FALSE(fhir::FindString(service, "title").value_or("").empty());
    EXPECT_FALSE(fhir::FindString(service, "description").value_or("").empty());
    EXPECT_FALSE(fhir::FindString(service, "usageRequirements").value_or("").empty());
    const fhir::JsonValue* prefetch = fhir::FindObject(service, "prefetch");
    ASSERT_NE(prefetch, nullptr);
    EXPECT_EQ(
        fhir::FindString(*prefetch, "medicationRequests").value_or(""),
        "MedicationRequest?patient={{context.patientId}}&_include=MedicationRequest:medication");
    EXPECT_EQ(fhir::FindString(*prefetch, "medicationAdministrations").value_or(""),
              "MedicationAdministration?patient={{context.patientId}}&_include="
              "MedicationAdministration:medication");
    EXPECT_EQ(fhir::FindString(*prefetch, "medicationStatements").value_or(""),
              "MedicationStatement?patient={{context.patientId}}&_include=MedicationStatement:"
              "medication");
  }
  std::vector<std::pair<std::string, std::string>> expected = {
      {"steroid-advisor-order-select", "order-select"},
      {"steroid-advisor-order-sign", "order-sign"},
      {"steroid-advisor-medication-prescribe", "medication-prescribe"}};
  EXPECT_EQ(services, expected);
}

TEST(Discovery, TitlesComeFromTheConfig) {
  StatusOr<ServiceConfig> config = ParseServiceConfig(cards::DefaultConfigJson());
  ASSERT_TRUE(config.ok());
  config->services["steroid-advisor-order-sign"].title = "Site title";
  HandlerContext context = Context();
  context.config = std::make_shared<const ServiceConfig>(*config);
  HttpResponse response = HandleRequestAndWait(Request("GET", "/cds-services"), context);
  EXPECT_NE(response.body.find("\"title\":\"Site title\""), std::string::npos);
}

TEST(Feedback, AcceptsSpecShapedFeedbackWithEmptyOk) {
  std::string body = std::string(R"({"feedback":[{"card":")") + kCardUuid +
                     R"(","outcome":"accepted","acceptedSuggestions":[{"id":")" + kSuggestionUuid +
                     R"("}],"outcomeTimestamp":"2026-11-24T10:00:00Z"},
      {"card":")" + kCardUuid +
                     R"(","outcome":"overridden","outcomeTimestamp":"2026-11-24T10:00:00Z",
       "overrideReason":{"reason":{"code":"given-elsewhere","system":"https://x"},
       "userComment":"patient details"}}]})";
  std::ostringstream log_text;
  RequestLog log(&log_text);
  HandlerContext context = Context();
  context.log = &log;
  HttpResponse response = HandleRequestAndWait(
      Request("POST", "/cds-services/steroid-advisor-order-select/feedback", body), context);
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(response.body.empty());
  EXPECT_NE(log_text.str().find(std::string("card=") + kCardUuid + " outcome=accepted"),
            std::string::npos);
  EXPECT_EQ(log_text.str().find("patient details"), std::string::npos);
  EXPECT_EQ(log_text.str().find("given-elsewhere"), std::string::npos);
}

TEST(Feedback, BadFeedbackNamesThePath) {
  struct Case {
    std::string body;
    std::string message;
  };
  const std::string card = std::string(R"("card":")") + kCardUuid + "\"";
  const Case kCases[] = {
      {"[]", "request body: expected a JSON object"},
      {"{}", "feedback: required"},
      {R"({"feedback":{}})", "feedback: expected an array"},
      {R"({"feedback":[]})", "feedback: must not be empty"},
      {R"({"feedback":[{"card":"not-a-uuid","outcome":"overridden"}]})",
       "feedback[0].card: expected a card uuid"},
      {R"({"feedback":[{)" + card + R"(,"outcome":"ignored","outcomeTimestamp":"t"}]})",
       "feedback[0].outcome: expected \"accepted\" or \"overridden\""},
      {R"({"feedback":[{)" + card + R"(,"outcome":"overridden"}]})",
       "feedback[0].outcomeTimestamp: required"},
      {R"({"feedback":[{)" + card + R"(,"outcome":"accepted","outcomeTimestamp":"t"}]})",
       "feedback[0].acceptedSuggestions: required when outcome is accepted"},
      {R"({"feedback":[{)" + card +
           R"(,"outcome":"accepted","outcomeTimestamp":"t","acceptedSuggestions":[{"id":5}]}]})",
       "feedback[0].acceptedSuggestions[0].id: required"},
      {R"({"feedback":[{)" + card +
           R"(,"outcome":"overridden","outcomeTimestamp":"t","overrideReason":{"userComment":1}}]})",
       "feedback[0].overrideReason.userComment: expected a string"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.body);
    HttpResponse response = HandleRequestAndWait(
        Request("POST", "/cds-services/steroid-advisor-order-sign/feedback", c.body), Context());
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(ErrorMessage(response).substr(0, c.message.size()), c.message) << response.body;
  }
}

// A RecordFetcher that records what it was asked and answers from a table.
class FakeFetcher : public RecordFetcher {
 public:
  void Fetch(RecordFetchRequest request, FetchDone done) override {
    ++calls;
    last_request = request;
    std::vector<FetchedKey> keys;
    for (const RecordQuery& query : request.queries) {
      FetchedKey key;
      key.key = query.key;
      if (auto it = pages.find(query.key); it != pages.end()) {
        key.available = true;
        key.pages.push_back(it->second);
      }
      keys.push_back(std::move(key));
    }
    done(std::move(keys));
  }

  int calls = 0;
  RecordFetchRequest last_request;
  std::map<std::string, std::shared_ptr<const rapidjson::Document>> pages;
};

std::shared_ptr<const rapidjson::Document> Bundle(const std::string& text) {
  auto document = std::make_shared<rapidjson::Document>();
  EXPECT_TRUE(fhir::ParseJson(text, 64, *document).ok());
  return document;
}

// The order-sign example (prednisone 6 weeks; alemtuzumab in the record) with its prefetch
// replaced by `prefetch` and fhirServer/fhirAuthorization by `server_members`.
std::string PrednisoneRequest(const std::string& prefetch, const std::string& server_members) {
  std::string text =
      LoadFixture("tests/data/examples/order-sign-prednisone-6-weeks-after-alemtuzumab.json");
  rapidjson::Document document;
  EXPECT_TRUE(fhir::ParseJson(text, 64, document).ok());
  const fhir::JsonValue* context = fhir::FindObject(document, "context");
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  context->Accept(writer);
  return R"({"hook":"order-sign","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",)" +
         server_members + R"("context":)" + std::string(buffer.GetString(), buffer.GetSize()) +
         (prefetch.empty() ? "" : R"(,"prefetch":)" + prefetch) + "}";
}

constexpr char kAlemtuzumabHistory[] = R"({"resourceType":"Bundle","type":"searchset","entry":[
    {"resource":{"resourceType":"MedicationRequest","id":"hist-alem","status":"completed",
     "intent":"order","subject":{"reference":"Patient/pat-1001"},"authoredOn":"2026-07-26",
     "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm",
     "code":"1594659","display":"Lemtrada"}],"text":"alemtuzumab"}}}]})";
constexpr char kSignPath[] = "/cds-services/steroid-advisor-order-sign";
constexpr char kServer[] =
    R"("fhirServer":"http://127.0.0.1:9/fhir","fhirAuthorization":{"access_token":"tok-123",
       "token_type":"Bearer","expires_in":300,"scope":"user/*.read","subject":"cds"},)";

TEST(HookHandler, FetchesOnlyTheKeysPrefetchDidNotCarry) {
  FakeFetcher fetcher;
  fetcher.pages["medicationStatements"] = Bundle(R"({"resourceType":"Bundle","type":"searchset"})");
  fetcher.pages["medicationAdministrations"] =
      Bundle(R"({"resourceType":"Bundle","type":"searchset"})");
  std::string body = PrednisoneRequest(
      std::string(R"({"medicationRequests":)") + kAlemtuzumabHistory + "}", kServer);
  HttpResponse response = HandleRequestAndWait(Request("POST", kSignPath, body), Context(&fetcher));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(CardTopics(response), std::vector<std::string>{"prolonged-steroid"});
  ASSERT_EQ(fetcher.calls, 1);
  EXPECT_EQ(fetcher.last_request.fhir_server, "http://127.0.0.1:9/fhir");
  EXPECT_EQ(fetcher.last_request.access_token, "tok-123");
  EXPECT_EQ(fetcher.last_request.context.at("patientId"), "pat-1001");
  ASSERT_EQ(fetcher.last_request.queries.size(), 2u);
  EXPECT_EQ(fetcher.last_request.queries[0].key, "medicationAdministrations");
  EXPECT_EQ(fetcher.last_request.queries[1].key, "medicationStatements");
  EXPECT_EQ(
      fetcher.last_request.queries[1].prefetch_template,
      "MedicationStatement?patient={{context.patientId}}&_include=MedicationStatement:medication");
}

TEST(HookHandler, FetchedRecordIsReadLikePrefetch) {
  FakeFetcher fetcher;
  fetcher.pages["medicationRequests"] = Bundle(kAlemtuzumabHistory);
  HttpResponse response = HandleRequestAndWait(
      Request("POST", kSignPath, PrednisoneRequest("", kServer)), Context(&fetcher));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(CardTopics(response), std::vector<std::string>{"prolonged-steroid"});
  // The update suggestion copies the draft order from the request document.
  EXPECT_NE(response.body.find("\"id\":\"draft-pred\""), std::string::npos);
}

TEST(HookHandler, NoFetchWithoutFhirServer) {
  FakeFetcher fetcher;
  HttpResponse response = HandleRequestAndWait(
      Request("POST", kSignPath, PrednisoneRequest("", "")), Context(&fetcher));
  EXPECT_EQ(fetcher.calls, 0);
  EXPECT_EQ(response.status, 412);
  EXPECT_EQ(ErrorCode(response), "failed_precondition");
}

TEST(HookHandler, RecordNeededAndEveryFetchFailedIs412) {
  FakeFetcher fetcher;  // answers every key unavailable
  HttpResponse response = HandleRequestAndWait(
      Request("POST", kSignPath, PrednisoneRequest("", kServer)), Context(&fetcher));
  EXPECT_EQ(fetcher.calls, 1);
  EXPECT_EQ(response.status, 412);
  EXPECT_EQ(response.body.find("tok-123"), std::string::npos);
}

TEST(HookHandler, SomeRecordAvailableIsEnoughToAnswer) {
  HttpResponse response = HandleRequestAndWait(
      Request("POST", kSignPath,
              PrednisoneRequest(
                  std::string(R"({"medicationRequests":)") + kAlemtuzumabHistory + "}", "")),
      Context());
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(CardTopics(response), std::vector<std::string>{"prolonged-steroid"});
}

TEST(HookHandler, ResponseCarriesTheHookInstanceForTheLog) {
  std::string body = LoadFixture("tests/data/examples/order-select-alemtuzumab-alone.json");
  HttpResponse response = HandleRequestAndWait(Request("POST", kOrderSelectPath, body), Context());
  EXPECT_EQ(response.facts.hook_instance, "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea");
}

}  // namespace
}  // namespace steroid_advisor::plugin
