#include "plugin/feedback/sqlite_store.h"

#include <sqlite3.h>

#include <array>
#include <set>
#include <utility>
#include <vector>

#include "plugin/feedback/schema.h"
#include "plugin/feedback/summary.h"
#include "plugin/feedback/timestamps.h"

namespace steroid_advisor::plugin {
namespace {

// A prepared statement, finalized when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return rc_ == SQLITE_OK && stmt_ != nullptr; }
  sqlite3_stmt* get() { return stmt_; }

  // Binds $index by name, so the shared $N SQL means the same thing here as in PostgreSQL.
  bool Bind(int index, std::string_view text) {
    int slot = Slot(index);
    return slot > 0 && sqlite3_bind_text(stmt_, slot, text.data(), static_cast<int>(text.size()),
                                         SQLITE_TRANSIENT) == SQLITE_OK;
  }
  bool Bind(int index, int64_t value) {
    int slot = Slot(index);
    return slot > 0 && sqlite3_bind_int64(stmt_, slot, value) == SQLITE_OK;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string_view Text(int column) {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text == nullptr ? std::string_view()
                           : std::string_view(reinterpret_cast<const char*>(text),
                                              sqlite3_column_bytes(stmt_, column));
  }
  int64_t Int(int column) { return sqlite3_column_int64(stmt_, column); }

 private:
  // Looked up by name once per statement, not once per row of a batch.
  int Slot(int index) {
    if (index < 0 || index >= static_cast<int>(slots_.size())) return 0;
    int& slot = slots_[index];
    if (slot == 0) {
      std::string name = "$" + std::to_string(index);
      slot = sqlite3_bind_parameter_index(stmt_, name.c_str());
    }
    return slot;
  }

  sqlite3_stmt* stmt_ = nullptr;
  std::array<int, 16> slots_{};  // $N -> SQLite's slot, 0 until looked up (or when absent)
  int rc_ = SQLITE_ERROR;
};

std::string JoinSuggestions(const std::vector<std::string>& ids) {
  std::string joined;
  for (const std::string& id : ids) {
    if (!joined.empty()) joined += ' ';
    joined += id;
  }
  return joined;
}

}  // namespace

StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return UnavailableError("feedback store: cannot open " + path + ": " + message);
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db));
  // WAL lets the admin summary read while the writer commits; synchronous=FULL syncs the WAL on
  // every commit, so an acknowledged batch survives a power loss, not only a process crash.
  // Group commit in the recorder spreads that fsync over many entries.
  sqlite3_busy_timeout(db, 5000);
  std::lock_guard<std::mutex> lock(store->mu_);
  Statement wal(db, "PRAGMA journal_mode=WAL");
  if (!wal.ok() || wal.Step() != SQLITE_ROW || wal.Text(0) != "wal") {
    return UnavailableError("feedback store: cannot switch " + path + " to WAL mode");
  }
  RETURN_IF_ERROR(store->ExecLocked("PRAGMA synchronous=FULL"));
  return store;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

Status SqliteStore::ErrorLocked(std::string_view what) {
  return UnavailableError("feedback store (sqlite): " + std::string(what) + ": " +
                          sqlite3_errmsg(db_));
}

Status SqliteStore::ExecLocked(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    return UnavailableError("feedback store (sqlite): " + message);
  }
  return OkStatus();
}

Status SqliteStore::Migrate() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(ExecLocked(feedback_sql::kCreateVersionTable));
  for (const feedback_sql::Migration& migration : feedback_sql::Migrations()) {
    // IMMEDIATE takes the write lock first, so two processes on one file cannot both apply a
    // migration.
    RETURN_IF_ERROR(ExecLocked("BEGIN IMMEDIATE"));
    std::set<int64_t> applied;
    {
      Statement select(db_, feedback_sql::kSelectVersions);
      if (!select.ok()) {
        (void)ExecLocked("ROLLBACK");
        return ErrorLocked("reading the schema version");
      }
      while (select.Step() == SQLITE_ROW) applied.insert(select.Int(0));
    }
    if (applied.count(migration.version) != 0) {
      RETURN_IF_ERROR(ExecLocked("COMMIT"));
      continue;
    }
    Status status = ExecLocked(migration.statements);
    if (status.ok()) {
      Statement insert(db_, feedback_sql::kInsertVersion);
      if (!insert.ok() || !insert.Bind(1, int64_t{migration.version}) || !insert.Bind(2, NowMs()) ||
          insert.Step() != SQLITE_DONE) {
        status = ErrorLocked("recording the schema version");
      }
    }
    if (!status.ok()) {
      (void)ExecLocked("ROLLBACK");
      return InternalError("feedback store: migration " + std::to_string(migration.version) +
                           " failed: " + status.message());
    }
    RETURN_IF_ERROR(ExecLocked("COMMIT"));
  }
  return OkStatus();
}

