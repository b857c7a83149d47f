// The FeedbackStore contract, run on both stores: SQLite in a temporary file and PostgreSQL on
// the throwaway test server.
#include "plugin/feedback/store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "plugin/feedback/postgresql_store.h"
#include "plugin/feedback/timestamps.h"
#include "tests/plugin/feedback/store_test_util.h"

namespace steroid_advisor::plugin {
namespace {

constexpr char kCardA[] = "1d4b8a52-6a7e-4f6e-9d6e-0a4b1c2d3e4f";
constexpr char kCardB[] = "2d4b8a52-6a7e-4f6e-9d6e-0a4b1c2d3e4f";
constexpr char kCardC[] = "3d4b8a52-6a7e-4f6e-9d6e-0a4b1c2d3e4f";
constexpr char kNeverShown[] = "9d4b8a52-6a7e-4f6e-9d6e-0a4b1c2d3e4f";

int64_t At(const char* instant) { return *ParseInstantMs(instant); }

const RuleFeedbackSummary* FindRule(const FeedbackSummary& summary, const std::string& rule) {
  for (const RuleFeedbackSummary& entry : summary.rules) {
    if (entry.rule == rule) return &entry;
  }
  return nullptr;
}

class FeedbackStoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    store_ = NewTestStore(GetParam(), dir_);
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->Migrate().ok());
  }

  TempDir dir_;
  std::unique_ptr<FeedbackStore> store_;
};

TEST_P(FeedbackStoreTest, MigratingTwiceKeepsTheData) {
  FeedbackBatch batch;
  batch.shown_cards.push_back(TestShownCard(kCardA, "steroid-premedication", At("2026-11-24")));
  ASSERT_TRUE(store_->WriteBatch(batch).ok());
  ASSERT_TRUE(store_->Migrate().ok());
  StatusOr<FeedbackSummary> summary = store_->Summary(At("2026-11-01"), At("2026-12-01"));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->rules.size(), 1u);
  EXPECT_EQ(summary->rules[0].shown, 1);
}

TEST_P(FeedbackStoreTest, SummaryCountsShownAcceptedAndOverriddenPerRule) {
  FeedbackBatch batch;
  batch.shown_cards = {
      TestShownCard(kCardA, "steroid-premedication", At("2026-11-24T10:00:00Z")),
      TestShownCard(kCardB, "steroid-premedication", At("2026-11-24T10:00:00Z")),
      TestShownCard(kCardC, "antiviral-prophylaxis", At("2026-11-24T10:00:00Z")),
  };
  batch.feedback = {
      TestFeedback(kCardA, "accepted", At("2026-11-24T10:01:00Z")),
      TestFeedback(kCardB, "overridden", At("2026-11-24T10:02:00Z"), "given-elsewhere"),
      TestFeedback(kCardC, "overridden", At("2026-11-30T09:00:00Z"), "given-elsewhere"),
  };
  ASSERT_TRUE(store_->WriteBatch(batch).ok());

  StatusOr<FeedbackSummary> summary = store_->Summary(At("2026-11-01"), At("2026-12-31"));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const RuleFeedbackSummary* premedication = FindRule(*summary, "steroid-premedication");
  ASSERT_NE(premedication, nullptr);
  EXPECT_EQ(premedication->shown, 2);
  EXPECT_EQ(premedication->accepted, 1);
  EXPECT_EQ(premedication->overridden, 1);
  ASSERT_EQ(premedication->override_reasons.size(), 1u);
  EXPECT_EQ(premedication->override_reasons[0].code, "given-elsewhere");
  EXPECT_EQ(premedication->override_reasons[0].display, "Display of given-elsewhere");
  EXPECT_EQ(premedication->override_reasons[0].count, 1);
  ASSERT_EQ(premedication->weeks.size(), 1u);
  EXPECT_EQ(premedication->weeks[0].week, "2026-W48");
  EXPECT_EQ(premedication->weeks[0].accepted, 1);
  EXPECT_EQ(premedication->weeks[0].overridden, 1);

  const RuleFeedbackSummary* antiviral = FindRule(*summary, "antiviral-prophylaxis");
  ASSERT_NE(antiviral, nullptr);
  ASSERT_EQ(antiviral->weeks.size(), 1u);
  EXPECT_EQ(antiviral->weeks[0].week, "2026-W49");  // Monday 2026-11-30 starts week 49
  EXPECT_EQ(summary->unknown_cards, 0);
}

