// The hook handler with the patient's record read from a real FHIR R4 server (tests/fhir_server)
// instead of prefetch: the clinical case corpus run a second time that way, the same cards as
// with prefetch, and what the EHR gets when the FHIR server is down, slow, or not allowed.
#include <future>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/bundle.h"
#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "fhir/resource.h"
#include "gtest/gtest.h"
#include "plugin/config/service_config.h"
#include "plugin/hooks/hook_handler.h"
#include "plugin/record/cache.h"
#include "plugin/record/cpprest_fhir_client.h"
#include "plugin/record/fhir_fetch.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/plugin/await_test_util.h"
#include "tests/plugin/hooks/rule_cases_test_util.h"
#include "tests/plugin/record/fhir_server_test_util.h"
#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using fhir::JsonValue;

const char* const kRecordKeys[] = {"medicationRequests", "medicationAdministrations",
                                   "medicationStatements"};
const char* const kRecordTypes[] = {"MedicationRequest", "MedicationAdministration",
                                    "MedicationStatement"};

// Budgets far above any real answer time, so a loaded CI machine cannot fail a test that is
// not about timeouts (those set their own).
FhirFetchConfig GenerousFetchConfig() {
  FhirFetchConfig fetch;
  fetch.connect_timeout_ms = 20000;
  fetch.total_timeout_ms = 60000;
  return fetch;
}

FhirTransportOptions GenerousTransport() {
  FhirTransportOptions options;
  options.operation_timeout_ms = 20000;
  options.total_timeout_ms = 60000;
  return options;
}

