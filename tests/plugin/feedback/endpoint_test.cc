// POST /cds-services/{id}/feedback over real loopback HTTP with a recorder on each store: cards
// returned by a hook call are recorded, feedback on them is answered 200 once stored and shows
// in the summary; a store that is down answers 503 with Retry-After.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "plugin/feedback/postgresql_store.h"
#include "plugin/feedback/recorder.h"
#include "plugin/feedback/timestamps.h"
#include "tests/plugin/feedback/store_test_util.h"
#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

constexpr char kService[] = "steroid-advisor-order-select";
constexpr char kUnknownCard[] = "9d4b8a52-6a7e-4f6e-9d6e-0a4b1c2d3e4f";

std::unique_ptr<FeedbackRecorder> StartRecorder(std::unique_ptr<FeedbackStore> store) {
  FeedbackRecorderOptions options;
  options.store = std::move(store);
  options.hasher = PatientHasher("endpoint-test-key-endpoint-test-key-0123");
  options.initial_backoff = std::chrono::milliseconds(10);
  auto recorder = std::make_unique<FeedbackRecorder>(std::move(options));
  recorder->Start();
  return recorder;
}

// The card uuids of a CDS Hooks response.
std::vector<std::string> CardUuids(const std::string& body) {
  rapidjson::Document document;
  EXPECT_TRUE(fhir::ParseJson(body, 64, document).ok());
  std::vector<std::string> uuids;
  for (const fhir::JsonValue& card : fhir::Elements(document, "cards")) {
    uuids.emplace_back(fhir::FindString(card, "uuid").value_or(""));
  }
  return uuids;
}

std::string FeedbackBody(const std::string& accepted_card, const std::string& overridden_card) {
  return R"({"feedback":[{"card":")" + accepted_card +
         R"(","outcome":"accepted","acceptedSuggestions":[],)"
         R"("outcomeTimestamp":"2026-11-24T10:05:00Z"},)"
         R"({"card":")" +
         overridden_card +
         R"(","outcome":"overridden","outcomeTimestamp":"2026-11-24T10:06:00Z",)"
         R"("overrideReason":{"reason":{"system":"https://steroid-advisor.org/fhir/CodeSystem/override-reason",)"
         R"("code":"given-elsewhere","display":"Premedication ordered or given outside this EHR"},)"
         R"("userComment":"given at the infusion centre"}},)"
         R"({"card":")" +
         std::string(kUnknownCard) +
         R"(","outcome":"overridden","outcomeTimestamp":"2026-11-24T10:07:00Z"}]})";
}

class FeedbackEndpointTest : public ::testing::TestWithParam<StoreKind> {};

TEST_P(FeedbackEndpointTest, FeedbackOnReturnedCardsIsStoredAndSummarised) {
  TempDir dir;
  std::unique_ptr<FeedbackStore> store = NewTestStore(GetParam(), dir);
  ASSERT_NE(store, nullptr);
  std::unique_ptr<FeedbackRecorder> recorder = StartRecorder(std::move(store));
  ASSERT_TRUE(recorder->WaitForReady(std::chrono::seconds(30)));
  ServerOptions options;
  options.feedback = recorder.get();
  std::unique_ptr<Server> server = StartTestServer(options);
  ASSERT_NE(server, nullptr);

  ClientResponse hook =
      SendRequest(server->base_url(), "POST", std::string("/cds-services/") + kService,
                  LoadFixture("tests/data/examples/order-select-alemtuzumab-alone.json"));
  ASSERT_EQ(hook.status, 200);
  std::vector<std::string> cards = CardUuids(hook.body);
  ASSERT_EQ(cards.size(), 2u);

  ClientResponse answer = SendRequest(server->base_url(), "POST",
                                      std::string("/cds-services/") + kService + "/feedback",
                                      FeedbackBody(cards[0], cards[1]));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "");

  recorder->Flush();
  StatusOr<FeedbackSummary> summary =
      recorder->Summary(*ParseInstantMs("2000-01-01"), *ParseInstantMs("2100-01-01"));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  int64_t shown = 0;
  int64_t accepted = 0;
  int64_t overridden = 0;
  bool reason_found = false;
  for (const RuleFeedbackSummary& rule : summary->rules) {
    shown += rule.shown;
    accepted += rule.accepted;
    overridden += rule.overridden;
    for (const OverrideReasonCount& reason : rule.override_reasons) {
      reason_found |= reason.code == "given-elsewhere" && reason.count == 1;
    }
  }
  EXPECT_EQ(shown, 2);
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(overridden, 1);
  EXPECT_TRUE(reason_found);
  EXPECT_EQ(summary->unknown_cards, 1);
}

TEST_P(FeedbackEndpointTest, InvalidFeedbackIsRefusedAndNothingIsStored) {
  TempDir dir;
  std::unique_ptr<FeedbackStore> store = NewTestStore(GetParam(), dir);
  ASSERT_NE(store, nullptr);
  std::unique_ptr<FeedbackRecorder> recorder = StartRecorder(std::move(store));
  ASSERT_TRUE(recorder->WaitForReady(std::chrono::seconds(30)));
  ServerOptions options;
  options.feedback = recorder.get();
  std::unique_ptr<Server> server = StartTestServer(options);
  ASSERT_NE(server, nullptr);
  ClientResponse answer = SendRequest(
      server->base_url(), "POST", std::string("/cds-services/") + kService + "/feedback",
      R"({"feedback":[{"card":"not-a-uuid","outcome":"accepted"}]})");
  EXPECT_EQ(answer.status, 400);
  recorder->Flush();
  StatusOr<FeedbackSummary> summary = recorder->Summary(0, *ParseInstantMs("2100-01-01"));
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->unknown_cards, 0);
}

INSTANTIATE_TEST_SUITE_P(BothStores, FeedbackEndpointTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgresql),
                         [](const ::testing::TestParamInfo<StoreKind>& info) {
                           return StoreKindName(info.param);
                         });

TEST(FeedbackEndpoint, StoreThatIsDownAnswers503WithRetryAfter) {
  // Nothing listens on loopback port 1: the recorder never becomes ready.
  std::unique_ptr<FeedbackRecorder> recorder =
      StartRecorder(std::make_unique<PostgresqlStore>("postgresql://postgres@127.0.0.1:1/none", 1));
  ServerOptions options;
  options.feedback = recorder.get();
  std::unique_ptr<Server> server = StartTestServer(options);
  ASSERT_NE(server, nullptr);
  ClientResponse answer = SendRequest(server->base_url(), "POST",
                                      std::string("/cds-services/") + kService + "/feedback",
                                      FeedbackBody(kUnknownCard, kUnknownCard));
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.headers["retry-after"], "5");
}

TEST(FeedbackEndpoint, WithoutRecorderFeedbackIsValidatedAndAnswered200) {
  std::unique_ptr<Server> server = StartTestServer();
  ASSERT_NE(server, nullptr);
  ClientResponse answer = SendRequest(server->base_url(), "POST",
                                      std::string("/cds-services/") + kService + "/feedback",
                                      FeedbackBody(kUnknownCard, kUnknownCard));
  EXPECT_EQ(answer.status, 200);
}

}  // namespace
}  // namespace steroid_advisor::plugin
