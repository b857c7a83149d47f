// Tests for plugin/record/fhir_fetch.h (and the cpprest transport under it) against a real FHIR R4
// server on loopback (tests/fhir_server), plus the allowlist rules, which need no server.
#include "plugin/record/fhir_fetch.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/bundle.h"
#include "fhir/json_access.h"
#include "gtest/gtest.h"
#include "plugin/record/cache.h"
#include "plugin/record/cpprest_fhir_client.h"
#include "tests/plugin/await_test_util.h"
#include "tests/plugin/record/fhir_server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

const std::vector<RecordQuery> kRecordQueries = {
    {"medicationRequests", "MedicationRequest?patient={{context.patientId}}"},
    {"medicationAdministrations", "MedicationAdministration?patient={{context.patientId}}"},
    {"medicationStatements", "MedicationStatement?patient={{context.patientId}}"},
};

// A loopback port nobody listens on: bound to port 0, read, closed.
int UnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::vector<std::string> ResourceIds(const FetchedKey& key) {
  std::vector<std::string> ids;
  for (const auto& page : key.pages) {
    for (const fhir::BundleEntry& entry : fhir::BundleEntries(*page)) {
      ids.emplace_back(fhir::FindString(*entry.resource, "id").value_or(""));
    }
  }
  return ids;
}

TEST(FhirServerAllowlist, EmptyListAllowsHttpsAnywhereAndHttpOnLoopback) {
  struct Case {
    std::string server;
    bool allowed;
  };
  const Case cases[] = {
      {"https://ehr.example.org/fhir", true},
      {"http://127.0.0.1:8080/fhir", true},
      {"http://127.1.2.3/fhir", true},
      {"http://localhost:9/fhir", true},
      {"http://[::1]:9/fhir", true},
      {"http://ehr.example.org/fhir", false},  // a bearer token must not travel in clear
      {"http://127.0.0.1.evil.example/fhir", false},
      {"ftp://ehr.example.org/fhir", false},
      {"https://user@ehr.example.org/fhir", false},
      {"", false},
      {"not a url", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.server);
    EXPECT_EQ(IsFhirServerAllowed(c.server, {}), c.allowed);
  }
}

TEST(FhirServerAllowlist, EntriesArePrefixesOnOriginAndPathSegments) {
  const std::vector<std::string> allowlist = {"https://ehr.example.org/fhir",
                                              "http://legacy.example.org:8080/"};
  struct Case {
    std::string server;
    bool allowed;
  };
  const Case cases[] = {
      {"https://ehr.example.org/fhir", true},
      {"https://EHR.example.org:443/fhir/r4", true},
      {"https://ehr.example.org/fhir/", true},
      {"https://ehr.example.org/fhir-test", false},
      {"https://ehr.example.org/other", false},
      {"https://ehr.example.org.evil.io/fhir", false},
      {"http://ehr.example.org/fhir", false},
      {"https://ehr.example.org:8443/fhir", false},
      {"http://legacy.example.org:8080/anything", true},  // listed explicitly, so http is fine
      {"https://elsewhere.example.org/fhir", false},      // a list replaces the default rule
      {"http://127.0.0.1/fhir", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.server);
    EXPECT_EQ(IsFhirServerAllowed(c.server, allowlist), c.allowed);
  }
}

// One FHIR test server for the suite (start-up loads the R4 definitions: seconds, not
// milliseconds); every test starts from a reset server with an empty request log.
class FhirFetchTest : public SharedFhirServerTest {
 protected:
  static void SetUpTestSuite() { StartSharedServer(); }
  static void TearDownTestSuite() { StopSharedServer(); }

  void SetUp() override {
    SetUpSharedServer();
    if (IsSkipped() || HasFatalFailure()) return;
  }

  void TearDown() override {
    // The fetcher's own account of what went wrong (never a token or a body).
    if (HasFailure()) std::cerr << "fetch log:\n" << log_.str();
  }

  // Budgets far above any real answer time, so a loaded CI machine cannot fail a test that is
  // not about timeouts (those set their own).
  static FhirFetchConfig Config() {
    FhirFetchConfig config;
    config.connect_timeout_ms = 20000;
    config.total_timeout_ms = 60000;
    config.cache_seconds = 0;
    return config;
  }