std::string Serialize(const JsonValue& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// What a clinician sees of each card, one string per card, in order: enough to tell two
// answers apart without the random uuids.
std::vector<std::string> CardEssentials(const std::string& body) {
  rapidjson::Document document;
  if (!fhir::ParseJson(body, 256, document).ok()) return {"<not json>"};
  std::vector<std::string> cards;
  for (const JsonValue& card : fhir::Elements(document, "cards")) {
    std::ostringstream out;
    const JsonValue* source = fhir::FindObject(card, "source");
    const JsonValue* topic = source != nullptr ? fhir::FindObject(*source, "topic") : nullptr;
    if (topic != nullptr) out << fhir::FindString(*topic, "code").value_or("") << " | ";
    out << fhir::FindString(card, "indicator").value_or("") << " | "
        << fhir::FindString(card, "summary").value_or("") << " | "
        << fhir::FindString(card, "detail").value_or("");
    for (const JsonValue& suggestion : fhir::Elements(card, "suggestions")) {
      out << " | suggestion " << fhir::FindString(suggestion, "label").value_or("");
      for (const JsonValue& action : fhir::Elements(suggestion, "actions")) {
        out << " " << fhir::FindString(action, "type").value_or("");
        if (const JsonValue* resource = fhir::FindObject(action, "resource")) {
          out << " " << Serialize(*resource);
        }
      }
    }
    cards.push_back(out.str());
  }
  return cards;
}

// A transaction Bundle that PUTs every record resource (and Medication) of the request's
// prefetch; sets *needs_include when a prefetch Bundle carries resources its search would
// only return with _include (the declared templates do not ask for it), and *entries to the
// number of resources in it.
std::string RecordTransaction(const JsonValue& request, bool* needs_include, int* entries) {
  *needs_include = false;
  *entries = 0;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("resourceType");
  writer.String("Bundle");
  writer.Key("type");
  writer.String("transaction");
  writer.Key("entry");
  writer.StartArray();
  const JsonValue* prefetch = fhir::FindObject(request, "prefetch");
  for (size_t k = 0; k < 3 && prefetch != nullptr; ++k) {
    const JsonValue* bundle = fhir::FindObject(*prefetch, kRecordKeys[k]);
    if (bundle == nullptr) continue;
    for (const fhir::BundleEntry& entry : fhir::BundleEntries(*bundle)) {
      std::optional<std::string_view> type = fhir::ResourceType(*entry.resource);
      if (!type) continue;
      if (*type != kRecordTypes[k]) {
        if (*type == "Medication") *needs_include = true;
        if (*type != "Medication") continue;  // junk the rules ignore anyway
      }
      std::optional<std::string_view> id = fhir::FindString(*entry.resource, "id");
      ++*entries;
      writer.StartObject();
      writer.Key("resource");
      entry.resource->Accept(writer);
      writer.Key("request");
      writer.StartObject();
      writer.Key("method");
      writer.String(id ? "PUT" : "POST");
      writer.Key("url");
      writer.String(std::string(*type) + (id ? "/" + std::string(*id) : ""));
      writer.EndObject();
      writer.EndObject();
    }
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The request without prefetch, its fhirServer pointing at `fhir_server`.
std::string WithoutPrefetch(const std::string& request_body, const std::string& fhir_server) {
  rapidjson::Document document;
  if (!fhir::ParseJson(request_body, 256, document).ok() || !document.IsObject()) return "";
  document.RemoveMember("prefetch");
  document.RemoveMember("fhirServer");
  rapidjson::Value server;
  server.SetString(fhir_server.c_str(), static_cast<rapidjson::SizeType>(fhir_server.size()),
                   document.GetAllocator());
  document.AddMember("fhirServer", server, document.GetAllocator());
  return Serialize(document);
}

// The FHIR test server, started once for the suite with validation off (the corpus has
// deliberately broken records, which a validating server would refuse to store).
class FhirFetchCasesTest : public SharedFhirServerTest {
 protected:
  static void SetUpTestSuite() { StartSharedServer({"--no-validate"}); }
  static void TearDownTestSuite() { StopSharedServer(); }

  void SetUp() override {
    SetUpSharedServer();
    if (IsSkipped() || HasFatalFailure()) return;
    UseFetchConfig(GenerousFetchConfig());
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << "fetch log:\n" << fetch_log_.str();
  }

  // The service config (default rules) with `fetch` as its fhir section, for the handler and
  // the fetcher alike; the cache off unless `fetch` turns it on.
  void UseFetchConfig(FhirFetchConfig fetch) {
    auto config = std::make_shared<ServiceConfig>(*DefaultServiceConfig());
    config->fhir = fetch;
    config_ = config;
    FhirRecordFetcher::Options options;
    options.config = [fetch] { return fetch; };
    options.cache = &cache_;
    options.log = &fetch_log_;
    fetcher_ = std::make_unique<FhirRecordFetcher>(options);
  }

  HttpResponse Run(const std::string& service, const std::string& body) {
    RuleCase hook;
    hook.path = "fetch";
    hook.now = TestToday();
    hook.service = service;
    hook.request_body = body;
    return RunRuleCase(hook, "", fetcher_.get(), config_);
  }

  std::string Fixture(const std::string& name, const std::string& fhir_server,
                      const std::string& patient_id) {
    std::string text = LoadFixture("tests/data/fetch/" + name);
    text = ReplaceAll(text, "__FHIR_SERVER__", fhir_server);
    return ReplaceAll(text, "__PATIENT_ID__", patient_id);
  }

  // The same request with the patient's record as prefetch, read from the server in one page.
  std::string WithPrefetchFromServer(const std::string& request_body,
                                     const std::string& patient_id) {
    rapidjson::Document document;
    EXPECT_TRUE(fhir::ParseJson(request_body, 256, document).ok());
    rapidjson::Value prefetch(rapidjson::kObjectType);
    CpprestFhirClient client("", GenerousTransport());
    for (size_t k = 0; k < 3; ++k) {
      StatusOr<fhir::FhirResponse> page = client.Get(server_->base_url() + "/" + kRecordTypes[k] +
                                                     "?patient=" + patient_id + "&_count=1000");
      EXPECT_TRUE(page.ok() && page->http_status == 200);
      if (!page.ok()) continue;
      rapidjson::Document bundle;
      EXPECT_TRUE(fhir::ParseJson(page->body, 256, bundle).ok());
      rapidjson::Value copy(bundle, document.GetAllocator());
      prefetch.AddMember(rapidjson::StringRef(kRecordKeys[k]), copy, document.GetAllocator());
    }
    document.AddMember("prefetch", prefetch, document.GetAllocator());
    return Serialize(document);
  }

  size_t FhirRequestCount() {
    StatusOr<std::vector<LoggedFhirRequest>> log = server_->RequestLog();
    EXPECT_TRUE(log.ok());
    return log.ok() ? log->size() : 0;
  }

  void RunCaseBothWays(const std::string& file, std::set<std::string>& patients,
                       std::vector<std::string>& not_comparable);

  std::string DownServer() {
    return "http://127.0.0.1:" + std::to_string(FreeLoopbackPort()) + "/fhir";
  }

  std::shared_ptr<const ServiceConfig> config_;
  RecordCache cache_;
  std::ostringstream fetch_log_;
  std::unique_ptr<FhirRecordFetcher> fetcher_;
};

// Loads the case's record into the FHIR server, then runs the case with prefetch and again
// with the record fetched; both must give the cards the case expects, identically.
void FhirFetchCasesTest::RunCaseBothWays(const std::string& file, std::set<std::string>& patients,
                                         std::vector<std::string>& not_comparable) {
  StatusOr<RuleCase> rule_case = LoadRuleCase(file);
  ASSERT_TRUE(rule_case.ok()) << rule_case.status().ToString();
  SCOPED_TRACE(file + "\nwhy: " + rule_case->why);
  rapidjson::Document request;
  ASSERT_TRUE(fhir::ParseJson(rule_case->request_body, 256, request).ok());
  const JsonValue* context = fhir::FindObject(request, "context");
  ASSERT_NE(context, nullptr);
  const std::string patient(fhir::FindString(*context, "patientId").value_or(""));
  // One patient per case, so no case sees another's record on the shared server.
  EXPECT_TRUE(patients.insert(patient).second) << "patientId used twice: " << patient;

  bool needs_include = false;
  int entries = 0;
  const std::string transaction = RecordTransaction(request, &needs_include, &entries);
  if (entries > 0) {
    Status loaded = server_->LoadTransaction(transaction);
    ASSERT_TRUE(loaded.ok()) << loaded.ToString();
  }

  HttpResponse prefetched = RunRuleCase(*rule_case, "", nullptr, config_);
  HttpResponse fetched =
      RunRuleCase(*rule_case, WithoutPrefetch(rule_case->request_body, server_->base_url()),
                  fetcher_.get(), config_);
  if (needs_include) {
    // The record names a Medication that only a search with _include returns; the declared
    // prefetch templates do not ask for it, so the fetched record cannot resolve it.
    not_comparable.push_back(file);
    EXPECT_EQ(fetched.status, 200) << fetched.body;
    return;
  }
  ExpectCardsAsExpected(*rule_case, fetched);
  EXPECT_EQ(fetched.status, prefetched.status);
  EXPECT_EQ(CardEssentials(fetched.body), CardEssentials(prefetched.body));
}

TEST_F(FhirFetchCasesTest, EveryCorpusCaseGivesTheSameCardsWithTheRecordFromTheFhirServer) {
  std::vector<std::string> files = FindRuleCaseFiles(SourcePath("tests/data/cases"));
  ASSERT_FALSE(files.empty()) << "no case under tests/data/cases";
  std::set<std::string> patients;
  std::vector<std::string> not_comparable;
  for (const std::string& file : files) RunCaseBothWays(file, patients, not_comparable);
  for (const std::string& file : not_comparable) {
    std::cout << "not comparable (needs _include): " << file << "\n";
  }
  EXPECT_LE(not_comparable.size(), 1u);
}

TEST_F(FhirFetchCasesTest, FetchedRecordGivesTheSameCardsAsThePrefetchedOne) {
  for (const char* patient : {"pat-alem-4mo", "pat-alem-2y", "pat-no-alem", "pat-alem-active-pred",
                              "pat-alem-fingolimod", "pat-many"}) {
    for (const char* fixture : {"order_select_alemtuzumab_without_prefetch.json",
                                "order_sign_alemtuzumab_without_prefetch.json"}) {
      SCOPED_TRACE(std::string(patient) + " " + fixture);
      const std::string service = std::string(fixture).find("order_sign") == 0
                                      ? "steroid-advisor-order-sign"
                                      : "steroid-advisor-order-select";
      const std::string body = Fixture(fixture, server_->base_url(), patient);
      HttpResponse fetched = Run(service, body);
      HttpResponse prefetched = Run(service, WithPrefetchFromServer(body, patient));
      EXPECT_EQ(fetched.status, 200) << fetched.body;
      EXPECT_EQ(prefetched.status, 200) << prefetched.body;
      EXPECT_FALSE(CardEssentials(fetched.body).empty());
      EXPECT_EQ(CardEssentials(fetched.body), CardEssentials(prefetched.body));
    }
  }
}

TEST_F(FhirFetchCasesTest, BearerTokenFromFhirAuthorizationReachesTheFhirServer) {
  ASSERT_TRUE(server_->Control(R"({"requireBearer":"ehr-token-1"})").ok());
  rapidjson::Document document;
  ASSERT_TRUE(fhir::ParseJson(Fixture("order_select_alemtuzumab_without_prefetch.json",
                                      server_->base_url(), "pat-alem-4mo"),
                              256, document)
                  .ok());
  rapidjson::Document authorization;
  ASSERT_TRUE(fhir::ParseJson(R"({"access_token":"ehr-token-1","token_type":"Bearer",
      "expires_in":300,"scope":"user/MedicationRequest.read","subject":"steroid-advisor"})",
                              16, authorization)
                  .ok());
  rapidjson::Value copy(authorization, document.GetAllocator());
  document.AddMember("fhirAuthorization", copy, document.GetAllocator());
  HttpResponse response = Run("steroid-advisor-order-select", Serialize(document));
  EXPECT_EQ(response.status, 200) << response.body;
  StatusOr<std::vector<LoggedFhirRequest>> log = server_->RequestLog();
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  for (const LoggedFhirRequest& request : *log) {
    EXPECT_TRUE(request.authorization_present) << request.url;
    EXPECT_EQ(request.bearer_matches, std::optional<bool>(true)) << request.url;
  }
}

TEST_F(FhirFetchCasesTest, ServerDownGives412WhenTheOrdersNeedTheRecord) {
  HttpResponse response =
      Run("steroid-advisor-order-select",
          Fixture("order_select_alemtuzumab_without_prefetch.json", DownServer(), "pat-alem-4mo"));
  EXPECT_EQ(response.status, 412) << response.body;
}

TEST_F(FhirFetchCasesTest, ServerDownStillAnswersOrdersThatNeedNoRecord) {
  HttpResponse response =
      Run("steroid-advisor-order-select",
          Fixture("order_select_metformin_without_prefetch.json", DownServer(), "pat-alem-4mo"));
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(CardEssentials(response.body).empty());
}

TEST_F(FhirFetchCasesTest, SlowServerIsAnsweredWithinTheBudgetAsIfDown) {
  ASSERT_TRUE(server_->Control(R"({"delayMs":20000})").ok());
  FhirFetchConfig fetch = GenerousFetchConfig();
  fetch.connect_timeout_ms = 30000;  // only the total budget can end the wait
  fetch.total_timeout_ms = 300;
  UseFetchConfig(fetch);
  HttpResponse response =
      Run("steroid-advisor-order-select", Fixture("order_select_alemtuzumab_without_prefetch.json",
                                                  server_->base_url(), "pat-alem-4mo"));
  EXPECT_EQ(response.status, 412) << response.body;
}

TEST_F(FhirFetchCasesTest, PartialRecordIsEvaluatedWithWhatIsAvailable) {
  // medicationRequests prefetched, the two other keys left to a FHIR server that is down.
  const std::string patient = "pat-alem-4mo";
  std::string body = WithPrefetchFromServer(
      Fixture("order_select_alemtuzumab_without_prefetch.json", DownServer(), patient), patient);
  rapidjson::Document document;
  ASSERT_TRUE(fhir::ParseJson(body, 256, document).ok());
  rapidjson::Value::MemberIterator prefetch = document.FindMember("prefetch");
  ASSERT_TRUE(prefetch != document.MemberEnd() && prefetch->value.IsObject());
  prefetch->value.RemoveMember("medicationAdministrations");
  prefetch->value.RemoveMember("medicationStatements");
  HttpResponse response = Run("steroid-advisor-order-select", Serialize(document));
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(FhirFetchCasesTest, ServerOffTheAllowlistIsNeverContacted) {
  FhirFetchConfig fetch = GenerousFetchConfig();
  fetch.allowlist = {"https://ehr.example.org/fhir"};
  UseFetchConfig(fetch);
  HttpResponse response =
      Run("steroid-advisor-order-select", Fixture("order_select_alemtuzumab_without_prefetch.json",
                                                  server_->base_url(), "pat-alem-4mo"));
  EXPECT_EQ(response.status, 412) << response.body;
  EXPECT_EQ(FhirRequestCount(), 0u);
}

TEST_F(FhirFetchCasesTest, OrderSelectThenOrderSignForOnePatientFetchesOnce) {
  FhirFetchConfig fetch = GenerousFetchConfig();
  fetch.cache_seconds = 60;
  UseFetchConfig(fetch);
  HttpResponse selected =
      Run("steroid-advisor-order-select", Fixture("order_select_alemtuzumab_without_prefetch.json",
                                                  server_->base_url(), "pat-alem-4mo"));
  HttpResponse signed_order = Run(
      "steroid-advisor-order-sign",
      Fixture("order_sign_alemtuzumab_without_prefetch.json", server_->base_url(), "pat-alem-4mo"));
  EXPECT_EQ(selected.status, 200) << selected.body;
  EXPECT_EQ(signed_order.status, 200) << signed_order.body;
  EXPECT_EQ(CardEssentials(selected.body), CardEssentials(signed_order.body));
  EXPECT_EQ(FhirRequestCount(), 3u);  // one GET per record key, for both hooks together
}

}  // namespace
}  // namespace steroid_advisor::plugin

