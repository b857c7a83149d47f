// A throwaway PostgreSQL server for the feedback tests: initdb + pg_ctl (Debian postgresql,
// /usr/lib/postgresql/15/bin or $STEROID_ADVISOR_POSTGRESQL_BIN) into a temporary directory, on
// a free loopback port, started on first use and stopped (and deleted) when the test binary
// exits. Run as root (CI) it runs the server as the postgres user (runuser), since PostgreSQL
// refuses to run as root. There is no skipping: a missing initdb is a test failure.
// Thread-safety: use from the test's main thread.
#ifndef STEROID_ADVISOR_TESTS_PLUGIN_FEEDBACK_POSTGRESQL_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_PLUGIN_FEEDBACK_POSTGRESQL_TEST_UTIL_H_

#include <string>
#include <vector>

namespace steroid_advisor::plugin {

// The URL of a fresh, empty database on the shared test server ("postgresql://postgres@
// 127.0.0.1:PORT/feedback_test_N"); "" with a test failure added when the server cannot start.
std::string NewPostgresqlTestDatabase();

// Runs one SQL statement on the database at `url` and answers the first column of every row;
// adds a test failure on error.
std::vector<std::string> QueryPostgresql(const std::string& url, const std::string& sql);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_TESTS_PLUGIN_FEEDBACK_POSTGRESQL_TEST_UTIL_H_
