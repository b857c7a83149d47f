// GET /admin/feedback/summary through the admin handler, over a SQLite store: the JSON
// shape, the range, and 400 on bad dates.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <string>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "plugin/admin/handler.h"
#include "plugin/feedback/recorder.h"
#include "plugin/feedback/timestamps.h"
#include "tests/plugin/feedback/store_test_util.h"

namespace steroid_advisor::plugin {
namespace {

constexpr char kToken[] = "feedback-summary-test-token-0123456789";
constexpr char kCardA[] = "1d4b8a52-6a7e-4f6e-9d6e-0a4b1c2d3e4f";
constexpr char kCardB[] = "2d4b8a52-6a7e-4f6e-9d6e-0a4b1c2d3e4f";

class SummaryEndpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    std::unique_ptr<FeedbackStore> store = NewTestStore(StoreKind::kSqlite, dir_);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Migrate().ok());
    FeedbackBatch batch;
    batch.shown_cards = {
        TestShownCard(kCardA, "steroid-premedication", *ParseInstantMs("2026-11-24T10:00:00Z")),
        TestShownCard(kCardB, "steroid-premedication", *ParseInstantMs("2026-11-24T10:00:00Z"))};
    batch.feedback = {TestFeedback(kCardA, "accepted", *ParseInstantMs("2026-11-24T10:01:00Z")),
                      TestFeedback(kCardB, "overridden", *ParseInstantMs("2026-11-24T10:02:00Z"),
                                   "local-protocol"),
                      TestFeedback("9d4b8a52-6a7e-4f6e-9d6e-0a4b1c2d3e4f", "accepted",
                                   *ParseInstantMs("2026-11-24T10:03:00Z"))};
    ASSERT_TRUE(store->WriteBatch(batch).ok());
    FeedbackRecorderOptions options;
    options.store = std::move(store);
    recorder_ = std::make_unique<FeedbackRecorder>(std::move(options));
    context_.authenticator = &authenticator_;
    context_.feedback = recorder_.get();
  }

  HttpResponse Get(const std::string& query, bool with_token = true) {
    HttpRequest request;
    request.method = "GET";
    request.path = "/admin/feedback/summary";
    request.query = query;
    if (with_token) request.headers["authorization"] = std::string("Bearer ") + kToken;
    return HandleAdmin(request, context_);
  }

  TempDir dir_;
  AdminAuthenticator authenticator_{kToken};
  std::unique_ptr<FeedbackRecorder> recorder_;
  AdminContext context_;
};

TEST_F(SummaryEndpoint, AnswersCountsPerRuleWithOverrideReasonsAndUnknownCards) {
  HttpResponse response = Get("from=2026-11-01&to=2026-11-30");
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document document;
  ASSERT_TRUE(fhir::ParseJson(response.body, 64, document).ok());
  EXPECT_EQ(fhir::FindNumber(document, "unknownCards"), 1);
  fhir::ArrayView rules = fhir::Elements(document, "rules");
  ASSERT_EQ(rules.size(), 1u);
  const fhir::JsonValue& rule = *rules.begin();
  EXPECT_EQ(fhir::FindString(rule, "rule"), "steroid-premedication");
  EXPECT_EQ(fhir::FindNumber(rule, "shown"), 2);
  EXPECT_EQ(fhir::FindNumber(rule, "accepted"), 1);
  EXPECT_EQ(fhir::FindNumber(rule, "overridden"), 1);
  fhir::ArrayView reasons = fhir::Elements(rule, "overrideReasons");
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(fhir::FindString(*reasons.begin(), "code"), "local-protocol");
  EXPECT_EQ(fhir::FindString(*reasons.begin(), "display"), "Display of local-protocol");
  EXPECT_EQ(fhir::FindNumber(*reasons.begin(), "count"), 1);
  fhir::ArrayView weeks = fhir::Elements(rule, "weeks");
  ASSERT_EQ(weeks.size(), 1u);
  EXPECT_EQ(fhir::FindString(*weeks.begin(), "week"), "2026-W48");
}

TEST_F(SummaryEndpoint, RangeBeforeTheFeedbackIsEmpty) {
  HttpResponse response = Get("from=2026-10-01T00%3A00%3A00Z&to=2026-10-31");
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document document;
  ASSERT_TRUE(fhir::ParseJson(response.body, 64, document).ok());
  EXPECT_EQ(fhir::Elements(document, "rules").size(), 0u);
  EXPECT_EQ(fhir::FindNumber(document, "unknownCards"), 0);
}

TEST_F(SummaryEndpoint, BadDatesAre400) {
  EXPECT_EQ(Get("from=last-week").status, 400);
  EXPECT_EQ(Get("to=2026-02-30").status, 400);
  EXPECT_EQ(Get("from=2026-12-01&to=2026-11-01").status, 400);
}

TEST_F(SummaryEndpoint, NeedsTheAdminToken) {
  EXPECT_EQ(Get("", /*with_token=*/false).status, 401);
}

TEST_F(SummaryEndpoint, WithoutRecorderAnswers503) {
  context_.feedback = nullptr;
  EXPECT_EQ(Get("").status, 503);
}

}  // namespace
}  // namespace steroid_advisor::plugin