namespace steroid_advisor::plugin {
namespace {

// Issue 12: the request pipeline against the real FHIR server: one deadline, null prefetch,
// medications by reference, the per-server bulkhead.

// The order-sign example (prednisone 40 mg for 6 weeks) for `patient_id`, its record left to
// `fhir_server`, or given as `prefetch` (a JSON object text) when not empty.
std::string PrednisoneSixWeeks(const std::string& fhir_server, const std::string& patient_id,
                               const std::string& prefetch = "") {
  rapidjson::Document document;
  EXPECT_TRUE(fhir::ParseJson(LoadFixture("tests/data/examples/"
                                          "order-sign-prednisone-6-weeks-after-alemtuzumab.json"),
                              256, document)
                  .ok());
  document.RemoveMember("prefetch");
  document["fhirServer"].SetString(fhir_server.c_str(), document.GetAllocator());
  std::string text = ReplaceAll(Serialize(document), "pat-1001", patient_id);
  if (prefetch.empty()) return text;
  text.pop_back();  // the closing brace
  return text + R"(,"prefetch":)" + prefetch + "}";
}

// A patient whose only alemtuzumab is an infusion recorded by medicationReference, four months
// before TestToday(), with the Medication stored apart (as EHRs do).
std::string AlemtuzumabByReference(const std::string& patient_id) {
  return R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"resource":{"resourceType":"Patient","id":")" +
         patient_id + R"("},"request":{"method":"PUT","url":"Patient/)" + patient_id + R"("}},
    {"resource":{"resourceType":"Medication","id":"med-lemtrada-)" +
         patient_id +
         R"(","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm",
       "code":"1594659","display":"Lemtrada"}],"text":"alemtuzumab"}},
     "request":{"method":"PUT","url":"Medication/med-lemtrada-)" +
         patient_id + R"("}},
    {"resource":{"resourceType":"MedicationAdministration","id":"ma-)" +
         patient_id + R"(","status":"completed",
       "medicationReference":{"reference":"Medication/med-lemtrada-)" +
         patient_id + R"("},
       "subject":{"reference":"Patient/)" +
         patient_id + R"("},"effectiveDateTime":"2026-07-24T09:00:00Z"},
     "request":{"method":"PUT","url":"MedicationAdministration/ma-)" +
         patient_id + R"("}}]})";
}

