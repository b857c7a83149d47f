#include "plugin/feedback/recorder.h"

#include <algorithm>
#include <iostream>
#include <utility>

#include "plugin/feedback/timestamps.h"

namespace steroid_advisor::plugin {
namespace {

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

}  // namespace

FeedbackRecorder::FeedbackRecorder(FeedbackRecorderOptions options)
    : options_(std::move(options)),
      retention_days_(options_.retention_days),
      events_(options_.log != nullptr ? options_.log : &std::clog, options_.log_format) {
  if (!options_.now_ms) options_.now_ms = NowMs;
  options_.queue_capacity = std::max<size_t>(options_.queue_capacity, 1);
  options_.max_batch_entries = std::max<size_t>(options_.max_batch_entries, 1);
}

FeedbackRecorder::~FeedbackRecorder() { Stop(); }

void FeedbackRecorder::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (writer_.joinable() || stopping_) return;
  running_ = true;
  writer_ = std::thread([this] { Run(); });
}

void FeedbackRecorder::Log(LogLevel level, const std::string& line) {
  events_.Write(level, "feedback", line);
}

void FeedbackRecorder::CountDropped(size_t cards, std::string_view why) {
  if (cards == 0) return;
  uint64_t before = dropped_shown_cards_.fetch_add(cards);
  uint64_t after = before + cards;
  // Logged at 1, 2, 4, 8, ... crossings: every loss is counted, the log is not flooded.
  bool crossed = false;
  for (uint64_t n = before + 1; n <= after && !crossed; ++n) crossed = IsPowerOfTwo(n);
  if (crossed) {
    Log(LogLevel::kWarning, "shown cards not recorded (" + std::string(why) +
                                "): " + std::to_string(after) + " so far");
  }
}

void FeedbackRecorder::SubmitFeedback(std::vector<FeedbackEntry> entries, Done done) {
  if (entries.empty()) {
    done(OkStatus());
    return;
  }
  int64_t now = options_.now_ms();
  for (FeedbackEntry& entry : entries) {
    entry.received_at_ms = now;
    if (entry.outcome_at_ms == 0) entry.outcome_at_ms = now;
  }
  Status refused;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || !running_) {
      refused = UnavailableError("feedback store: not running");
    } else if (!ready_.load()) {
      refused = UnavailableError("feedback store: unavailable, retry later");
    } else if (queued_entries_ + entries.size() > options_.queue_capacity) {
      refused = ResourceExhaustedError("feedback store: queue full, retry later");
    } else {
      queued_entries_ += entries.size();
      feedback_queue_.push_back({std::move(entries), std::move(done)});
      wake = writer_idle_;
    }
  }
  if (!refused.ok()) {
    done(refused);
    return;
  }
  if (wake) work_cv_.notify_one();
}

void FeedbackRecorder::RecordShownCards(std::string_view patient_id, std::vector<ShownCard> cards) {
  if (cards.empty()) return;
  int64_t now = options_.now_ms();
  for (ShownCard& card : cards) {
    if (card.shown_at_ms == 0) card.shown_at_ms = now;
  }
  size_t count = cards.size();
  std::string_view refused;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      refused = "stopping";
    } else if (queued_entries_ + count > options_.queue_capacity) {
      refused = "queue full";
    } else {
      queued_entries_ += count;
      queued_shown_cards_ += count;
      shown_queue_.push_back(
          {std::string(patient_id), std::move(cards), std::chrono::steady_clock::now()});
      // A lingering writer is woken only by a full batch: waking it per call is what lingering
      // saves.
      wake = writer_idle_ && (!lingering_ || queued_shown_cards_ >= options_.max_batch_entries);
    }
  }
  if (!refused.empty()) {
    CountDropped(count, refused);
    return;
  }
  if (wake) work_cv_.notify_one();
}

void FeedbackRecorder::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  ++flush_waiters_;
  work_cv_.notify_one();  // a lingering writer writes now
  idle_cv_.wait(lock, [this] {
    return !ready_.load() || !running_ ||
           (feedback_queue_.empty() && shown_queue_.empty() && !in_flight_);
  });
  --flush_waiters_;
}

bool FeedbackRecorder::MayLingerLocked() const {
  return feedback_queue_.empty() && !shown_queue_.empty() && !stopping_ && flush_waiters_ == 0 &&
         queued_shown_cards_ < options_.max_batch_entries;
}

bool FeedbackRecorder::WaitForReady(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return ready_.load(); });
}

void FeedbackRecorder::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  // Stop is called from one thread (main, or the destructor), so only it touches writer_ here.
  if (writer_.joinable()) writer_.join();
  idle_cv_.notify_all();
}

StatusOr<FeedbackSummary> FeedbackRecorder::Summary(int64_t from_ms, int64_t to_ms) {
  return options_.store->Summary(from_ms, to_ms);
}

StatusOr<int64_t> FeedbackRecorder::DeleteExpired() {
  int64_t cutoff = options_.now_ms() - static_cast<int64_t>(retention_days_.load()) * kMillisPerDay;
  StatusOr<int64_t> deleted = options_.store->DeleteOlderThan(cutoff);
  if (!deleted.ok()) {
    Log(LogLevel::kError, "retention: " + deleted.status().message());
  } else if (*deleted > 0) {
    Log(LogLevel::kInfo, "retention: deleted " + std::to_string(*deleted) + " rows older than " +
                             std::to_string(retention_days_.load()) + " days");
  }
  return deleted;
}

