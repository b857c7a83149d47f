// FeedbackRecorder over a fake store whose writes can be held, failed and inspected: done after
// commit, queue full, store down, shown cards hashed and counted when dropped, retention.
#include "plugin/feedback/recorder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "plugin/feedback/timestamps.h"
#include "tests/plugin/feedback/store_test_util.h"

namespace steroid_advisor::plugin {
namespace {

// Waits in tests are for events, with a generous bound that only a hang reaches.
constexpr std::chrono::seconds kHang(30);
constexpr char kCard[] = "1d4b8a52-6a7e-4f6e-9d6e-0a4b1c2d3e4f";

class FakeStore : public FeedbackStore {
 public:
  Status Migrate() override {
    std::lock_guard<std::mutex> lock(mu_);
    return migrate_status_;
  }
  Status WriteBatch(const FeedbackBatch& batch) override {
    std::unique_lock<std::mutex> lock(mu_);
    ++writes_entered_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !hold_writes_; });
    if (write_status_.ok()) committed_.push_back(batch);
    return write_status_;
  }
  StatusOr<FeedbackSummary> Summary(int64_t, int64_t) override { return FeedbackSummary(); }
  StatusOr<int64_t> DeleteOlderThan(int64_t cutoff_ms) override {
    std::lock_guard<std::mutex> lock(mu_);
    cutoffs_.push_back(cutoff_ms);
    return int64_t{0};
  }
  Status Ping() override { return OkStatus(); }

  void HoldWrites(bool hold) {
    std::lock_guard<std::mutex> lock(mu_);
    hold_writes_ = hold;
    cv_.notify_all();
  }
  void WaitForWritesEntered(int count) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, kHang, [&] { return writes_entered_ >= count; });
  }
  void SetMigrateStatus(Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    migrate_status_ = std::move(status);
  }
  void SetWriteStatus(Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    write_status_ = std::move(status);
  }
  std::vector<FeedbackBatch> committed() {
    std::lock_guard<std::mutex> lock(mu_);
    return committed_;
  }
  std::vector<int64_t> cutoffs() {
    std::lock_guard<std::mutex> lock(mu_);
    return cutoffs_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool hold_writes_ = false;
  int writes_entered_ = 0;
  Status migrate_status_;
  Status write_status_;
  std::vector<FeedbackBatch> committed_;
  std::vector<int64_t> cutoffs_;
};

// The outcome a done callback reported, waited for.
class DoneLatch {
 public:
  FeedbackRecorder::Done Callback() {
    return [this](Status status) {
      std::lock_guard<std::mutex> lock(mu_);
      status_ = std::move(status);
      cv_.notify_all();
    };
  }
  bool called() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_.has_value();
  }
  Status Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, kHang, [this] { return status_.has_value(); });
    return status_.value_or(InternalError("done never called"));
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Status> status_;
};

constexpr int64_t kNowMs = 1'795'514'400'000;  // 2026-11-24T10:00:00Z

struct Fixture {
  // Shown cards are written at once unless a test asks them to linger.
  explicit Fixture(size_t capacity = 100,
                   std::chrono::milliseconds shown_cards_delay = std::chrono::milliseconds(0),
                   size_t max_batch_entries = 1000) {
    auto fake = std::make_unique<FakeStore>();
    store = fake.get();
    FeedbackRecorderOptions options;
    options.store = std::move(fake);
    options.hasher = PatientHasher("a-test-key-that-is-long-enough-for-hmac");
    options.queue_capacity = capacity;
    options.shown_cards_delay = shown_cards_delay;
    options.max_batch_entries = max_batch_entries;
    options.now_ms = [] { return kNowMs; };
    options.initial_backoff = std::chrono::milliseconds(1);
    options.log = &log;
    recorder = std::make_unique<FeedbackRecorder>(std::move(options));
  }
  void StartReady() {
    recorder->Start();
    ASSERT_TRUE(recorder->WaitForReady(kHang));
  }

  std::ostringstream log;
  FakeStore* store = nullptr;
  std::unique_ptr<FeedbackRecorder> recorder;
};

std::vector<FeedbackEntry> OneEntry() { return {TestFeedback(kCard, "accepted", kNowMs)}; }