class RecordPipelineTest : public FhirFetchCasesTest {};

bool HasCard(const std::string& body, const std::string& topic) {
  for (const std::string& card : CardEssentials(body)) {
    if (card.find(topic) != std::string::npos) return true;
  }
  return false;
}

TEST_F(RecordPipelineTest, SlowServerWithinTheDeadlineGivesTheSameCardsAsPrefetch) {
  // A search that takes 0.7 s is slower than the old 500 ms connect timeout allowed, well
  // within the 2 s deadline: it must be waited for.
  FhirFetchConfig fetch;  // the defaults: totalTimeoutMs 2000
  UseFetchConfig(fetch);
  ASSERT_TRUE(server_->Control(R"({"delayMs":700})").ok());
  const std::string body =
      Fixture("order_sign_alemtuzumab_without_prefetch.json", server_->base_url(), "pat-alem-4mo");
  HttpResponse fetched = Run("steroid-advisor-order-sign", body);
  ASSERT_TRUE(server_->Control(R"({"delayMs":0})").ok());
  HttpResponse prefetched =
      Run("steroid-advisor-order-sign", WithPrefetchFromServer(body, "pat-alem-4mo"));
  EXPECT_EQ(fetched.status, 200) << fetched.body << "\n" << fetch_log_.str();
  EXPECT_FALSE(CardEssentials(fetched.body).empty());
  EXPECT_EQ(CardEssentials(fetched.body), CardEssentials(prefetched.body));
}