  std::vector<FetchedKey> Fetch(const FhirFetchConfig& config, const std::string& patient_id,
                                const std::string& token = "", RecordCache* cache = nullptr,
                                std::string fhir_server = "") {
    FhirRecordFetcher::Options options;
    options.config = [config] { return config; };
    options.cache = cache;
    options.log = &log_;
    FhirRecordFetcher fetcher(options);
    RecordFetchRequest request;
    request.fhir_server = fhir_server.empty() ? server_->base_url() : fhir_server;
    request.access_token = token;
    request.context = {{"patientId", patient_id}, {"userId", "Practitioner/doc-1"}};
    request.queries = kRecordQueries;
    return FetchAndWait(fetcher, request);
  }

  std::vector<LoggedFhirRequest> FhirRequests() {
    StatusOr<std::vector<LoggedFhirRequest>> log = server_->RequestLog();
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return log.ok() ? *log : std::vector<LoggedFhirRequest>();
  }

  static void ExpectNoneAvailable(const std::vector<FetchedKey>& keys) {
    ASSERT_EQ(keys.size(), kRecordQueries.size());
    for (const FetchedKey& key : keys) {
      SCOPED_TRACE(key.key);
      EXPECT_FALSE(key.available);
      EXPECT_TRUE(key.pages.empty());
    }
  }

  std::ostringstream log_;
};

TEST_F(FhirFetchTest, FetchesEveryRecordKeyOfThePatient) {
  std::vector<FetchedKey> keys = Fetch(Config(), "pat-alem-4mo");
  ASSERT_EQ(keys.size(), 3u);
  for (size_t i = 0; i < keys.size(); ++i) {
    SCOPED_TRACE(kRecordQueries[i].key);
    EXPECT_EQ(keys[i].key, kRecordQueries[i].key);
    EXPECT_TRUE(keys[i].available);
    ASSERT_EQ(keys[i].pages.size(), 1u);
    EXPECT_EQ(fhir::BundleType(*keys[i].pages[0]), std::optional<std::string_view>("searchset"));
  }
  EXPECT_EQ(std::set<std::string>({"mr-alem-4mo-alemtuzumab", "mr-alem-4mo-methylprednisolone",
                                   "mr-alem-4mo-acyclovir"}),
            [&] {
              std::vector<std::string> ids = ResourceIds(keys[0]);
              return std::set<std::string>(ids.begin(), ids.end());
            }());
  EXPECT_EQ(ResourceIds(keys[1]), std::vector<std::string>{"ma-alem-4mo-alemtuzumab-day1"});
  // No statements: available, and empty (an empty record is not a missing one).
  EXPECT_TRUE(ResourceIds(keys[2]).empty());
  EXPECT_EQ(FhirRequests().size(), 3u);
}

TEST_F(FhirFetchTest, SendsTheBearerTokenTheServerRequires) {
  ASSERT_TRUE(server_->Control(R"({"requireBearer":"token-abc"})").ok());
  std::vector<FetchedKey> keys = Fetch(Config(), "pat-alem-4mo", "token-abc");
  for (const FetchedKey& key : keys) EXPECT_TRUE(key.available) << key.key;
  std::vector<LoggedFhirRequest> requests = FhirRequests();
  ASSERT_EQ(requests.size(), 3u);
  for (const LoggedFhirRequest& request : requests) {
    SCOPED_TRACE(request.url);
    EXPECT_TRUE(request.authorization_present);
    EXPECT_EQ(request.bearer_matches, std::optional<bool>(true));
  }
  // The token never reaches our log.
  EXPECT_EQ(log_.str().find("token-abc"), std::string::npos);
}

TEST_F(FhirFetchTest, SendsNoAuthorizationHeaderWithoutAToken) {
  std::vector<FetchedKey> keys = Fetch(Config(), "pat-alem-4mo", "");
  for (const FetchedKey& key : keys) EXPECT_TRUE(key.available) << key.key;
  for (const LoggedFhirRequest& request : FhirRequests()) {
    EXPECT_FALSE(request.authorization_present) << request.url;
  }
}

TEST_F(FhirFetchTest, RejectedTokenMakesEveryKeyUnavailable) {
  ASSERT_TRUE(server_->Control(R"({"requireBearer":"token-abc"})").ok());
  ExpectNoneAvailable(Fetch(Config(), "pat-alem-4mo", "token-wrong"));
  for (const LoggedFhirRequest& request : FhirRequests()) {
    EXPECT_EQ(request.bearer_matches, std::optional<bool>(false));
  }
  EXPECT_NE(log_.str().find("http status 401"), std::string::npos);
  EXPECT_EQ(log_.str().find("token-wrong"), std::string::npos);
}

