// HttpServer: the inbound HTTP/1.1 server (plain or TLS) on Boost.Beast, with keep-alive,
// in-order pipelining, the caps and timeouts of HttpLimits, strict HTTP/1.1, and a graceful
// Stop(). It knows nothing of CDS Hooks: every accepted request goes to an HttpHandler.
// Owns: its threads, listening socket and connections; borrows the handler, which must outlive
// Stop(). Thread-safety: Start and Stop from one thread; port() and base_url() from any.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_SERVER_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_SERVER_H_

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fhir/status.h"
#include "plugin/http/handler.h"
#include "plugin/http/limits.h"
#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

class ServerContext;

// The number of server threads for `requested`: itself when positive, else one per core.
int ServerThreads(int requested);

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // an IP address or a name resolved once by Start()
  int port = 0;                    // 0: an ephemeral port, see HttpServer::port()
  int threads = 0;                 // 0: one per core (ServerThreads)
  HttpLimits limits;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP; see MakeServerTlsContext
  HttpResponseObserver on_response;                // optional, for the request log
};

// An HttpServer serves on one io_context run by `threads` threads; each connection runs on its
// own strand and reads its next request only once the previous answer is written.
// What the server answers itself, before or instead of the handler, always as the project's
// JSON error body (never echoing the request) and always closing the connection:
//   400 malformed request line, header, Content-Length or chunk size (negative, non-hex,
//       over 64 bits), Content-Length with Transfer-Encoding, a target not "/..." (or "*" for
//       OPTIONS), Host missing on HTTP/1.1 or repeated;
//   413 body over max_body_bytes (by Content-Length before reading it, or by chunk sizes);
//   414 target over max_url_bytes; 431 head over max_header_bytes;
//   501 a method other than GET HEAD POST PUT DELETE OPTIONS PATCH (case-sensitive: "get" is
//       refused), a Transfer-Encoding other than exactly "chunked";
//   505 a version other than HTTP/1.0 and HTTP/1.1;
//   500 the handler threw; 503 the handler did not respond within handler_timeout_ms.
// Timeouts close the connection without an answer. Over max_connections, a new connection is
// closed at once. HEAD goes to the handler like any method; the answer keeps its Content-Length
// and loses its body. "Expect: 100-continue" is answered before the body is read.
// Memory: a connection holds at most about 2 x (max_header_bytes + 64 KiB) of buffers before its
// head is accepted (16 KiB default: < 200 KiB, so 512 connections < 100 MiB), plus the body
// received so far (<= max_body_bytes) once it is.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler* handler);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens on options.host:options.port and starts the threads. Unavailable when the
  // address cannot be resolved or bound; FailedPrecondition when called twice.
  Status Start();

  // The bound port (the ephemeral one when options.port is 0); 0 before Start().
  int port() const { return port_; }
  // "http://host:port" or "https://host:port" (IPv6 hosts in brackets).
  std::string base_url() const;

  // Stops accepting, closes idle connections, lets requests in flight finish (their answers
  // carry "Connection: close") for at most limits.stop_grace_ms, then closes every connection
  // and joins the threads. Idempotent. After it the handler is never called again, and a
  // `respond` still held by the handler does nothing.
  void Stop();

 private:
  void Accept();
  void OnAccept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);

  const HttpServerOptions options_;
  // Declared first among the I/O objects so that it (with the io_context) is destroyed last.
  std::shared_ptr<ServerContext> context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_timer_;  // backs off when accept runs out of descriptors
  std::vector<std::thread> threads_;
  int port_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_SERVER_H_
