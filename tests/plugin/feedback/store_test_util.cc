#include "tests/plugin/feedback/store_test_util.h"

#include <gtest/gtest.h>

#include "plugin/feedback/postgresql_store.h"
#include "plugin/feedback/sqlite_store.h"
#include "plugin/feedback/summary_json.h"
#include "tests/plugin/feedback/postgresql_test_util.h"

namespace steroid_advisor::plugin {

std::string StoreKindName(StoreKind kind) {
  return kind == StoreKind::kSqlite ? "Sqlite" : "Postgresql";
}

std::unique_ptr<FeedbackStore> NewTestStore(StoreKind kind, const TempDir& dir,
                                            std::string* location) {
  if (kind == StoreKind::kPostgresql) {
    std::string url = NewPostgresqlTestDatabase();
    if (url.empty()) return nullptr;
    if (location != nullptr) *location = url;
    return std::make_unique<PostgresqlStore>(url);
  }
  std::string path = dir.path() + "/feedback.sqlite3";
  if (location != nullptr) *location = path;
  StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return *std::move(store);
}

void PrintTo(StoreKind kind, std::ostream* out) { *out << StoreKindName(kind); }

ShownCard TestShownCard(const std::string& uuid, const std::string& rule, int64_t shown_at_ms) {
  ShownCard card;
  card.card_uuid = uuid;
  card.service_id = "steroid-advisor-order-select";
  card.rule = rule;
  card.indicator = "warning";
  card.patient_hash = std::string(64, 'a');
  card.shown_at_ms = shown_at_ms;
  return card;
}

FeedbackEntry TestFeedback(const std::string& card_uuid, const std::string& outcome,
                           int64_t outcome_at_ms, const std::string& reason_code) {
  FeedbackEntry entry;
  entry.card_uuid = card_uuid;
  entry.service_id = "steroid-advisor-order-select";
  entry.outcome = outcome;
  entry.outcome_timestamp = FormatInstantMs(outcome_at_ms);
  entry.outcome_at_ms = outcome_at_ms;
  entry.received_at_ms = outcome_at_ms;
  if (!reason_code.empty()) {
    entry.override_reason_system = "https://steroid-advisor.org/fhir/CodeSystem/override-reason";
    entry.override_reason_code = reason_code;
    entry.override_reason_display = "Display of " + reason_code;
  }
  return entry;
}

}  // namespace steroid_advisor::plugin