TEST_F(FhirFetchTest, ErrorAnswersMakeTheKeyUnavailable) {
  for (const char* control :
       {R"({"status":401})", R"({"status":403})", R"({"status":404})", R"({"status":500})",
        R"({"status":503})", R"({"status":302})", R"({"operationOutcome":true})"}) {
    SCOPED_TRACE(control);
    ASSERT_TRUE(server_->Reset().ok());
    ASSERT_TRUE(server_->Control(control).ok());
    ExpectNoneAvailable(Fetch(Config(), "pat-alem-4mo"));
  }
}

TEST_F(FhirFetchTest, FollowsNextLinksAcrossThreePages) {
  std::vector<FetchedKey> keys = Fetch(Config(), "pat-many");
  ASSERT_TRUE(keys[0].available);
  EXPECT_EQ(keys[0].pages.size(), 3u);  // 45 requests at the server's default 20 per page
  std::vector<std::string> ids = ResourceIds(keys[0]);
  EXPECT_EQ(ids.size(), 45u);
  // The alemtuzumab order sits on the last page.
  ASSERT_FALSE(keys[0].pages.empty());
  std::vector<std::string> last_page_ids;
  for (const fhir::BundleEntry& entry : fhir::BundleEntries(*keys[0].pages.back())) {
    last_page_ids.emplace_back(fhir::FindString(*entry.resource, "id").value_or(""));
  }
  EXPECT_NE(std::find(last_page_ids.begin(), last_page_ids.end(), "mr-many-43-alemtuzumab"),
            last_page_ids.end());
  int medication_request_gets = 0;
  for (const LoggedFhirRequest& request : FhirRequests()) {
    if (request.url.find("/fhir/MedicationRequest") == 0) ++medication_request_gets;
  }
  EXPECT_EQ(medication_request_gets, 3);
}

TEST_F(FhirFetchTest, SearchWithMorePagesThanTheCapIsUnavailable) {
  FhirFetchConfig config = Config();
  config.max_pages = 2;
  std::vector<FetchedKey> keys = Fetch(config, "pat-many");
  EXPECT_FALSE(keys[0].available);  // a record with a hole is not offered as the record
  EXPECT_TRUE(keys[1].available);
}

TEST_F(FhirFetchTest, NextLinkToAnotherHostIsNotFollowed) {
  // The server now writes links for "localhost" while we asked 127.0.0.1: another host.
  ASSERT_TRUE(server_
                  ->Control(R"({"linkBase":"http://localhost:)" + std::to_string(server_->port()) +
                            R"(/fhir"})")
                  .ok());
  std::vector<FetchedKey> keys = Fetch(Config(), "pat-many");
  EXPECT_FALSE(keys[0].available);
  int medication_request_gets = 0;
  for (const LoggedFhirRequest& request : FhirRequests()) {
    if (request.url.find("/fhir/MedicationRequest") == 0) ++medication_request_gets;
  }
  EXPECT_EQ(medication_request_gets, 1);
}

TEST_F(FhirFetchTest, SlowServerPastTheTotalTimeoutGivesUnavailableKeys) {
  ASSERT_TRUE(server_->Control(R"({"delayMs":20000})").ok());
  FhirFetchConfig config = Config();
  // Only the total budget can end these requests: the per-operation timeout is longer than it.
  config.connect_timeout_ms = 30000;
  config.total_timeout_ms = 300;
  ExpectNoneAvailable(Fetch(config, "pat-alem-4mo"));
  EXPECT_NE(log_.str().find("deadline_exceeded"), std::string::npos) << log_.str();
}

TEST_F(FhirFetchTest, ServerThatIsDownGivesUnavailableKeys) {
  const std::string down = "http://127.0.0.1:" + std::to_string(UnusedPort()) + "/fhir";
  ExpectNoneAvailable(Fetch(Config(), "pat-alem-4mo", "", nullptr, down));
}

TEST_F(FhirFetchTest, ServerOffTheAllowlistIsNeverContacted) {
  FhirFetchConfig config = Config();
  config.allowlist = {"https://ehr.example.org/fhir"};
  ExpectNoneAvailable(Fetch(config, "pat-alem-4mo", "token-abc"));
  EXPECT_TRUE(FhirRequests().empty());
}

TEST_F(FhirFetchTest, ServerOnTheAllowlistIsFetched) {
  FhirFetchConfig config = Config();
  config.allowlist = {"https://ehr.example.org/fhir", server_->base_url()};
  std::vector<FetchedKey> keys = Fetch(config, "pat-alem-4mo");
  for (const FetchedKey& key : keys) EXPECT_TRUE(key.available) << key.key;
}

