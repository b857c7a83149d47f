// HttpRequest and HttpResponse: the plugin's own view of one HTTP exchange, so that handlers are
// plain functions that can be tested and benchmarked without sockets or cpprestsdk.
// Owns: its strings. Thread-safety: value types.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_MESSAGE_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_MESSAGE_H_

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

  // The header `lower_case_name`, when present.
  std::optional<std::string_view> Header(std::string_view lower_case_name) const;
};

struct HttpResponse {
  int status = 200;
  std::map<std::string, std::string> headers;  // names as they go on the wire
  std::string body;
  // For the request log only; never sent. Set by the hook handler once the body is read.
  std::string hook_instance;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_MESSAGE_H_
