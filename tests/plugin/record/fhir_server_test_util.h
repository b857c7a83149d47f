// A real FHIR R4 server for tests of the FHIR fallback fetch: tests/fhir_server/server.js
// (Node, @medplum/fhir-router) started as a child process on loopback, port chosen by the OS,
// with its fault-injection control endpoint (delay, status, OperationOutcome, bearer check) and
// its request log (which records whether an Authorization header came, never the token).
// Owns: the child process (killed and reaped in the destructor) and its pipes.
// Thread-safety: not safe for concurrent use; one test thread drives it.
#ifndef STEROID_ADVISOR_TESTS_PLUGIN_RECORD_FHIR_SERVER_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_PLUGIN_RECORD_FHIR_SERVER_TEST_UTIL_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fhir/status.h"
#include "gtest/gtest.h"

namespace steroid_advisor::plugin {

// One line of GET /__control/requests.
struct LoggedFhirRequest {
  std::string method;
  std::string url;  // path and query as sent
  bool authorization_present = false;
  std::optional<bool> bearer_matches;  // set only while the server requires a bearer token
};

class FhirTestServer {
 public:
  // Why the server cannot run on this machine (node not on PATH, or `npm ci` not run in
  // tests/fhir_server); "" when it can. Tests GTEST_SKIP with this reason; CI installs both,
  // so a skip there is a failure to fix.
  static std::string WhyUnavailable();

  // Starts the server with tests/fhir_server/data loaded and waits for its
  // "FHIR_SERVER_LISTENING port=N" line. `extra_args` go to server.js as they are (e.g.
  // "--no-validate" to store deliberately broken records). Unavailable when it cannot start.
  static StatusOr<std::unique_ptr<FhirTestServer>> Start(
      const std::vector<std::string>& extra_args = {});

  ~FhirTestServer();
  FhirTestServer(const FhirTestServer&) = delete;
  FhirTestServer& operator=(const FhirTestServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>/fhir"
  std::string base_url() const;

  // POST /__control with `json_body` ({"delayMs": 3000}, {"status": 401}, ...).
  Status Control(const std::string& json_body);
  // Back to normal behaviour, and an empty request log.
  Status Reset();
  Status ClearLog();
  StatusOr<std::vector<LoggedFhirRequest>> RequestLog();
  // POSTs a transaction Bundle to the base URL (extra patients and records for one test).
  Status LoadTransaction(const std::string& bundle_json);

 private:
  FhirTestServer(pid_t pid, int stdin_fd, int stdout_fd, int port)
      : pid_(pid), stdin_fd_(stdin_fd), stdout_fd_(stdout_fd), port_(port) {}

  pid_t pid_;
  int stdin_fd_;  // the child exits when this closes (--exit-on-stdin-close)
  int stdout_fd_;
  int port_;
};

// A test fixture whose tests share one FhirTestServer, started once per test suite. A suite
// calls StartSharedServer(args) from its SetUpTestSuite and StopSharedServer() from its
// TearDownTestSuite, and SetUpSharedServer() first in SetUp: it skips when the server cannot run
// on this machine, fails when it did not start, and otherwise resets it.
class SharedFhirServerTest : public ::testing::Test {
 protected:
  static void StartSharedServer(const std::vector<std::string>& extra_args = {});
  static void StopSharedServer();
  void SetUpSharedServer();

  static FhirTestServer* server_;
  static std::string* why_unavailable_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_TESTS_PLUGIN_RECORD_FHIR_SERVER_TEST_UTIL_H_
