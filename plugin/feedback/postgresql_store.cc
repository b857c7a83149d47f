#include "plugin/feedback/postgresql_store.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <set>
#include <utility>

#include "plugin/feedback/schema.h"
#include "plugin/feedback/summary.h"
#include "plugin/feedback/timestamps.h"

namespace steroid_advisor::plugin {
namespace {

// An arbitrary constant: the advisory lock that serialises migrations across replicas.
constexpr char kMigrationLockKey[] = "1515201500";

std::string FirstLine(const char* message) {
  std::string text = message != nullptr ? message : "unknown error";
  size_t end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

std::string JoinSuggestions(const std::vector<std::string>& ids) {
  std::string joined;
  for (const std::string& id : ids) {
    if (!joined.empty()) joined += ' ';
    joined += id;
  }
  return joined;
}

int64_t IntAt(pg_result* result, int row, int column) {
  return std::strtoll(PQgetvalue(result, row, column), nullptr, 10);
}

std::string_view TextAt(pg_result* result, int row, int column) {
  return std::string_view(PQgetvalue(result, row, column), PQgetlength(result, row, column));
}

}  // namespace

PostgresqlStore::PostgresqlStore(std::string url, int connect_timeout_seconds)
    : url_(std::move(url)), connect_timeout_seconds_(connect_timeout_seconds) {}

PostgresqlStore::~PostgresqlStore() {
  if (connection_ != nullptr) PQfinish(connection_);
}

Status PostgresqlStore::ConnectLocked() {
  if (connection_ != nullptr && PQstatus(connection_) == CONNECTION_OK) return OkStatus();
  if (connection_ != nullptr) {
    PQfinish(connection_);
    connection_ = nullptr;
  }
  // connect_timeout comes before dbname: what the URL itself says wins (libpq's expand_dbname).
  std::string timeout = std::to_string(connect_timeout_seconds_);
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "steroid-advisor", url_.c_str(), nullptr};
  pg_conn* connection = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (connection == nullptr) return UnavailableError("feedback store (postgresql): out of memory");
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = FirstLine(PQerrorMessage(connection));
    PQfinish(connection);
    return UnavailableError("feedback store (postgresql): cannot connect: " + message);
  }
  connection_ = connection;
  // Quiet the NOTICEs of CREATE ... IF NOT EXISTS; they would go to stderr.
  (void)ExecLocked("SET client_min_messages TO warning");
  return OkStatus();
}

StatusOr<std::shared_ptr<pg_result>> PostgresqlStore::ExecLocked(
    std::string_view sql, const std::vector<std::string>& params) {
  if (connection_ == nullptr) return UnavailableError("feedback store (postgresql): not connected");
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& param : params) values.push_back(param.c_str());
  std::string text(sql);
  std::shared_ptr<pg_result> result(
      PQexecParams(connection_, text.c_str(), static_cast<int>(values.size()), nullptr,
                   values.data(), nullptr, nullptr, /*resultFormat=*/0),
      PQclear);
  ExecStatusType status = result != nullptr ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  std::string message = FirstLine(PQerrorMessage(connection_));
  return UnavailableError("feedback store (postgresql): " + message);
}

void PostgresqlStore::RollbackLocked() {
  if (connection_ != nullptr && PQstatus(connection_) == CONNECTION_OK) {
    (void)ExecLocked("ROLLBACK");
  }
}

Status PostgresqlStore::Migrate() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(ConnectLocked());
  for (const feedback_sql::Migration& migration : feedback_sql::Migrations()) {
    Status status = [&]() -> Status {
      RETURN_IF_ERROR(ExecLocked("BEGIN").status());
      // Replicas starting together take turns; the lock goes with the transaction.
      RETURN_IF_ERROR(
          ExecLocked("SELECT pg_advisory_xact_lock($1::bigint)", {kMigrationLockKey}).status());
      RETURN_IF_ERROR(ExecLocked(feedback_sql::kCreateVersionTable).status());
      StatusOr<std::shared_ptr<pg_result>> versions = ExecLocked(feedback_sql::kSelectVersions);
      if (!versions.ok()) return versions.status();
      std::set<int64_t> applied;
      for (int row = 0; row < PQntuples(versions->get()); ++row) {
        applied.insert(IntAt(versions->get(), row, 0));
      }
      if (applied.count(migration.version) == 0) {
        Status migrated = OkStatus();
        for (std::string_view statement : feedback_sql::SplitStatements(migration.statements)) {
          migrated = ExecLocked(statement).status();
          if (!migrated.ok()) break;
        }
        if (!migrated.ok()) {
          return InternalError("feedback store: migration " + std::to_string(migration.version) +
                               " failed: " + migrated.message());
        }
        RETURN_IF_ERROR(ExecLocked(feedback_sql::kInsertVersion,
                                   {std::to_string(migration.version), std::to_string(NowMs())})
                            .status());
      }
      return ExecLocked("COMMIT").status();
    }();
    if (!status.ok()) {
      RollbackLocked();
      return status;
    }
  }
  return OkStatus();
}