TEST_P(FeedbackStoreTest, FeedbackForACardNeverShownIsKeptAndCountedAsUnknown) {
  FeedbackBatch batch;
  batch.feedback = {TestFeedback(kNeverShown, "overridden", At("2026-11-24T10:00:00Z"))};
  ASSERT_TRUE(store_->WriteBatch(batch).ok());
  StatusOr<FeedbackSummary> summary = store_->Summary(At("2026-11-01"), At("2026-12-01"));
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->unknown_cards, 1);
  EXPECT_TRUE(summary->rules.empty());
}

TEST_P(FeedbackStoreTest, ARetriedFeedbackEntryIsStoredOnce) {
  FeedbackBatch batch;
  batch.shown_cards = {TestShownCard(kCardA, "prolonged-steroid", At("2026-11-24"))};
  batch.feedback = {TestFeedback(kCardA, "accepted", At("2026-11-24T10:00:00Z"))};
  ASSERT_TRUE(store_->WriteBatch(batch).ok());
  ASSERT_TRUE(store_->WriteBatch(batch).ok());
  StatusOr<FeedbackSummary> summary = store_->Summary(At("2026-11-01"), At("2026-12-01"));
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(summary->rules.size(), 1u);
  EXPECT_EQ(summary->rules[0].shown, 1);
  EXPECT_EQ(summary->rules[0].accepted, 1);
}

TEST_P(FeedbackStoreTest, SummaryLeavesOutRowsOutsideTheRange) {
  FeedbackBatch batch;
  batch.shown_cards = {TestShownCard(kCardA, "steroid-premedication", At("2026-10-01")),
                       TestShownCard(kCardB, "steroid-premedication", At("2026-11-24"))};
  batch.feedback = {TestFeedback(kCardA, "accepted", At("2026-10-01T10:00:00Z")),
                    TestFeedback(kCardB, "accepted", At("2026-11-24T10:00:00Z"))};
  ASSERT_TRUE(store_->WriteBatch(batch).ok());
  StatusOr<FeedbackSummary> summary = store_->Summary(At("2026-11-01"), At("2026-12-01"));
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(summary->rules.size(), 1u);
  EXPECT_EQ(summary->rules[0].shown, 1);
  EXPECT_EQ(summary->rules[0].accepted, 1);
}

TEST_P(FeedbackStoreTest, DeleteOlderThanRemovesOnlyOlderRows) {
  FeedbackBatch batch;
  batch.shown_cards = {TestShownCard(kCardA, "steroid-premedication", At("2025-01-01")),
                       TestShownCard(kCardB, "steroid-premedication", At("2026-11-24"))};
  batch.feedback = {TestFeedback(kCardA, "accepted", At("2025-01-01T10:00:00Z")),
                    TestFeedback(kCardB, "accepted", At("2026-11-24T10:00:00Z"))};
  ASSERT_TRUE(store_->WriteBatch(batch).ok());
  StatusOr<int64_t> deleted = store_->DeleteOlderThan(At("2026-01-01"));
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 2);
  StatusOr<FeedbackSummary> summary = store_->Summary(At("2000-01-01"), At("2030-01-01"));
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(summary->rules.size(), 1u);
  EXPECT_EQ(summary->rules[0].shown, 1);
  EXPECT_EQ(summary->rules[0].accepted, 1);
}

TEST_P(FeedbackStoreTest, PingAnswersOk) { EXPECT_TRUE(store_->Ping().ok()); }

INSTANTIATE_TEST_SUITE_P(BothStores, FeedbackStoreTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgresql),
                         [](const ::testing::TestParamInfo<StoreKind>& info) {
                           return StoreKindName(info.param);
                         });

TEST(PostgresqlStore, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  PostgresqlStore store("postgresql://postgres@127.0.0.1:1/none", /*connect_timeout_seconds=*/2);
  Status migrated = store.Migrate();
  EXPECT_EQ(migrated.code(), StatusCode::kUnavailable);
  EXPECT_EQ(migrated.message().find("postgresql://"), std::string::npos);  // URL never echoed
}

}  // namespace
}  // namespace steroid_advisor::plugin
