#include "tests/plugin/http/http_test_util.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <fstream>
#include <stdexcept>
#include <utility>

namespace steroid_advisor::plugin {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpResponse TextResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers["Content-Type"] = "text/plain";
  response.body = std::move(body);
  return response;
}

}  // namespace

HttpLimits ShortTimeouts() {
  HttpLimits limits;
  limits.header_timeout_ms = 200;
  limits.body_timeout_ms = 200;
  limits.idle_timeout_ms = 200;
  limits.write_timeout_ms = 200;
  limits.handler_timeout_ms = 200;
  limits.stop_grace_ms = 200;
  return limits;
}

TestHandler::~TestHandler() {
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (std::thread& worker : workers) worker.join();
}

std::optional<HttpResponse> TestHandler::CheckHead(HttpRequest& head) {
  ++checked_;
  if (head.path == "/check-throw") throw std::runtime_error("check-head failed");
  if (head.path == "/reject-head") return TextResponse(401, "no");
  return std::nullopt;
}

void TestHandler::Handle(HttpRequest request, std::function<void(HttpResponse)> respond) {
  ++handled_;
  if (request.path == "/echo") {
    HttpResponse response = TextResponse(200, request.body);
    response.headers["X-Method"] = request.method;
    response.headers["X-Path"] = request.path;
    response.headers["X-Target"] = request.target;
    response.headers["X-Body-Bytes"] = std::to_string(request.body.size());
    respond(std::move(response));
  } else if (request.path == "/later") {
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([respond = std::move(respond)] {
      // A delay so that Handle has long returned; the test does not measure it.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      respond(TextResponse(200, "later"));
    });
  } else if (request.path == "/throw") {
    throw std::runtime_error("handler failed");
  } else if (request.path == "/hold") {
    std::lock_guard<std::mutex> lock(mu_);
    held_.push_back(std::move(respond));
    ++held_total_;
    held_changed_.notify_all();
  } else {
    respond(TextResponse(404, "not found"));
  }
}

bool TestHandler::WaitForHeld(int count) {
  std::unique_lock<std::mutex> lock(mu_);
  return held_changed_.wait_for(lock, kPatience, [&] { return held_total_ >= count; });
}

int TestHandler::RespondToHeld() {
  std::vector<std::function<void(HttpResponse)>> held;
  {
    std::lock_guard<std::mutex> lock(mu_);
    held.swap(held_);
  }
  for (auto& respond : held) respond(TextResponse(200, "held"));
  return static_cast<int>(held.size());
}

void TestHandler::DropHeld() {
  std::lock_guard<std::mutex> lock(mu_);
  held_.clear();
}

std::unique_ptr<HttpServer> StartServer(HttpHandler* handler, const HttpLimits& limits,
                                        HttpServerOptions options) {
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.limits = limits;
  auto server = std::make_unique<HttpServer>(std::move(options), handler);
  Status started = server->Start();
  if (!started.ok()) {
    ADD_FAILURE() << started.ToString();
    return nullptr;
  }
  return server;
}

RawClient::RawClient(int port) : stream_(io_context_) {
  beast::error_code ec;
  stream_.socket().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  connected_ = !ec;
}

bool RawClient::Write(std::string_view bytes) {
  beast::error_code result = net::error::would_block;
  stream_.expires_after(kPatience);
  net::async_write(stream_, net::buffer(bytes.data(), bytes.size()),
                   [&](beast::error_code ec, std::size_t) { result = ec; });
  io_context_.restart();
  io_context_.run();
  return !result;
}

std::optional<RawResponse> RawClient::ReadResponse(bool head_request) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(head_request);
  beast::error_code result = net::error::would_block;
  stream_.expires_after(kPatience);
  http::async_read(stream_, buffer_, parser,
                   [&](beast::error_code ec, std::size_t) { result = ec; });
  io_context_.restart();
  io_context_.run();
  if (result) return std::nullopt;
  return parser.release();
}

bool RawClient::WaitForClose(std::string* received) {
  if (received != nullptr) {
    received->append(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  }
  buffer_.consume(buffer_.size());
  stream_.expires_after(kPatience);
  beast::error_code result;
  std::function<void()> read_more = [&] {
    stream_.async_read_some(buffer_.prepare(64 * 1024), [&](beast::error_code ec, std::size_t n) {
      buffer_.commit(n);
      if (received != nullptr) {
        received->append(static_cast<const char*>(buffer_.data().data()), buffer_.size());
      }
      buffer_.consume(buffer_.size());
      if (ec) {
        result = ec;
        return;
      }
      read_more();
    });
  };
  read_more();
  io_context_.restart();
  io_context_.run();
  return result == net::error::eof || result == net::error::connection_reset;
}

void RawClient::Close() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

std::string GetRequest(std::string_view path) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

long ResidentKib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      status >> kib;
      return kib;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

}  // namespace steroid_advisor::plugin