TEST_F(RecordPipelineTest, NullPrefetchIsAnEmptyRecordAndIsNotFetchedAgain) {
  const std::string nulls =
      R"({"medicationRequests":null,"medicationAdministrations":null,"medicationStatements":null})";
  HttpResponse response = Run("steroid-advisor-order-sign",
                              PrednisoneSixWeeks(server_->base_url(), "pat-null-1", nulls));
  // A record with nothing in it: no alemtuzumab exposure, so no steroid card, and no 412.
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(CardEssentials(response.body).empty()) << response.body;
  EXPECT_EQ(FhirRequestCount(), 0u);
}

TEST_F(RecordPipelineTest, MissingPrefetchKeyIsFetchedAndNullOneIsNot) {
  const std::string patient = "pat-ref-partial";
  ASSERT_TRUE(server_->LoadTransaction(AlemtuzumabByReference(patient)).ok());
  ASSERT_TRUE(server_->ClearLog().ok());
  HttpResponse response =
      Run("steroid-advisor-order-sign",
          PrednisoneSixWeeks(server_->base_url(), patient,
                             R"({"medicationRequests":null,"medicationStatements":null})"));
  EXPECT_EQ(response.status, 200) << response.body;
  StatusOr<std::vector<LoggedFhirRequest>> log = server_->RequestLog();
  ASSERT_TRUE(log.ok());
  for (const LoggedFhirRequest& request : *log) {
    EXPECT_EQ(request.url.find("/fhir/MedicationRequest"), std::string::npos) << request.url;
    EXPECT_EQ(request.url.find("/fhir/MedicationStatement"), std::string::npos) << request.url;
  }
}

