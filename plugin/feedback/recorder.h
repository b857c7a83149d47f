// A FeedbackRecorder stands between the request path and the FeedbackStore: it owns a bounded
// queue and one writer thread that commits whatever has queued up in one transaction (group
// commit), so a request never waits on the database without bound and an fsync is shared by
// every entry that arrived meanwhile.
//   - SubmitFeedback: `done` is called with OK only after the entries are committed; with
//     Unavailable when the store is down (not yet migrated, connection lost, a write failed) or
//     the recorder is stopping, and with ResourceExhausted when the queue is full. Never blocks.
//   - RecordShownCards: best effort and never blocks; a card that does not fit in the queue is
//     counted (dropped_shown_cards()) and logged, never dropped silently. The patient id is
//     hashed on the writer thread (patient_hash.h), off the request path.
//   - The writer migrates the store at start and after a failure reconnects with exponential
//     backoff; Ready() says whether feedback can be accepted now.
//   - Retention: every retention interval (and once when the store becomes ready) rows older
//     than retention days are deleted.
// Owns: the store, the hasher, the queue and the writer thread.
// Thread-safety: safe for concurrent use. `done` callbacks run on the writer thread (or on the
// caller's thread when refused at once) and must not block.
#ifndef STEROID_ADVISOR_PLUGIN_FEEDBACK_RECORDER_H_
#define STEROID_ADVISOR_PLUGIN_FEEDBACK_RECORDER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fhir/status.h"
#include "plugin/feedback/patient_hash.h"
#include "plugin/feedback/store.h"
#include "plugin/ops/event_log.h"

namespace steroid_advisor::plugin {

struct FeedbackRecorderOptions {
  std::unique_ptr<FeedbackStore> store;  // required
  PatientHasher hasher{""};              // PatientHasher::FromEnvOrDataDir in cds_server
  size_t queue_capacity = 10000;         // shown cards + feedback entries waiting
  size_t max_batch_entries = 1000;       // per transaction (a feedback call is never split)
  // How long shown cards may wait to share a commit when no feedback is waiting. Nobody waits on
  // them, and one commit (and fsync) per hook call was the largest CPU cost of a busy service
  // (bench/RESULTS.md section 10); feedback, which a client waits on, is committed at once and
  // takes the waiting shown cards with it. A process crash loses at most this much of them.
  std::chrono::milliseconds shown_cards_delay = std::chrono::milliseconds(100);
  int retention_days = 400;
  std::chrono::milliseconds retention_interval = std::chrono::hours(1);
  std::chrono::milliseconds initial_backoff = std::chrono::milliseconds(100);
  std::chrono::milliseconds max_backoff = std::chrono::seconds(30);
  std::function<int64_t()> now_ms;          // empty: the system clock
  std::ostream* log = nullptr;              // nullptr: std::clog
  LogFormat log_format = LogFormat::kText;  // of the lines written to `log`
};

class FeedbackRecorder {
 public:
  using Done = std::function<void(Status)>;

  explicit FeedbackRecorder(FeedbackRecorderOptions options);
  ~FeedbackRecorder();  // Stop().
  FeedbackRecorder(const FeedbackRecorder&) = delete;
  FeedbackRecorder& operator=(const FeedbackRecorder&) = delete;

  // Starts the writer thread, which migrates the store first. Idempotent.
  void Start();

  // Stamps received_at_ms (and outcome_at_ms where it is 0) and queues the entries as one unit.
  void SubmitFeedback(std::vector<FeedbackEntry> entries, Done done);

  // Queues the cards of one hook answer; each card's patient_hash is filled from `patient_id`
  // by the writer, and shown_at_ms where it is 0.
  void RecordShownCards(std::string_view patient_id, std::vector<ShownCard> cards);

  // Returns once everything queued before the call is committed, or at once when the store is
  // not ready (nothing can be committed then).
  void Flush();
  // Stops accepting, commits what is queued when the store is ready (else fails the waiting
  // feedback with Unavailable and logs how many shown cards were not recorded), and joins the
  // writer. Idempotent.
  void Stop();

  // True once the store is migrated and the last write succeeded.
  bool Ready() const { return ready_.load(); }
  // Shown-card batches and feedback posts waiting to be committed (for /metrics).
  size_t QueueDepth() const;
  // Waits up to `timeout` for Ready(); answers Ready().
  bool WaitForReady(std::chrono::milliseconds timeout);
  // Shown cards not recorded because the queue was full or the recorder stopping.
  uint64_t dropped_shown_cards() const { return dropped_shown_cards_.load(); }

  // The store's summary (the store is safe for concurrent use; this does not go through the
  // queue).
  StatusOr<FeedbackSummary> Summary(int64_t from_ms, int64_t to_ms);

  // Deletes rows older than the retention days now; the periodic job calls it too.
  StatusOr<int64_t> DeleteExpired();
  // Applies to the next retention pass (retentionDays reloads live).
  void SetRetentionDays(int days) { retention_days_.store(days); }

 private:
  struct PendingFeedback {
    std::vector<FeedbackEntry> entries;
    Done done;
  };
  struct PendingShown {
    std::string patient_id;
    std::vector<ShownCard> cards;
    std::chrono::steady_clock::time_point queued_at;
  };

  void Run();
  void Log(LogLevel level, const std::string& line);
  void CountDropped(size_t cards, std::string_view why);
  // Commits one batch taken from the queues; called by the writer with `lock` held, releases it
  // while writing. False when the write failed (the store is then not ready).
  bool WriteOneBatch(std::unique_lock<std::mutex>& lock);
  // With `lock` held: true when only shown cards wait, fewer than a batch, and nobody is stopping
  // or flushing; the writer may then wait for more to share the commit.
  bool MayLingerLocked() const;

  FeedbackRecorderOptions options_;
  std::atomic<bool> ready_{false};
  std::atomic<uint64_t> dropped_shown_cards_{0};
  std::atomic<int> retention_days_;
  EventLog events_;  // on options_.log, std::clog when that is null

  mutable std::mutex mu_;
  std::condition_variable work_cv_;             // the writer waits for work or stop
  std::condition_variable idle_cv_;             // Flush waits for the queue to drain
  std::deque<PendingFeedback> feedback_queue_;  // guarded by mu_
  std::deque<PendingShown> shown_queue_;        // guarded by mu_
  size_t queued_entries_ = 0;                   // guarded by mu_
  size_t queued_shown_cards_ = 0;               // guarded by mu_; part of queued_entries_
  int flush_waiters_ = 0;                       // guarded by mu_; Flush calls waiting
  bool lingering_ = false;  // guarded by mu_; the writer waits for shown cards to gather
  bool in_flight_ = false;  // guarded by mu_
  bool stopping_ = false;   // guarded by mu_
  bool running_ = false;    // guarded by mu_; the writer is running
  // Guarded by mu_: the writer waits for work. Producers notify only then: while it is busy it
  // finds the queue non-empty by itself, and the request path saves a futex wake-up.
  bool writer_idle_ = false;
  std::thread writer_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_FEEDBACK_RECORDER_H_