bool FeedbackRecorder::WriteOneBatch(std::unique_lock<std::mutex>& lock) {
  std::vector<PendingFeedback> feedback;
  std::vector<PendingShown> shown;
  size_t taken = 0;
  while (!feedback_queue_.empty() &&
         (taken == 0 ||
          taken + feedback_queue_.front().entries.size() <= options_.max_batch_entries)) {
    taken += feedback_queue_.front().entries.size();
    feedback.push_back(std::move(feedback_queue_.front()));
    feedback_queue_.pop_front();
  }
  while (!shown_queue_.empty() && taken < options_.max_batch_entries) {
    taken += shown_queue_.front().cards.size();
    queued_shown_cards_ -= shown_queue_.front().cards.size();
    shown.push_back(std::move(shown_queue_.front()));
    shown_queue_.pop_front();
  }
  in_flight_ = true;
  lock.unlock();

  FeedbackBatch batch;
  for (PendingShown& pending : shown) {
    std::string hash = options_.hasher.Hash(pending.patient_id);
    for (ShownCard& card : pending.cards) {
      card.patient_hash = hash;
      batch.shown_cards.push_back(card);
    }
  }
  for (const PendingFeedback& pending : feedback) {
    batch.feedback.insert(batch.feedback.end(), pending.entries.begin(), pending.entries.end());
  }
  Status written = options_.store->WriteBatch(batch);

  lock.lock();
  in_flight_ = false;
  queued_entries_ -= taken;
  if (!written.ok()) {
    ready_.store(false);
    // The shown cards go back to the front for the next attempt while they fit; feedback is
    // answered 503 now, so its client retries.
    for (auto it = shown.rbegin(); it != shown.rend(); ++it) {
      if (queued_entries_ + it->cards.size() > options_.queue_capacity) {
        CountDropped(it->cards.size(), "store unavailable and queue full");
        continue;
      }
      queued_entries_ += it->cards.size();
      queued_shown_cards_ += it->cards.size();
      shown_queue_.push_front(std::move(*it));
    }
  }
  lock.unlock();
  if (!written.ok()) Log(LogLevel::kError, "write failed, reconnecting: " + written.message());
  Status answer =
      written.ok() ? OkStatus() : UnavailableError("feedback store: write failed, retry later");
  for (PendingFeedback& pending : feedback) pending.done(answer);
  idle_cv_.notify_all();
  lock.lock();
  return written.ok();
}

void FeedbackRecorder::Run() {
  using Clock = std::chrono::steady_clock;
  std::chrono::milliseconds backoff = options_.initial_backoff;
  Clock::time_point next_retention = Clock::now();
  bool first_attempt = true;
  bool logged_down = false;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!ready_.load()) {
      if (stopping_) break;
      if (!first_attempt) {
        // After a failed connect or write: wait, doubling up to max_backoff, so a database that
        // is down (or a full disk) is not hammered.
        work_cv_.wait_for(lock, backoff, [this] { return stopping_; });
        if (stopping_) break;
        backoff = std::min(backoff * 2, options_.max_backoff);
      }
      first_attempt = false;
      lock.unlock();
      Status migrated = options_.store->Migrate();
      lock.lock();
      // Set under mu_ so WaitForReady cannot miss the change; logged after it, so a reader of
      // the log who sees "store ready" finds the recorder ready.
      ready_.store(migrated.ok());
      if (migrated.ok()) {
        Log(LogLevel::kInfo, logged_down ? "store is back" : "store ready");
        logged_down = false;
      } else if (!logged_down) {
        Log(LogLevel::kError, "store unavailable, retrying with backoff: " + migrated.message());
        logged_down = true;
      }
      idle_cv_.notify_all();
      continue;
    }
    if (Clock::now() >= next_retention) {
      lock.unlock();
      (void)DeleteExpired();
      lock.lock();
      next_retention = Clock::now() + options_.retention_interval;
      continue;
    }
    bool has_work = !feedback_queue_.empty() || !shown_queue_.empty();
    if (!has_work) {
      if (stopping_) break;
      writer_idle_ = true;
      work_cv_.wait_until(lock, next_retention, [this] {
        return stopping_ || !feedback_queue_.empty() || !shown_queue_.empty();
      });
      writer_idle_ = false;
      continue;
    }
    if (MayLingerLocked()) {
      const Clock::time_point due = shown_queue_.front().queued_at + options_.shown_cards_delay;
      if (Clock::now() < due) {
        writer_idle_ = true;
        lingering_ = true;
        work_cv_.wait_until(lock, std::min(due, next_retention),
                            [this] { return !MayLingerLocked(); });
        writer_idle_ = false;
        lingering_ = false;
        continue;
      }
    }
    if (WriteOneBatch(lock)) {
      backoff = options_.initial_backoff;
    } else {
      logged_down = true;
    }
  }
  // Stopping with the store down: nothing more can be committed.
  std::deque<PendingFeedback> waiting = std::move(feedback_queue_);
  feedback_queue_.clear();
  size_t lost_cards = 0;
  for (const PendingShown& pending : shown_queue_) lost_cards += pending.cards.size();
  shown_queue_.clear();
  queued_entries_ = 0;
  queued_shown_cards_ = 0;
  running_ = false;
  lock.unlock();
  CountDropped(lost_cards, "stopped while the store was unavailable");
  for (PendingFeedback& pending : waiting) {
    pending.done(UnavailableError("feedback store: stopping, retry later"));
  }
  idle_cv_.notify_all();
}

size_t FeedbackRecorder::QueueDepth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return feedback_queue_.size() + shown_queue_.size();
}

}  // namespace steroid_advisor::plugin
