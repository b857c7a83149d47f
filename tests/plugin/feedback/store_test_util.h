// Feedback stores for tests: a fresh SQLite file in a temporary directory, or a fresh database
// on the throwaway PostgreSQL server (postgresql_test_util.h), behind one FeedbackStore
// interface, so a test runs unchanged on both stores.
// Thread-safety: use from the test's main thread.
#ifndef STEROID_ADVISOR_TESTS_PLUGIN_FEEDBACK_STORE_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_PLUGIN_FEEDBACK_STORE_TEST_UTIL_H_

#include <memory>
#include <ostream>
#include <string>

#include "plugin/feedback/store.h"
#include "tests/plugin/config/config_test_util.h"

namespace steroid_advisor::plugin {

enum class StoreKind { kSqlite, kPostgresql };

using testing::TempDir;

// "Sqlite" / "Postgresql", for test names.
std::string StoreKindName(StoreKind kind);
// GoogleTest prints parameters with this.
void PrintTo(StoreKind kind, std::ostream* out);

// A fresh, empty store of `kind`, not yet migrated; `dir` holds the SQLite file. nullptr with a
// test failure when it cannot be made. `location` receives the SQLite path or PostgreSQL URL.
std::unique_ptr<FeedbackStore> NewTestStore(StoreKind kind, const TempDir& dir,
                                            std::string* location = nullptr);

// A shown card and a feedback entry with the fields tests care about.
ShownCard TestShownCard(const std::string& uuid, const std::string& rule, int64_t shown_at_ms);
FeedbackEntry TestFeedback(const std::string& card_uuid, const std::string& outcome,
                           int64_t outcome_at_ms, const std::string& reason_code = "");

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_TESTS_PLUGIN_FEEDBACK_STORE_TEST_UTIL_H_
