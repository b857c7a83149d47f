// bare_beast_listener: the Boost.Beast throughput ceiling for bench/load.sh, the baseline that
// plugin/http's HttpServer is measured against (issue 11: at least half its requests/s for the
// real service). A minimal Beast server: one io_context, a strand per connection, keep-alive,
// each request read whole (as any real handler must) and answered `{"cards":[]}` for POST and
// GET, 405 otherwise. No limits beyond Beast's defaults, no timeouts, no TLS.
//   bare_beast_listener --port N [--host H] [--threads N]   (threads default 2)
// Prints "bare_beast_listener listening on http://H:N" once ready; SIGINT/SIGTERM stop it.
// Thread-safety: each connection runs on its own strand; the handler keeps no state.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : stream_(std::move(socket)) {
    // As plugin/http does: without it a small answer can wait for a delayed ACK.
    beast::error_code ignored;
    stream_.socket().set_option(tcp::no_delay(true), ignored);
    // Beast reads into what the buffer has room for (at least 512 bytes): an empty buffer would
    // read an 18 KB hook request 512 bytes at a time, a third of the speed of 16 KiB reads.
    buffer_.reserve(16 * 1024);
  }

  void Read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

 private:
  void OnRead(beast::error_code ec, std::size_t) {
    if (ec) return Close();
    const bool answered =
        request_.method() == http::verb::post || request_.method() == http::verb::get;
    response_ = {};
    response_.version(request_.version());
    response_.result(answered ? http::status::ok : http::status::method_not_allowed);
    if (answered) {
      response_.set(http::field::content_type, "application/json");
      response_.body() = R"({"cards":[]})";
    }
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    if (ec || !response_.keep_alive()) return Close();
    Read();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

void Accept(tcp::acceptor& acceptor, net::io_context& io_context) {
  acceptor.async_accept(net::make_strand(io_context),
                        [&acceptor, &io_context](beast::error_code ec, tcp::socket socket) {
                          if (!ec) std::make_shared<Session>(std::move(socket))->Read();
                          if (acceptor.is_open()) Accept(acceptor, io_context);
                        });
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--port") port = std::atoi(argv[i + 1]);
    if (flag == "--host") host = argv[i + 1];
    if (flag == "--threads") threads = std::atoi(argv[i + 1]);
  }
  if (port <= 0 || port > 65535 || threads <= 0) {
    std::cerr << "usage: bare_beast_listener --port N [--host H] [--threads N]\n";
    return 2;
  }
  try {
    net::io_context io_context(threads);
    tcp::endpoint endpoint(net::ip::make_address(host), static_cast<unsigned short>(port));
    tcp::acceptor acceptor(net::make_strand(io_context));
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
    Accept(acceptor, io_context);

    net::signal_set signals(io_context, SIGINT, SIGTERM);
    signals.async_wait([&io_context](beast::error_code, int) { io_context.stop(); });

    std::cout << "bare_beast_listener listening on http://" << host << ":" << port << std::endl;
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&io_context] { io_context.run(); });
    io_context.run();
    for (std::thread& thread : pool) thread.join();
  } catch (const std::exception& e) {
    std::cerr << "bare_beast_listener: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
