// Serving one cpprestsdk request through our plain handlers: the part the CDS listener
// (server.cc) and the admin listener (admin_server.cc) share. Reads the request head, asks for an
// early answer (then drains the body unread), reads the body up to a cap (413 past it, with
// bounded memory), calls the handler, lets the caller add last headers, logs one line and sends.
// Every pplx chain ends in a task-based continuation that observes its exception: pplx
// terminates the process on an unobserved one. Never throws.
// Thread-safety: stateless; call from cpprestsdk's pool for each request.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_LISTENER_ADAPTER_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_LISTENER_ADAPTER_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "plugin/http/message.h"
#include "plugin/http/request_log.h"

namespace web::http {
class http_request;
}  // namespace web::http

namespace steroid_advisor::plugin {

// What one listener does with one request. `handle` gets the head and the body.
struct RequestHandlers {
  std::size_t max_body_bytes = 0;
  // An answer that needs no body (bad method, unsupported type, declared body over the cap).
  std::function<std::optional<HttpResponse>(const HttpRequest& head)> check_before_body;
  // Answers through `respond`, exactly once, possibly later and from another thread.
  std::function<void(const HttpRequest& request, Respond respond)> handle;
  // Last touches to every response, early ones included (e.g. CORS headers). May be empty.
  std::function<void(HttpResponse& response)> finish;
};

// Answers `message` through `handlers`, logging to `log` under `request_id`.
void ServeRequest(web::http::http_request message, RequestHandlers handlers, RequestLog& log,
                  const std::string& request_id);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_LISTENER_ADAPTER_H_