TEST_F(RecordPipelineTest, AlemtuzumabRecordedByReferenceCountsAsExposure) {
  const std::string patient = "pat-ref-med";
  ASSERT_TRUE(server_->LoadTransaction(AlemtuzumabByReference(patient)).ok());
  HttpResponse response =
      Run("steroid-advisor-order-sign", PrednisoneSixWeeks(server_->base_url(), patient));
  ASSERT_EQ(response.status, 200) << response.body << "\n" << fetch_log_.str();
  EXPECT_TRUE(HasCard(response.body, "prolonged-steroid")) << response.body;
}

TEST_F(RecordPipelineTest, ReferencedMedicationIsReadWhenPrefetchLacksIt) {
  // The EHR prefetched the record without the Medication: the service reads it by id.
  const std::string patient = "pat-ref-prefetched";
  ASSERT_TRUE(server_->LoadTransaction(AlemtuzumabByReference(patient)).ok());
  const std::string administration = R"({"resourceType":"Bundle","type":"searchset","entry":[
      {"resource":{"resourceType":"MedicationAdministration","id":"ma-x","status":"completed",
       "medicationReference":{"reference":"Medication/med-lemtrada-)" +
                                     patient + R"("},
       "subject":{"reference":"Patient/)" +
                                     patient +
                                     R"("},"effectiveDateTime":"2026-07-24T09:00:00Z"}}]})";
  ASSERT_TRUE(server_->ClearLog().ok());
  HttpResponse response =
      Run("steroid-advisor-order-sign",
          PrednisoneSixWeeks(server_->base_url(), patient,
                             R"({"medicationRequests":null,"medicationStatements":null,)"
                             R"("medicationAdministrations":)" +
                                 administration + "}"));
  ASSERT_EQ(response.status, 200) << response.body << "\n" << fetch_log_.str();
  EXPECT_TRUE(HasCard(response.body, "prolonged-steroid")) << response.body;
  StatusOr<std::vector<LoggedFhirRequest>> log = server_->RequestLog();
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].url, "/fhir/Medication?_id=med-lemtrada-" + patient);
}