Status SqliteStore::WriteBatch(const FeedbackBatch& batch) {
  if (batch.empty()) return OkStatus();
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(ExecLocked("BEGIN IMMEDIATE"));
  Status status = [&]() -> Status {
    if (!batch.shown_cards.empty()) {
      Statement insert(db_, feedback_sql::kInsertShownCard);
      if (!insert.ok()) return ErrorLocked("preparing the shown card insert");
      for (const ShownCard& card : batch.shown_cards) {
        bool bound = insert.Bind(1, card.card_uuid) && insert.Bind(2, card.service_id) &&
                     insert.Bind(3, card.rule) && insert.Bind(4, card.indicator) &&
                     insert.Bind(5, card.patient_hash) && insert.Bind(6, card.shown_at_ms);
        if (!bound || insert.Step() != SQLITE_DONE) return ErrorLocked("inserting a shown card");
        insert.Reset();
      }
    }
    if (!batch.feedback.empty()) {
      Statement insert(db_, feedback_sql::kInsertFeedback);
      if (!insert.ok()) return ErrorLocked("preparing the feedback insert");
      for (const FeedbackEntry& entry : batch.feedback) {
        bool bound = insert.Bind(1, entry.card_uuid) && insert.Bind(2, entry.service_id) &&
                     insert.Bind(3, entry.outcome) &&
                     insert.Bind(4, JoinSuggestions(entry.accepted_suggestions)) &&
                     insert.Bind(5, entry.override_reason_system) &&
                     insert.Bind(6, entry.override_reason_code) &&
                     insert.Bind(7, entry.override_reason_display) &&
                     insert.Bind(8, entry.user_comment) &&
                     insert.Bind(9, entry.outcome_timestamp) &&
                     insert.Bind(10, entry.outcome_at_ms) && insert.Bind(11, entry.received_at_ms);
        if (!bound || insert.Step() != SQLITE_DONE) return ErrorLocked("inserting feedback");
        insert.Reset();
      }
    }
    return OkStatus();
  }();
  if (!status.ok()) {
    (void)ExecLocked("ROLLBACK");
    return status;
  }
  Status committed = ExecLocked("COMMIT");
  if (!committed.ok()) (void)ExecLocked("ROLLBACK");
  return committed;
}

StatusOr<FeedbackSummary> SqliteStore::Summary(int64_t from_ms, int64_t to_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  SummaryBuilder builder;
  // One read transaction: the three queries see the same snapshot.
  RETURN_IF_ERROR(ExecLocked("BEGIN"));
  Status status = [&]() -> Status {
    Statement shown(db_, feedback_sql::kSummaryShown);
    if (!shown.ok() || !shown.Bind(1, from_ms) || !shown.Bind(2, to_ms)) {
      return ErrorLocked("summary of shown cards");
    }
    int rc;
    while ((rc = shown.Step()) == SQLITE_ROW) builder.AddShown(shown.Text(0), shown.Int(1));
    if (rc != SQLITE_DONE) return ErrorLocked("summary of shown cards");

    Statement outcomes(db_, feedback_sql::kSummaryOutcomes);
    if (!outcomes.ok() || !outcomes.Bind(1, from_ms) || !outcomes.Bind(2, to_ms)) {
      return ErrorLocked("summary of outcomes");
    }
    while ((rc = outcomes.Step()) == SQLITE_ROW) {
      builder.AddOutcome(outcomes.Text(0), outcomes.Text(1), outcomes.Text(2), outcomes.Text(3),
                         outcomes.Int(4), outcomes.Int(5));
    }
    if (rc != SQLITE_DONE) return ErrorLocked("summary of outcomes");

    Statement unknown(db_, feedback_sql::kSummaryUnknown);
    if (!unknown.ok() || !unknown.Bind(1, from_ms) || !unknown.Bind(2, to_ms) ||
        unknown.Step() != SQLITE_ROW) {
      return ErrorLocked("summary of unknown cards");
    }
    builder.SetUnknownCards(unknown.Int(0));
    return OkStatus();
  }();
  (void)ExecLocked(status.ok() ? "COMMIT" : "ROLLBACK");
  if (!status.ok()) return status;
  return builder.Build();
}

StatusOr<int64_t> SqliteStore::DeleteOlderThan(int64_t cutoff_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(ExecLocked("BEGIN IMMEDIATE"));
  int64_t deleted = 0;
  for (std::string_view sql :
       {feedback_sql::kDeleteOldShownCards, feedback_sql::kDeleteOldFeedback}) {
    Statement remove(db_, sql);
    if (!remove.ok() || !remove.Bind(1, cutoff_ms) || remove.Step() != SQLITE_DONE) {
      Status error = ErrorLocked("deleting old rows");
      (void)ExecLocked("ROLLBACK");
      return error;
    }
    deleted += sqlite3_changes(db_);
  }
  RETURN_IF_ERROR(ExecLocked("COMMIT"));
  return deleted;
}

Status SqliteStore::Ping() {
  std::lock_guard<std::mutex> lock(mu_);
  return ExecLocked("SELECT 1");
}

}  // namespace steroid_advisor::plugin
