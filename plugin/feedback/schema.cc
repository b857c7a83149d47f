#include "plugin/feedback/schema.h"

namespace steroid_advisor::plugin::feedback_sql {

const std::vector<Migration>& Migrations() {
  // The primary key of feedback makes a client's retry (same card, outcome and timestamp) land
  // once; shown_cards is keyed by the card uuid the service made up.
  static const std::vector<Migration> kMigrations = {
      {1,
       "CREATE TABLE shown_cards ("
       " card_uuid TEXT PRIMARY KEY,"
       " service_id TEXT NOT NULL,"
       " rule TEXT NOT NULL,"
       " indicator TEXT NOT NULL,"
       " patient_hash TEXT NOT NULL,"
       " shown_at_ms BIGINT NOT NULL);"
       "CREATE INDEX shown_cards_by_time ON shown_cards (shown_at_ms);"
       "CREATE TABLE feedback ("
       " card_uuid TEXT NOT NULL,"
       " service_id TEXT NOT NULL,"
       " outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),"
       " accepted_suggestions TEXT NOT NULL,"
       " reason_system TEXT NOT NULL,"
       " reason_code TEXT NOT NULL,"
       " reason_display TEXT NOT NULL,"
       " user_comment TEXT NOT NULL,"
       " outcome_timestamp TEXT NOT NULL,"
       " outcome_at_ms BIGINT NOT NULL,"
       " received_at_ms BIGINT NOT NULL,"
       " PRIMARY KEY (card_uuid, outcome, outcome_timestamp));"
       "CREATE INDEX feedback_by_outcome_time ON feedback (outcome_at_ms);"
       "CREATE INDEX feedback_by_received_time ON feedback (received_at_ms)"},
  };
  return kMigrations;
}

std::vector<std::string_view> SplitStatements(std::string_view statements) {
  std::vector<std::string_view> out;
  while (!statements.empty()) {
    size_t end = statements.find(';');
    std::string_view statement = statements.substr(0, end);
    if (statement.find_first_not_of(" \n") != std::string_view::npos) out.push_back(statement);
    if (end == std::string_view::npos) break;
    statements.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace steroid_advisor::plugin::feedback_sql
