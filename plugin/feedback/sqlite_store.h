// A SqliteStore is the embedded feedback store: one SQLite file (under --data-dir) in WAL mode
// with synchronous=FULL, so a committed batch survives a crash of the process or the machine.
// Uses SQLite's C API directly with prepared, parameterised statements.
// Owns: its connection. Thread-safety: safe for concurrent use (one connection behind a mutex).
#ifndef STEROID_ADVISOR_PLUGIN_FEEDBACK_SQLITE_STORE_H_
#define STEROID_ADVISOR_PLUGIN_FEEDBACK_SQLITE_STORE_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "fhir/status.h"
#include "plugin/feedback/store.h"

struct sqlite3;

namespace steroid_advisor::plugin {

class SqliteStore : public FeedbackStore {
 public:
  // Opens (creating when missing) the database file at `path`; its directory must exist.
  // Unavailable when it cannot be opened or switched to WAL mode. Does not migrate.
  static StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Status Migrate() override;
  Status WriteBatch(const FeedbackBatch& batch) override;
  StatusOr<FeedbackSummary> Summary(int64_t from_ms, int64_t to_ms) override;
  StatusOr<int64_t> DeleteOlderThan(int64_t cutoff_ms) override;
  Status Ping() override;

 private:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  // Runs statements without parameters, one after the other.
  Status ExecLocked(std::string_view sql);
  Status ErrorLocked(std::string_view what);

  std::mutex mu_;
  sqlite3* db_;  // guarded by mu_
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_FEEDBACK_SQLITE_STORE_H_