TEST(FeedbackRecorder, DoneIsCalledOnlyAfterTheEntriesAreCommitted) {
  Fixture f;
  f.StartReady();
  f.store->HoldWrites(true);
  DoneLatch done;
  f.recorder->SubmitFeedback(OneEntry(), done.Callback());
  f.store->WaitForWritesEntered(1);
  EXPECT_FALSE(done.called());
  EXPECT_TRUE(f.store->committed().empty());
  f.store->HoldWrites(false);
  EXPECT_TRUE(done.Wait().ok());
  std::vector<FeedbackBatch> committed = f.store->committed();
  ASSERT_EQ(committed.size(), 1u);
  ASSERT_EQ(committed[0].feedback.size(), 1u);
  EXPECT_EQ(committed[0].feedback[0].card_uuid, kCard);
  EXPECT_EQ(committed[0].feedback[0].received_at_ms, kNowMs);
}

TEST(FeedbackRecorder, FullQueueAnswersResourceExhaustedAtOnce) {
  Fixture f(/*capacity=*/2);
  f.StartReady();
  f.store->HoldWrites(true);
  DoneLatch first;
  DoneLatch second;
  DoneLatch third;
  f.recorder->SubmitFeedback(OneEntry(), first.Callback());
  f.store->WaitForWritesEntered(1);  // one entry in flight, one place left
  f.recorder->SubmitFeedback(OneEntry(), second.Callback());
  f.recorder->SubmitFeedback(OneEntry(), third.Callback());
  ASSERT_TRUE(third.called());
  EXPECT_EQ(third.Wait().code(), StatusCode::kResourceExhausted);
  f.store->HoldWrites(false);
  EXPECT_TRUE(first.Wait().ok());
  EXPECT_TRUE(second.Wait().ok());
}

