// HttpLimits: the caps and timeouts that keep one slow or hostile client from holding more than
// its share of the HTTP server (memory, connections, time). The defaults are safe for the
// service; tests shrink the timeouts.
// Owns: nothing. Thread-safety: a value type, read-only once the server has started.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_LIMITS_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace steroid_advisor::plugin {

struct HttpLimits {
  // Request line plus header fields, CRLFs included. Over it: 431 (414 when the request line
  // alone is over max_url_bytes), and the connection is closed.
  std::size_t max_header_bytes = 16 * 1024;
  // The request-target (path plus query). Over it: 414.
  std::size_t max_url_bytes = 8 * 1024;
  // The body, decoded. Over it: 413, from Content-Length before any body byte is read, or as
  // soon as the chunk sizes of a chunked body add up past it.
  std::uint64_t max_body_bytes = 1024 * 1024;
  // Open connections. An accepted connection over the cap is closed at once, unanswered.
  int max_connections = 512;

  // The whole request head must arrive within this after its first byte (for a new connection:
  // after the accept, TLS handshake included).
  int64_t header_timeout_ms = 10'000;
  // The whole body must arrive within this after the head.
  int64_t body_timeout_ms = 30'000;
  // A keep-alive connection with no request in flight is closed after this.
  int64_t idle_timeout_ms = 30'000;
  // One response (or the TLS close) must be written within this.
  int64_t write_timeout_ms = 30'000;
  // The handler must call `respond` within this; after it the client gets 503 and the
  // connection is closed, and a late `respond` is ignored.
  int64_t handler_timeout_ms = 30'000;
  // HttpServer::Stop() lets requests in flight finish for this long, then closes everything.
  int64_t stop_grace_ms = 10'000;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_LIMITS_H_
