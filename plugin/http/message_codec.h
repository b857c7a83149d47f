// Conversion between Beast's messages and the plugin's HttpRequest/HttpResponse, and the JSON
// error responses the server writes itself. The server owns the framing headers
// (Content-Length, Transfer-Encoding, Connection): a handler's values for them are dropped.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_MESSAGE_CODEC_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_MESSAGE_CODEC_H_

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>

#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

// Fills method, target, path (target up to '?'), lower-case headers (repeats joined ", ") and
// remote_address of `out`; leaves its body alone.
void ReadRequestHead(const boost::beast::http::request_header<>& head,
                     std::string_view remote_address, HttpRequest* out);

// Makes the wire response for `response`: `version` as the request's (10 or 11), Connection
// from `keep_alive`, Content-Length always (none for 204 and 304, which carry no body), and for
// a HEAD request the Content-Length of the body without the body. A status outside 200-599
// becomes a generic 500; a header whose name or value holds CR, LF or NUL is dropped.
void WriteResponse(HttpResponse response, unsigned version, bool keep_alive, bool head_request,
                   boost::beast::http::response<boost::beast::http::string_body>* out);

// `{"error":{"code":code,"message":message}}` with Content-Type application/json, the shape of
// every error the service writes (tests/conformance/schema/error.schema.json).
HttpResponse JsonErrorResponse(int status, std::string_view code, std::string_view message);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_MESSAGE_CODEC_H_
