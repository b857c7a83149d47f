// Strict HTTP/1.1 checks on a request head that Beast's parser accepted, and the answer for one
// it refused: the status, and a fixed message that never echoes the request. The parser does
// the parsing; this unit only decides what the server refuses beyond it.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_REQUEST_CHECKS_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_REQUEST_CHECKS_H_

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <optional>
#include <string_view>

#include "plugin/http/limits.h"

namespace steroid_advisor::plugin {

// Why the server refuses a request. `code` is one of the project's error codes
// (tests/conformance/schema/error.schema.json); `message` is a fixed literal.
struct RequestError {
  int status;
  std::string_view code;
  std::string_view message;
};

// std::nullopt when the head may go to the handler. Otherwise: 505 for a version other than
// 1.0/1.1; 501 for a method that is not one of GET HEAD POST PUT DELETE OPTIONS PATCH exactly
// as spelled (methods are case-sensitive); 414 for a target over limits.max_url_bytes; 400 for
// a target that is neither origin-form ("/...") nor "*" with OPTIONS, for a missing Host on 1.1
// or a repeated Host, and for Content-Length together with Transfer-Encoding; 501 for a
// Transfer-Encoding other than exactly "chunked".
std::optional<RequestError> CheckRequestHead(const boost::beast::http::request_header<>& head,
                                             const HttpLimits& limits);

// The answer for a request the parser refused with `ec` (an http::error). `parsed_target` is
// the target once the parser has read the request line (else empty); `buffered` is what is
// still in the read buffer (the raw request line when the parser did not get past it). Only the
// request line is looked at, to tell which limit was hit: header_limit is 414 when the target
// is over limits.max_url_bytes, else 431; bad_version is 505 for a well-formed "HTTP/d.d" other
// than 1.0/1.1, else 400.
RequestError RequestErrorForParseError(const boost::beast::error_code& ec,
                                       std::string_view parsed_target, std::string_view buffered,
                                       const HttpLimits& limits);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_REQUEST_CHECKS_H_