TEST_F(RecordPipelineTest, CallsBeyondTheBulkheadAre503WithRetryAfterAndNeverSent) {
  FhirFetchConfig fetch = GenerousFetchConfig();
  fetch.max_in_flight_per_server = 2;
  UseFetchConfig(fetch);
  ASSERT_TRUE(server_->Control(R"({"delayMs":1500})").ok());
  const std::string body =
      Fixture("order_sign_alemtuzumab_without_prefetch.json", server_->base_url(), "pat-alem-4mo");
  const ServiceDefinition* service = FindService("steroid-advisor-order-sign");
  ASSERT_NE(service, nullptr);
  HttpRequest request;
  request.method = "POST";
  request.path = "/cds-services/steroid-advisor-order-sign";
  request.body = body;
  auto context = std::make_shared<HandlerContext>();
  context->config = config_;
  context->today = TestToday();
  context->fetcher = fetcher_.get();
  std::vector<std::future<HttpResponse>> waiting;
  for (int i = 0; i < 2; ++i) {
    auto promise = std::make_shared<std::promise<HttpResponse>>();
    waiting.push_back(promise->get_future());
    HandleHook(request, *service, context,
               [promise](HttpResponse response) { promise->set_value(std::move(response)); });
  }
  // Both slots are taken until the slow server answers: the third call is refused at once.
  HttpResponse refused = AwaitResponse(
      [&](Respond respond) { HandleHook(request, *service, context, std::move(respond)); });
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.headers["Retry-After"], "1");
  for (std::future<HttpResponse>& answer : waiting) {
    HttpResponse response = answer.get();
    EXPECT_EQ(response.status, 200) << response.body;
  }
  // Only the two admitted calls reached the server (three keys each).
  EXPECT_EQ(FhirRequestCount(), 6u);
}

}  // namespace
}  // namespace steroid_advisor::plugin