TEST(FeedbackRecorder, StoreThatCannotMigrateAnswersUnavailable) {
  Fixture f;
  f.store->SetMigrateStatus(UnavailableError("down"));
  f.recorder->Start();
  DoneLatch done;
  f.recorder->SubmitFeedback(OneEntry(), done.Callback());
  EXPECT_EQ(done.Wait().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(f.recorder->Ready());
}

TEST(FeedbackRecorder, FailedWriteAnswersUnavailableThenRecoversWhenTheStoreIsBack) {
  Fixture f;
  f.StartReady();
  f.store->SetWriteStatus(UnavailableError("connection lost"));
  DoneLatch failed;
  f.recorder->SubmitFeedback(OneEntry(), failed.Callback());
  EXPECT_EQ(failed.Wait().code(), StatusCode::kUnavailable);
  f.store->SetWriteStatus(OkStatus());
  ASSERT_TRUE(f.recorder->WaitForReady(kHang));
  DoneLatch retried;
  f.recorder->SubmitFeedback(OneEntry(), retried.Callback());
  EXPECT_TRUE(retried.Wait().ok());
}

TEST(FeedbackRecorder, NotStartedAnswersUnavailable) {
  Fixture f;
  DoneLatch done;
  f.recorder->SubmitFeedback(OneEntry(), done.Callback());
  EXPECT_EQ(done.Wait().code(), StatusCode::kUnavailable);
}

TEST(FeedbackRecorder, ShownCardsAreStoredWithTheKeyedPatientHashOnly) {
  Fixture f;
  f.StartReady();
  f.recorder->RecordShownCards("patient-123", {TestShownCard(kCard, "steroid-premedication", 0)});
  f.recorder->Flush();
  std::vector<FeedbackBatch> committed = f.store->committed();
  ASSERT_EQ(committed.size(), 1u);
  ASSERT_EQ(committed[0].shown_cards.size(), 1u);
  const ShownCard& card = committed[0].shown_cards[0];
  EXPECT_EQ(card.patient_hash,
            PatientHasher("a-test-key-that-is-long-enough-for-hmac").Hash("patient-123"));
  EXPECT_EQ(card.patient_hash.find("patient-123"), std::string::npos);
  EXPECT_EQ(card.shown_at_ms, kNowMs);  // stamped by the recorder when the caller left it 0
}

TEST(FeedbackRecorder, ShownCardsThatDoNotFitAreCountedAndLogged) {
  Fixture f(/*capacity=*/1);
  f.StartReady();
  f.store->HoldWrites(true);
  f.recorder->RecordShownCards("p", {TestShownCard(kCard, "steroid-premedication", 0)});
  f.store->WaitForWritesEntered(1);
  f.recorder->RecordShownCards("p", {TestShownCard(kCard, "steroid-premedication", 0)});
  EXPECT_EQ(f.recorder->dropped_shown_cards(), 1u);
  f.store->HoldWrites(false);
  f.recorder->Flush();
  EXPECT_NE(f.log.str().find("shown cards not recorded (queue full): 1 so far"), std::string::npos);
}

constexpr std::chrono::hours kLinger(1);  // longer than any test: only a trigger writes

TEST(FeedbackRecorder, ShownCardsWaitToShareOneCommit) {
  Fixture f(100, kLinger);
  f.StartReady();
  for (int i = 0; i < 3; ++i) {
    f.recorder->RecordShownCards("p", {TestShownCard(kCard, "steroid-premedication", 0)});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(f.store->committed().empty());
  f.recorder->Flush();
  std::vector<FeedbackBatch> committed = f.store->committed();
  ASSERT_EQ(committed.size(), 1u);
  EXPECT_EQ(committed[0].shown_cards.size(), 3u);
}

TEST(FeedbackRecorder, FeedbackIsCommittedAtOnceWithTheWaitingShownCards) {
  Fixture f(100, kLinger);
  f.StartReady();
  f.recorder->RecordShownCards("p", {TestShownCard(kCard, "steroid-premedication", 0)});
  DoneLatch done;
  f.recorder->SubmitFeedback(OneEntry(), done.Callback());
  EXPECT_TRUE(done.Wait().ok());
  std::vector<FeedbackBatch> committed = f.store->committed();
  ASSERT_EQ(committed.size(), 1u);
  EXPECT_EQ(committed[0].feedback.size(), 1u);
  EXPECT_EQ(committed[0].shown_cards.size(), 1u);
}

TEST(FeedbackRecorder, AFullBatchOfShownCardsIsWrittenWithoutWaiting) {
  Fixture f(100, kLinger, /*max_batch_entries=*/2);
  f.StartReady();
  f.recorder->RecordShownCards("p", {TestShownCard(kCard, "steroid-premedication", 0)});
  f.recorder->RecordShownCards("p", {TestShownCard(kCard, "antiviral-prophylaxis", 0)});
  f.store->WaitForWritesEntered(1);
  std::vector<FeedbackBatch> committed = f.store->committed();
  ASSERT_EQ(committed.size(), 1u);
  EXPECT_EQ(committed[0].shown_cards.size(), 2u);
}

TEST(FeedbackRecorder, ShownCardsWaitingAtStopAreWritten) {
  Fixture f(100, kLinger);
  f.StartReady();
  f.recorder->RecordShownCards("p", {TestShownCard(kCard, "steroid-premedication", 0)});
  f.recorder->Stop();
  std::vector<FeedbackBatch> committed = f.store->committed();
  ASSERT_EQ(committed.size(), 1u);
  EXPECT_EQ(committed[0].shown_cards.size(), 1u);
}

TEST(FeedbackRecorder, StopWritesWhatIsQueued) {
  Fixture f;
  f.StartReady();
  f.store->HoldWrites(true);
  DoneLatch first;
  DoneLatch second;
  f.recorder->SubmitFeedback(OneEntry(), first.Callback());
  f.store->WaitForWritesEntered(1);
  f.recorder->SubmitFeedback(OneEntry(), second.Callback());
  f.store->HoldWrites(false);
  f.recorder->Stop();
  EXPECT_TRUE(first.Wait().ok());
  EXPECT_TRUE(second.Wait().ok());
  DoneLatch after_stop;
  f.recorder->SubmitFeedback(OneEntry(), after_stop.Callback());
  EXPECT_EQ(after_stop.Wait().code(), StatusCode::kUnavailable);
}

TEST(FeedbackRecorder, RetentionDeletesRowsOlderThanTheRetentionDays) {
  Fixture f;
  f.recorder->SetRetentionDays(30);
  StatusOr<int64_t> deleted = f.recorder->DeleteExpired();
  ASSERT_TRUE(deleted.ok());
  ASSERT_EQ(f.store->cutoffs().size(), 1u);
  EXPECT_EQ(f.store->cutoffs()[0], kNowMs - 30 * kMillisPerDay);
}

TEST(FeedbackRecorder, RetentionRunsOnceTheStoreIsReady) {
  Fixture f;
  f.StartReady();
  f.recorder->Stop();  // the writer ran its first pass before waiting for work
  ASSERT_FALSE(f.store->cutoffs().empty());
  EXPECT_EQ(f.store->cutoffs()[0], kNowMs - 400 * kMillisPerDay);
}

}  // namespace
}  // namespace steroid_advisor::plugin
