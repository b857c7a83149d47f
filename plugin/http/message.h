// HttpRequest and HttpResponse: the plugin's own view of one HTTP exchange, so that handlers are
// plain functions that can be tested and benchmarked without sockets or cpprestsdk.
// Owns: its strings. Thread-safety: value types.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_MESSAGE_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_MESSAGE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace steroid_advisor::plugin {

struct HttpRequest {
  std::string method;                          // "GET", "POST", "OPTIONS", ... as sent
  std::string path;                            // without the query string, not percent-decoded
  std::string query;                           // after '?', not percent-decoded; "" when none
  std::map<std::string, std::string> headers;  // names lower-case; repeated headers joined ", "
  std::string body;
  std::string target;          // the request-target as sent, query included
  std::string remote_address;  // the peer's IP address, for the request log
  std::string request_id;      // given by the handler's CheckHead, carried into Handle; or ""

  // The header `lower_case_name`, when present.
  std::optional<std::string_view> Header(std::string_view lower_case_name) const;
};

// What a handler knows of a call, for the request log only; never sent. Only our own words and
// the client's hookInstance (a uuid, sanitized when logged): never a patient id, token or body.
struct RequestFacts {
  std::string request_id;     // set by whoever made the HandlerContext; "" for server errors
  std::string service;        // the CDS service id of a hook or feedback call
  std::string hook;           // "order-select", ...
  std::string hook_instance;  // as the client sent it
  std::string cards;          // cards by rule and indicator: "prolonged-steroid:critical,..."
  std::string fetch;          // the record fetch: "", "ok", "partial", "unavailable", "shed"
};

struct HttpResponse {
  int status = 200;
  std::map<std::string, std::string> headers;  // names as they go on the wire
  std::string body;
  RequestFacts facts;  // the request log's, never sent
};

// Hands a response to whoever sends it. Handlers that answer after asynchronous work call it
// exactly once, from any thread.
using Respond = std::function<void(HttpResponse)>;

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_MESSAGE_H_
