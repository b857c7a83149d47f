// Test helpers for plugin/http over real loopback sockets: a scriptable HttpHandler, a server
// started on port 0, and a raw TCP client (Boost.Asio) that writes arbitrary bytes and reads
// responses with Beast's parser. Every wait has a generous upper bound so that a broken server
// fails a test instead of hanging it; none is a timing assertion.
// Thread-safety: TestHandler is safe for concurrent use; a RawClient belongs to one thread.
#ifndef STEROID_ADVISOR_TESTS_PLUGIN_HTTP_HTTP_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_PLUGIN_HTTP_HTTP_TEST_UTIL_H_

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "plugin/http/handler.h"
#include "plugin/http/server.h"

namespace steroid_advisor::plugin {

// The upper bound on any wait in these tests.
inline constexpr std::chrono::seconds kPatience(20);

// Limits with every timeout at 200 ms, so that timeout tests finish quickly.
HttpLimits ShortTimeouts();

// Answers by path:
//   /echo        200, body = request body, X-Method and X-Path headers, X-Body-Bytes
//   /later       200 "later" from another thread, 50 ms after Handle returns
//   /throw       Handle throws
//   /check-throw CheckHead throws
//   /reject-head CheckHead answers 401 (the body is not read)
//   /hold        keeps `respond` until RespondToHeld() (or forever)
//   anything else 404
class TestHandler : public HttpHandler {
 public:
  ~TestHandler() override;

  std::optional<HttpResponse> CheckHead(HttpRequest& head) override;
  void Handle(HttpRequest request, std::function<void(HttpResponse)> respond) override;

  // Waits until /hold has been called `count` times in all; false after kPatience.
  bool WaitForHeld(int count = 1);
  // Answers every held request with 200 "held", from this thread. Returns how many.
  int RespondToHeld();
  // Drops the held `respond`s without calling them.
  void DropHeld();

  int handled() const { return handled_.load(); }
  int checked() const { return checked_.load(); }

 private:
  std::atomic<int> handled_{0};
  std::atomic<int> checked_{0};
  std::mutex mu_;
  std::condition_variable held_changed_;
  int held_total_ = 0;                                   // guarded by mu_
  std::vector<std::function<void(HttpResponse)>> held_;  // guarded by mu_
  std::vector<std::thread> workers_;                     // guarded by mu_
};

// Starts a plain server on 127.0.0.1, port 0, with 2 threads; nullptr (with a test failure)
// when Start fails.
std::unique_ptr<HttpServer> StartServer(HttpHandler* handler, const HttpLimits& limits = {},
                                        HttpServerOptions options = {});

using RawResponse = boost::beast::http::response<boost::beast::http::string_body>;

// One TCP connection to 127.0.0.1:port, driven synchronously with a deadline on every call.
class RawClient {
 public:
  explicit RawClient(int port);
  bool connected() const { return connected_; }

  // Writes all of `bytes`; false when the server closed or the deadline passed first (what the
  // server sent meanwhile can still be read).
  bool Write(std::string_view bytes);
  // Reads the next response; std::nullopt when the connection closed or failed first.
  // `head_request`: the response has no body whatever its Content-Length says.
  std::optional<RawResponse> ReadResponse(bool head_request = false);
  // Reads until the server closes the connection: true when it did within kPatience. What was
  // read meanwhile is appended to *received when given.
  bool WaitForClose(std::string* received = nullptr);
  // Closes the client side.
  void Close();

 private:
  boost::asio::io_context io_context_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
};

// "GET <path> HTTP/1.1" with Host, nothing else.
std::string GetRequest(std::string_view path);

// VmRSS of this process in KiB, from /proc/self/status; 0 when unreadable.
long ResidentKib();

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_TESTS_PLUGIN_HTTP_HTTP_TEST_UTIL_H_
