// The feedback schema and the statements both stores run. The SQL is written once in the dialect
// SQLite and PostgreSQL share (TEXT/BIGINT, ON CONFLICT DO NOTHING, $N parameters), so the two
// stores cannot drift apart. Migrations are numbered from 1 and never edited once released: a
// schema change is a new entry at the end.
// Owns: nothing (string constants). Thread-safety: constants, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_FEEDBACK_SCHEMA_H_
#define STEROID_ADVISOR_PLUGIN_FEEDBACK_SCHEMA_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace steroid_advisor::plugin::feedback_sql {

struct Migration {
  int version;
  // Statements separated by ';' (none inside a statement), run in one transaction.
  std::string_view statements;
};

// Every migration, oldest first.
const std::vector<Migration>& Migrations();

// The statements of a migration, one by one (libpq runs one statement per parameterised call).
std::vector<std::string_view> SplitStatements(std::string_view statements);

// The version table, created before any migration runs.
inline constexpr std::string_view kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS feedback_schema_version ("
    " version BIGINT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)";
inline constexpr std::string_view kSelectVersions = "SELECT version FROM feedback_schema_version";
inline constexpr std::string_view kInsertVersion =
    "INSERT INTO feedback_schema_version (version, applied_at_ms) VALUES ($1, $2)";

// $1 card_uuid, $2 service_id, $3 rule, $4 indicator, $5 patient_hash, $6 shown_at_ms.
inline constexpr std::string_view kInsertShownCard =
    "INSERT INTO shown_cards (card_uuid, service_id, rule, indicator, patient_hash, shown_at_ms)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
// $1 card_uuid, $2 service_id, $3 outcome, $4 accepted_suggestions (space separated),
// $5 reason_system, $6 reason_code, $7 reason_display, $8 user_comment, $9 outcome_timestamp,
// $10 outcome_at_ms, $11 received_at_ms.
inline constexpr std::string_view kInsertFeedback =
    "INSERT INTO feedback (card_uuid, service_id, outcome, accepted_suggestions, reason_system,"
    " reason_code, reason_display, user_comment, outcome_timestamp, outcome_at_ms,"
    " received_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    " ON CONFLICT DO NOTHING";

// Summary over [$1, $2): rows (rule, count).
inline constexpr std::string_view kSummaryShown =
    "SELECT rule, COUNT(*) FROM shown_cards WHERE shown_at_ms >= $1 AND shown_at_ms < $2"
    " GROUP BY rule";
// Rows (rule, outcome, reason_code, reason_display, day since the epoch, count) for feedback on
// cards the store knows.
inline constexpr std::string_view kSummaryOutcomes =
    "SELECT s.rule, f.outcome, f.reason_code, f.reason_display, f.outcome_at_ms / 86400000,"
    " COUNT(*) FROM feedback f JOIN shown_cards s ON s.card_uuid = f.card_uuid"
    " WHERE f.outcome_at_ms >= $1 AND f.outcome_at_ms < $2 GROUP BY 1, 2, 3, 4, 5";
// One row: feedback entries for card uuids never shown.
inline constexpr std::string_view kSummaryUnknown =
    "SELECT COUNT(*) FROM feedback f WHERE f.outcome_at_ms >= $1 AND f.outcome_at_ms < $2"
    " AND NOT EXISTS (SELECT 1 FROM shown_cards s WHERE s.card_uuid = f.card_uuid)";

// Retention, $1 the cutoff in ms.
inline constexpr std::string_view kDeleteOldShownCards =
    "DELETE FROM shown_cards WHERE shown_at_ms < $1";
inline constexpr std::string_view kDeleteOldFeedback =
    "DELETE FROM feedback WHERE received_at_ms < $1";

}  // namespace steroid_advisor::plugin::feedback_sql

#endif  // STEROID_ADVISOR_PLUGIN_FEEDBACK_SCHEMA_H_