TEST_F(FhirFetchTest, TemplateThatCannotBeFilledIsNotFetched) {
  std::vector<FetchedKey> keys = Fetch(Config(), "");  // no patientId
  ExpectNoneAvailable(keys);
  EXPECT_TRUE(FhirRequests().empty());
}

TEST_F(FhirFetchTest, CacheServesTheSecondHookForTheSamePatient) {
  FhirFetchConfig config = Config();
  config.cache_seconds = 60;
  RecordCache cache;
  std::vector<FetchedKey> first = Fetch(config, "pat-alem-4mo", "token-abc", &cache);
  std::vector<FetchedKey> second = Fetch(config, "pat-alem-4mo", "token-abc", &cache);
  for (size_t i = 0; i < second.size(); ++i) {
    SCOPED_TRACE(second[i].key);
    EXPECT_TRUE(second[i].available);
    EXPECT_EQ(ResourceIds(second[i]), ResourceIds(first[i]));
  }
  EXPECT_EQ(FhirRequests().size(), 3u);  // one GET per key, not two

  // Another user's token, or another patient, is not served from the cache.
  Fetch(config, "pat-alem-4mo", "token-other", &cache);
  EXPECT_EQ(FhirRequests().size(), 6u);
  Fetch(config, "pat-alem-2y", "token-abc", &cache);
  EXPECT_EQ(FhirRequests().size(), 9u);
}

TEST_F(FhirFetchTest, FailedFetchesAreNotCached) {
  FhirFetchConfig config = Config();
  config.cache_seconds = 60;
  RecordCache cache;
  ASSERT_TRUE(server_->Control(R"({"status":503})").ok());
  ExpectNoneAvailable(Fetch(config, "pat-alem-4mo", "", &cache));
  ASSERT_TRUE(server_->Control(R"({"status":null})").ok());
  std::vector<FetchedKey> keys = Fetch(config, "pat-alem-4mo", "", &cache);
  for (const FetchedKey& key : keys) EXPECT_TRUE(key.available) << key.key;
}

TEST_F(FhirFetchTest, RecordsLoadedByTransactionAreFetched) {
  const std::string bundle = R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"resource":{"resourceType":"Patient","id":"pat-fetch-extra"},
     "request":{"method":"PUT","url":"Patient/pat-fetch-extra"}},
    {"resource":{"resourceType":"MedicationRequest","id":"mr-fetch-extra","status":"active",
       "intent":"order","subject":{"reference":"Patient/pat-fetch-extra"},
       "medicationCodeableConcept":{"text":"prednisone 20 mg"}},
     "request":{"method":"PUT","url":"MedicationRequest/mr-fetch-extra"}}]})";
  ASSERT_TRUE(server_->LoadTransaction(bundle).ok());
  std::vector<FetchedKey> keys = Fetch(Config(), "pat-fetch-extra");
  ASSERT_TRUE(keys[0].available);
  EXPECT_EQ(ResourceIds(keys[0]), std::vector<std::string>{"mr-fetch-extra"});
}

TEST_F(FhirFetchTest, TransportRefusesABodyOverTheCap) {
  FhirTransportOptions options;
  options.max_body_bytes = 100;
  options.operation_timeout_ms = 20000;
  options.total_timeout_ms = 60000;
  CpprestFhirClient client("", options);
  StatusOr<fhir::FhirResponse> response =
      client.Get(server_->base_url() + "/MedicationRequest?patient=pat-many");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kResourceExhausted);
}

TEST_F(FhirFetchTest, TransportGivesUpAtTheTotalTimeout) {
  ASSERT_TRUE(server_->Control(R"({"delayMs":20000})").ok());
  FhirTransportOptions options;
  options.operation_timeout_ms = 30000;
  options.total_timeout_ms = 200;
  CpprestFhirClient client("", options);
  StatusOr<fhir::FhirResponse> response =
      client.Get(server_->base_url() + "/MedicationRequest?patient=pat-alem-4mo");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded);
}

TEST_F(FhirFetchTest, TransportAnswersErrorStatusesAsResponses) {
  ASSERT_TRUE(server_->Control(R"({"status":404})").ok());
  FhirTransportOptions options;
  options.operation_timeout_ms = 20000;
  options.total_timeout_ms = 60000;
  CpprestFhirClient client("", options);
  StatusOr<fhir::FhirResponse> response =
      client.Get(server_->base_url() + "/MedicationRequest?patient=pat-alem-4mo");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->http_status, 404);
  EXPECT_NE(response->content_type.find("application/fhir+json"), std::string::npos);
}

}  // namespace
}  // namespace steroid_advisor::plugin