Status PostgresqlStore::WriteBatch(const FeedbackBatch& batch) {
  if (batch.empty()) return OkStatus();
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(ConnectLocked());
  Status status = [&]() -> Status {
    RETURN_IF_ERROR(ExecLocked("BEGIN").status());
    for (const ShownCard& card : batch.shown_cards) {
      RETURN_IF_ERROR(ExecLocked(feedback_sql::kInsertShownCard,
                                 {card.card_uuid, card.service_id, card.rule, card.indicator,
                                  card.patient_hash, std::to_string(card.shown_at_ms)})
                          .status());
    }
    for (const FeedbackEntry& entry : batch.feedback) {
      RETURN_IF_ERROR(
          ExecLocked(feedback_sql::kInsertFeedback,
                     {entry.card_uuid, entry.service_id, entry.outcome,
                      JoinSuggestions(entry.accepted_suggestions), entry.override_reason_system,
                      entry.override_reason_code, entry.override_reason_display, entry.user_comment,
                      entry.outcome_timestamp, std::to_string(entry.outcome_at_ms),
                      std::to_string(entry.received_at_ms)})
              .status());
    }
    return ExecLocked("COMMIT").status();
  }();
  if (!status.ok()) RollbackLocked();
  return status;
}

StatusOr<FeedbackSummary> PostgresqlStore::Summary(int64_t from_ms, int64_t to_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(ConnectLocked());
  std::vector<std::string> range = {std::to_string(from_ms), std::to_string(to_ms)};
  SummaryBuilder builder;
  Status status = [&]() -> Status {
    // One snapshot for the three queries.
    RETURN_IF_ERROR(ExecLocked("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").status());
    StatusOr<std::shared_ptr<pg_result>> shown = ExecLocked(feedback_sql::kSummaryShown, range);
    if (!shown.ok()) return shown.status();
    for (int row = 0; row < PQntuples(shown->get()); ++row) {
      builder.AddShown(TextAt(shown->get(), row, 0), IntAt(shown->get(), row, 1));
    }
    StatusOr<std::shared_ptr<pg_result>> outcomes =
        ExecLocked(feedback_sql::kSummaryOutcomes, range);
    if (!outcomes.ok()) return outcomes.status();
    pg_result* rows = outcomes->get();
    for (int row = 0; row < PQntuples(rows); ++row) {
      builder.AddOutcome(TextAt(rows, row, 0), TextAt(rows, row, 1), TextAt(rows, row, 2),
                         TextAt(rows, row, 3), IntAt(rows, row, 4), IntAt(rows, row, 5));
    }
    StatusOr<std::shared_ptr<pg_result>> unknown = ExecLocked(feedback_sql::kSummaryUnknown, range);
    if (!unknown.ok()) return unknown.status();
    if (PQntuples(unknown->get()) == 1) builder.SetUnknownCards(IntAt(unknown->get(), 0, 0));
    return ExecLocked("COMMIT").status();
  }();
  if (!status.ok()) {
    RollbackLocked();
    return status;
  }
  return builder.Build();
}

StatusOr<int64_t> PostgresqlStore::DeleteOlderThan(int64_t cutoff_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(ConnectLocked());
  int64_t deleted = 0;
  Status status = [&]() -> Status {
    RETURN_IF_ERROR(ExecLocked("BEGIN").status());
    for (std::string_view sql :
         {feedback_sql::kDeleteOldShownCards, feedback_sql::kDeleteOldFeedback}) {
      StatusOr<std::shared_ptr<pg_result>> result = ExecLocked(sql, {std::to_string(cutoff_ms)});
      if (!result.ok()) return result.status();
      deleted += std::strtoll(PQcmdTuples(result->get()), nullptr, 10);
    }
    return ExecLocked("COMMIT").status();
  }();
  if (!status.ok()) {
    RollbackLocked();
    return status;
  }
  return deleted;
}

Status PostgresqlStore::Ping() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(ConnectLocked());
  Status status = ExecLocked("SELECT 1").status();
  if (!status.ok() && PQstatus(connection_) != CONNECTION_OK) {
    PQfinish(connection_);
    connection_ = nullptr;
  }
  return status;
}

}  // namespace steroid_advisor::plugin
