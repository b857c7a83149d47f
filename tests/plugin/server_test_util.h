// Test helpers for the CDS service over real loopback HTTP: start a Server in-process on a free
// port with the clock fixed on 2026-11-24, talk to it with cpprestsdk's http_client or a raw
// socket (for malformed HTTP), and load JSON fixtures from the source tree. Other suites
// (fetch, conformance) reuse them.
// Thread-safety: each helper call is independent; a Server is used as server.h says.
#ifndef STEROID_ADVISOR_TESTS_PLUGIN_SERVER_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_PLUGIN_SERVER_TEST_UTIL_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "fhir/date.h"
#include "plugin/server.h"

namespace steroid_advisor::plugin {

// The date every example and case is written against.
inline constexpr char kTestTodayText[] = "2026-11-24";
fhir::Day TestToday();

// A port on 127.0.0.1 that the OS just gave out for port 0 (and that was then released).
int FreeLoopbackPort();

// Starts a Server on a free loopback port. `options` may set config, fetcher and log sink; host,
// port and (when empty) the clock are filled in: the clock answers TestToday(). The request log
// is silent unless options.log_sink is set. Retries a few ports when another process takes the
// one chosen; nullptr (with a test failure added) when it cannot start.
std::unique_ptr<Server> StartTestServer(ServerOptions options = {});

// The contents of `relative_path` under STEROID_ADVISOR_SOURCE_DIR ("tests/data/examples/x.json");
// adds a test failure and returns "" when it cannot be read.
std::string LoadFixture(std::string_view relative_path);
std::string SourcePath(std::string_view relative_path);

struct ClientResponse {
  int status = 0;                              // 0 when the exchange failed
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
};

// One request with cpprestsdk's http_client. `content_type` empty: no Content-Type header.
ClientResponse SendRequest(const std::string& base_url, const std::string& method,
                           const std::string& path, const std::string& body = "",
                           const std::string& content_type = "application/json",
                           const std::map<std::string, std::string>& headers = {});

// Writes `bytes` to host:port over a fresh TCP connection, half-closes it and returns everything
// the server sends until it closes (or a 10 s safety timeout, which is not a timing assertion).
std::string RawExchange(const std::string& base_url, std::string_view bytes);

// The HTTP status of a raw response ("HTTP/1.1 400 Bad Request..." -> 400), 0 when none.
int RawStatus(std::string_view raw_response);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_TESTS_PLUGIN_SERVER_TEST_UTIL_H_
