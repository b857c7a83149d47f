// An AdminServer is the admin API's own HTTP listener (default 127.0.0.1, off unless
// --admin-port is given), kept apart from the CDS listener so it can be bound to loopback or a
// management network while EHRs reach the CDS port. It serves
// HandleAdmin on the Beast HTTP server (plugin/http/server.h, the same hardened edge as the CDS
// listener, TLS included): credentials and method are checked from the headers before any body
// is read, and bodies are capped.
// Logs one line per request (method, path, status, latency; never headers, tokens or bodies).
// Owns: the listener and the authenticator; borrows the store and audit log.
// Thread-safety: Start/Stop from one thread; requests are served on the HTTP server's thread.
#ifndef STEROID_ADVISOR_PLUGIN_ADMIN_SERVER_H_
#define STEROID_ADVISOR_PLUGIN_ADMIN_SERVER_H_

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "fhir/date.h"
#include "fhir/status.h"
#include "plugin/admin/handler.h"
#include "plugin/auth/admin_token.h"
#include "plugin/config/audit_log.h"
#include "plugin/config/store.h"
#include "plugin/http/request_log.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace steroid_advisor::plugin {

class HttpServer;

struct AdminServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                          // required: there is no default admin port
  std::string token;                     // required: from ResolveAdminToken
  ConfigStore* store = nullptr;          // required; must outlive the server
  AuditLog* audit_log = nullptr;         // may be null; must outlive the server
  std::function<fhir::Day()> clock;      // "today" for previews; empty: UTC today
  AdminAssets assets;                    // the page; EmbeddedAdminAssets() in the binary
  FeedbackRecorder* feedback = nullptr;  // for the feedback summary; must outlive the server
  std::ostream* log_sink = nullptr;      // request log; nullptr: std::clog
  LogFormat log_format = LogFormat::kText;
  bool quiet = false;                              // true: no request log
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
};

class AdminServer {
 public:
  explicit AdminServer(AdminServerOptions options);
  ~AdminServer();  // Stops.
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // FailedPrecondition without a token, store or port (the admin API never runs open);
  // Unavailable when the address cannot be bound.
  Status Start();
  // Stops listening and waits for open connections. Idempotent.
  void Stop();

  // "http://host:port" (or https), with the bound port once started.
  std::string base_url() const;

 private:
  class Handler;

  AdminServerOptions options_;
  AdminAuthenticator authenticator_;
  bool has_token_ = false;
  AdminContext context_;
  RequestLog log_;
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_ADMIN_SERVER_H_
