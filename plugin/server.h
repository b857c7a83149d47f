// A Server is the CDS service's listener: the Beast HTTP server (plugin/http/server.h) serving
// the router's endpoints (CDS Hooks discovery, hooks and feedback; health and metrics). It owns
// what a request needs besides its body: the running config (a shared_ptr<const ServiceConfig>
// read with std::atomic_load once per request, swapped whole with SetConfig), the clocks giving
// "today" and "now" (for client JWT checks), the request log; it borrows the FHIR record
// fetcher, the metrics and the readiness check. Heads are checked before any body byte is read
// (an oversized or unauthenticated call is refused unread); hook calls that wait on a FHIR
// server answer from the fetch's continuation, so no server thread ever waits.
// Thread-safety: Start/Stop from one thread; SetConfig and config() from any thread; requests
// are served on the HTTP server's threads.
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
#include "plugin/http/limits.h"
#include "plugin/http/request_log.h"
#include "plugin/ops/metrics.h"
#include "plugin/record/fetcher.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace steroid_advisor::plugin {

class FeedbackRecorder;
class HttpServer;
class JwksCache;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: an ephemeral port (base_url() tells which)
  int threads = 0;  // 0: one per core
  // Caps and timeouts of the HTTP edge. max_body_bytes is raised to the config's
  // server.maxBodyBytes at Start when that is larger (the router enforces the running value).
  HttpLimits limits;
  // true (cds_server): the caps and timeouts come from the config's "server" section at Start,
  // replacing `limits` (tests keep false to set their own).
  bool limits_from_config = false;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
  std::shared_ptr<const ServiceConfig> config;     // nullptr: DefaultServiceConfig()
  std::function<fhir::Day()> clock;                // empty: today's date in UTC
  std::function<int64_t()> now_seconds;            // empty: time(nullptr); checks client JWTs
  RecordFetcher* fetcher = nullptr;      // nullptr: no fallback fetch; must outlive the Server
  FeedbackRecorder* feedback = nullptr;  // nullptr: feedback not stored; must outlive the Server
  Metrics* metrics = nullptr;            // nullptr: /metrics is empty; must outlive the Server
  std::function<Status()> readiness;     // GET /health/ready; empty: always ready
  std::ostream* log_sink = nullptr;      // the request log; nullptr: std::clog
  LogFormat log_format = LogFormat::kText;
  LogLevel log_level = LogLevel::kInfo;
  bool quiet = false;  // true: no request log at all
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // Stops.
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts listening on host:port. Unavailable when the address cannot be bound.
  Status Start();
  // Stops accepting, lets calls in flight finish (bounded by limits.stop_grace_ms), closes the
  // rest. Idempotent.
  void Stop();

  // "http://host:port" or "https://host:port", with the bound port once started.
  std::string base_url() const;

  std::shared_ptr<const ServiceConfig> config() const;
  // Requests that start after this call use `config`; requests in flight keep their snapshot.
  void SetConfig(std::shared_ptr<const ServiceConfig> config);

 private:
  class Handler;

  ServerOptions options_;
  std::shared_ptr<const ServiceConfig> config_;  // read/written only with std::atomic_load/store
  RequestLog log_;
  std::unique_ptr<Handler> handler_;
  // Client JWTs: outlive any one config, shared by every request of this server.
  std::unique_ptr<JtiReplayCache> jwt_replay_;
  std::unique_ptr<JwksCache> jwks_;  // issuers' jku sets, fetched in the background
  std::unique_ptr<HttpServer> http_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_SERVER_H_
