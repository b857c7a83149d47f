// A Server is the HTTP listener of the CDS service: it adapts cpprestsdk's http_listener to the
// plugin's plain handler functions (router.h) and owns what those need per request: the running
// config (a shared_ptr<const ServiceConfig> read with std::atomic_load once per request, swapped
// whole with SetConfig), the clocks giving "today" and "now" (for client JWT checks), the optional
// FHIR record fetcher, and the request log. Bodies are read with a cap (an oversized body is
// refused by its Content-Length unread, a chunked one stops being kept once past the cap); every
// pplx chain ends in a task-based continuation that observes its exception, so no input can
// terminate the process.
// Thread-safety: Start/Stop from one thread; SetConfig and config() from any thread; requests are
// served on cpprestsdk's thread pool.
#ifndef STEROID_ADVISOR_PLUGIN_SERVER_H_
#define STEROID_ADVISOR_PLUGIN_SERVER_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "fhir/date.h"
#include "fhir/status.h"
#include "plugin/config/service_config.h"
#include "plugin/http/request_log.h"
#include "plugin/record/fetcher.h"

namespace web::http {
class http_request;
namespace experimental::listener {
class http_listener;
}  // namespace experimental::listener
}  // namespace web::http

namespace steroid_advisor::plugin {

class FeedbackRecorder;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::shared_ptr<const ServiceConfig> config;  // nullptr: DefaultServiceConfig()
  std::function<fhir::Day()> clock;             // empty: today's date in UTC
  std::function<int64_t()> now_seconds;         // empty: time(nullptr); checks client JWTs
  RecordFetcher* fetcher = nullptr;  // nullptr: no fallback fetch; must outlive the Server
  FeedbackRecorder* feedback = nullptr;  // nullptr: feedback not stored; must outlive the Server
  std::ostream* log_sink = nullptr;  // the request log; nullptr: std::clog
  bool quiet = false;                // true: no request log at all
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // Stops.
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts listening on host:port. Unavailable when the address cannot be bound.
  Status Start();
  // Stops listening and waits for open connections to finish. Idempotent.
  void Stop();

  // "http://host:port".
  std::string base_url() const;

  std::shared_ptr<const ServiceConfig> config() const;
  // Requests that start after this call use `config`; requests in flight keep their snapshot.
  void SetConfig(std::shared_ptr<const ServiceConfig> config);

 private:
  void OnRequest(web::http::http_request message);

  ServerOptions options_;
  std::shared_ptr<const ServiceConfig> config_;  // read/written only with std::atomic_load/store
  RequestLog log_;
  std::unique_ptr<web::http::experimental::listener::http_listener> listener_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_SERVER_H_
