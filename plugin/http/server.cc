#include "plugin/http/server.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <cerrno>
#include <chrono>
#include <utility>

#include "plugin/http/connection.h"
#include "plugin/http/server_context.h"

namespace steroid_advisor::plugin {

int ServerThreads(int requested) {
  return requested > 0 ? requested
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// When accept fails for want of descriptors or memory, retrying at once would spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay(100);

bool IsOutOfResources(const boost::system::error_code& ec) {
  return ec == net::error::no_descriptors || ec == net::error::no_buffer_space ||
         ec == net::error::no_memory ||
         (ec.category() == boost::system::system_category() && ec.value() == ENFILE);
}

void RunUntilStopped(net::io_context& io_context) {
  for (;;) {
    try {
      io_context.run();
      return;
    } catch (...) {
      // A handler threw (out of memory): the connection it served is lost, the server is not.
    }
  }
}

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, HttpHandler* handler)
    : options_(std::move(options)),
      context_(std::make_shared<ServerContext>(options_.limits, handler, options_.on_response,
                                               options_.tls)),
      acceptor_(net::make_strand(context_->io_context())),
      accept_retry_timer_(acceptor_.get_executor()) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  if (started_ || stopped_) return FailedPreconditionError("http server: already started");
  if (options_.port < 0 || options_.port > 65535) {
    return InvalidArgumentError("http server: port out of range");
  }
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  boost::system::error_code ec;
  tcp::resolver resolver(context_->io_context());
  const auto endpoints =
      resolver.resolve(options_.host, std::to_string(options_.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) return UnavailableError("http server: cannot resolve " + where);
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return UnavailableError("http server: cannot listen on " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint(ec).port();
  started_ = true;

  Accept();
  const int threads = ServerThreads(options_.threads);
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([context = context_] { RunUntilStopped(context->io_context()); });
  }
  return OkStatus();
}

std::string HttpServer::base_url() const {
  const bool ipv6 = options_.host.find(':') != std::string::npos;
  return std::string(options_.tls ? "https://" : "http://") + (ipv6 ? "[" : "") + options_.host +
         (ipv6 ? "]" : "") + ":" + std::to_string(port_);
}

void HttpServer::Accept() {
  acceptor_.async_accept(net::make_strand(context_->io_context()),
                         [this](const boost::system::error_code& ec, tcp::socket socket) {
                           OnAccept(ec, std::move(socket));
                         });
}

void HttpServer::OnAccept(const boost::system::error_code& ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    if (!IsOutOfResources(ec)) return Accept();
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([this](const boost::system::error_code& wait_ec) {
      if (!wait_ec && acceptor_.is_open()) Accept();
    });
    return;
  }
  if (context_->TryOpenConnection()) {
    StartConnection(context_, std::move(socket));
  } else {
    boost::system::error_code ignored;
    socket.close(ignored);
  }
  Accept();
}

void HttpServer::Stop() {
  if (!started_ || stopped_) {
    stopped_ = true;
    return;
  }
  stopped_ = true;
  context_->BeginStop();
  net::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_timer_.cancel();
  });
  for (const auto& connection : context_->Connections()) connection->CloseWhenIdle();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.limits.stop_grace_ms);
  if (!context_->WaitForNoConnections(deadline)) {
    for (const auto& connection : context_->Connections()) connection->CloseNow();
  }
  // With the acceptor and every connection closed the io_context runs out of work.
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  context_->Finish();
}

}  // namespace steroid_advisor::plugin
