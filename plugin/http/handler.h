// HttpHandler: what the HTTP server calls for each request that passed its own checks (limits,
// strict HTTP/1.1). The server knows nothing of CDS Hooks; the handler knows nothing of sockets.
// Owns: nothing. Thread-safety: the server calls one handler from all its threads at once, so
// implementations must be safe for concurrent use.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_HANDLER_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_HANDLER_H_

#include <cstdint>
#include <functional>
#include <optional>

#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

// Told of every response the server sends (the handler's and its own errors), for the request
// log: `request` has method, path and remote_address only (no target, headers or body: copying
// them for every request cost more than the log line); latency is from the request's first byte
// to the response being handed to the socket. Called on a server thread; must not block; a throw
// is ignored.
using HttpResponseObserver = std::function<void(const HttpRequest& request,
                                                const HttpResponse& response, int64_t latency_us)>;

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;

  // Called once the head is parsed, before any body byte is read; `head.body` is empty.
  // std::nullopt: the server reads the body and calls Handle. A response here is sent as the
  // answer and the body is not read (the connection is then closed if a body was pending).
  // Must not block. A throw becomes a generic 500. The handler may name the request here
  // (`head.request_id`); the request given to Handle carries that name.
  virtual std::optional<HttpResponse> CheckHead(HttpRequest& head) = 0;

  // Called with the whole request. Must call `respond` exactly once, from any thread, possibly
  // later (after async I/O); calls after the first are ignored. Must not block. A throw becomes
  // a generic 500 (unless `respond` was called first). If `respond` is not called within
  // HttpLimits::handler_timeout_ms the client gets 503 and the connection is closed; a `respond`
  // kept past HttpServer::Stop() may still be called (it does nothing) or dropped.
  virtual void Handle(HttpRequest request, std::function<void(HttpResponse)> respond) = 0;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_HANDLER_H_
