// A PostgresqlStore is the feedback store shared by several replicas: one PostgreSQL database
// reached with a libpq connection URI (libpq's PG* environment variables, PGPASSWORD and
// PGPASSFILE among them, apply). Uses libpq's C API directly with parameterised statements.
// Creating one does not connect; every call (re)connects when the connection is missing or was
// lost, and answers Unavailable while the server cannot be reached.
// Owns: its connection. Thread-safety: safe for concurrent use (one connection behind a mutex).
#ifndef STEROID_ADVISOR_PLUGIN_FEEDBACK_POSTGRESQL_STORE_H_
#define STEROID_ADVISOR_PLUGIN_FEEDBACK_POSTGRESQL_STORE_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/status.h"
#include "plugin/feedback/store.h"

struct pg_conn;
struct pg_result;

namespace steroid_advisor::plugin {

class PostgresqlStore : public FeedbackStore {
 public:
  // `url`: "postgresql://[user@]host[:port]/dbname[?param=value...]". Never logged: messages
  // name the host only as libpq reports it.
  explicit PostgresqlStore(std::string url, int connect_timeout_seconds = 5);
  ~PostgresqlStore() override;
  PostgresqlStore(const PostgresqlStore&) = delete;
  PostgresqlStore& operator=(const PostgresqlStore&) = delete;

  Status Migrate() override;
  Status WriteBatch(const FeedbackBatch& batch) override;
  StatusOr<FeedbackSummary> Summary(int64_t from_ms, int64_t to_ms) override;
  StatusOr<int64_t> DeleteOlderThan(int64_t cutoff_ms) override;
  Status Ping() override;

 private:
  Status ConnectLocked();
  // Runs `sql` with text parameters; the result when its status is a success, else Unavailable.
  StatusOr<std::shared_ptr<pg_result>> ExecLocked(std::string_view sql,
                                                  const std::vector<std::string>& params = {});
  // ROLLBACK of the open transaction, when the connection is still up.
  void RollbackLocked();

  const std::string url_;
  const int connect_timeout_seconds_;
  std::mutex mu_;
  pg_conn* connection_ = nullptr;  // guarded by mu_
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_FEEDBACK_POSTGRESQL_STORE_H_
