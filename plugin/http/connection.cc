#include "plugin/http/connection.h"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "plugin/http/message_codec.h"
#include "plugin/http/request_checks.h"

namespace steroid_advisor::plugin {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using Executor = tcp::socket::executor_type;

// The first read of a request. Beast's parser then reads as much as the buffer has room for,
// so this also sizes its later reads: an 18 KB hook request comes in two reads, not 36.
constexpr std::size_t kFirstReadBytes = 16 * 1024;
// After an answer that closes the connection, what the client still sends is read and dropped
// for at most this long, so that closing does not reset the connection (which could discard the
// answer at the client before it is read).
constexpr std::chrono::milliseconds kLingerTime(2000);
constexpr std::size_t kLingerReadBytes = 16 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

template <typename Stream>
Stream MakeStream(tcp::socket socket, ServerContext& context);
template <>
PlainStream MakeStream(tcp::socket socket, ServerContext&) {
  return PlainStream(std::move(socket));
}
template <>
TlsStream MakeStream(tcp::socket socket, ServerContext& context) {
  return TlsStream(PlainStream(std::move(socket)), *context.tls());
}

bool IsHttpError(const beast::error_code& ec) {
  static const auto& http_category = http::make_error_code(http::error::bad_target).category();
  return ec.category() == http_category;
}

// A Connection is one accepted socket. Every member is touched only on its strand (the socket's
// executor), except claimed_serial_, which `respond` may touch from any thread.
template <typename Stream>
class Connection final : public ConnectionControl,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  Connection(std::shared_ptr<ServerContext> context, std::string remote_address, tcp::socket socket)
      : context_(std::move(context)),
        limits_(context_->limits()),
        remote_address_(std::move(remote_address)),
        executor_(socket.get_executor()),
        stream_(MakeStream<Stream>(std::move(socket), *context_)),
        handler_timer_(executor_) {}

  ~Connection() override {
    context_->Unregister(this);
    if (state_ != State::kClosed) context_->CloseConnection();
  }

  const Executor& executor() const { return executor_; }

  // On the strand.
  void Start() {
    context_->Register(this, this->shared_from_this());
    // Registered first: a Stop() that began earlier is seen here, a later one sees this.
    if (context_->stopping()) return Close();
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      state_ = State::kReading;
      Expire(limits_.header_timeout_ms);
      stream_.async_handshake(net::ssl::stream_base::server, Bind(&Connection::OnHandshake));
    } else {
      WaitForRequest(limits_.header_timeout_ms);
    }
  }

  void CloseWhenIdle() override {
    net::post(executor_, [self = this->shared_from_this()] {
      self->close_when_idle_ = true;
      if (self->state_ == State::kIdle || self->state_ == State::kClosing) self->Close();
    });
  }

  void CloseNow() override {
    net::post(executor_, [self = this->shared_from_this()] { self->Close(); });
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kClosing, kClosed };

  template <typename Method>
  auto Bind(Method method) {
    return beast::bind_front_handler(method, this->shared_from_this());
  }

  void Expire(int64_t timeout_ms) {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(timeout_ms));
  }

  void OnHandshake(beast::error_code ec) {
    if (state_ == State::kClosed) return;
    if (ec) return Close();
    WaitForRequest(limits_.header_timeout_ms);
  }

  // Waits at most `timeout_ms` for the first byte of the next request, unless it is buffered.
  void WaitForRequest(int64_t timeout_ms) {
    if (context_->stopping() || close_when_idle_) return Close();
    state_ = State::kIdle;
    if (buffer_.size() > 0) return ReadHead();
    Expire(timeout_ms);
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes), Bind(&Connection::OnFirstBytes));
  }

  void OnFirstBytes(beast::error_code ec, std::size_t bytes) {
    if (state_ == State::kClosed) return;
    if (ec) return Close();
    buffer_.commit(bytes);
    ReadHead();
  }

  void ReadHead() {
    state_ = State::kReading;
    started_ = std::chrono::steady_clock::now();
    version_ = 11;
    head_request_ = false;
    keep_alive_ = false;
    if (context_->on_response()) {
      log_request_ = HttpRequest{};
      log_request_.remote_address = remote_address_;
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        limits_.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser_->body_limit(limits_.max_body_bytes);
    Expire(limits_.header_timeout_ms);
    http::async_read_header(stream_, buffer_, *parser_, Bind(&Connection::OnHead));
  }

  void OnHead(beast::error_code ec, std::size_t) {
    if (state_ == State::kClosed) return;
    if (ec) return OnReadError(ec);
    const http::request_header<>& head = parser_->get().base();
    if (auto refused = CheckRequestHead(head, limits_)) return SendError(*refused);
    version_ = head.version();
    head_request_ = head.method() == http::verb::head;
    keep_alive_ = parser_->keep_alive();
    request_ = HttpRequest{};
    ReadRequestHead(head, remote_address_, &request_);
    if (context_->on_response()) {
      // What the request log reads: not the headers, which are copied for nothing otherwise.
      log_request_.method = request_.method;
      log_request_.path = request_.path;
    }

    const bool body_pending = !parser_->is_done();
    std::optional<HttpResponse> early;
    try {
      early = context_->handler().CheckHead(request_);
    } catch (...) {
      early = JsonErrorResponse(500, "internal", "internal error");
    }
    if (early.has_value()) {
      if (body_pending) keep_alive_ = false;
      return Send(std::move(*early));
    }
    if (!body_pending) return CallHandler();
    if (version_ == 11 && beast::iequals(head[http::field::expect], "100-continue")) {
      Expire(limits_.write_timeout_ms);
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       Bind(&Connection::OnContinueWritten));
      return;
    }
    ReadBody();
  }

  void OnContinueWritten(beast::error_code ec, std::size_t) {
    if (state_ == State::kClosed) return;
    if (ec) return Close();
    ReadBody();
  }

  void ReadBody() {
    Expire(limits_.body_timeout_ms);
    http::async_read(stream_, buffer_, *parser_, Bind(&Connection::OnBody));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (state_ == State::kClosed) return;
    if (ec) return OnReadError(ec);
    request_.body = std::move(parser_->get().body());
    CallHandler();
  }

  // A peer that went away or timed out gets no answer; a request the parser refused gets one.
  void OnReadError(const beast::error_code& ec) {
    if (!IsHttpError(ec) || ec == http::error::end_of_stream ||
        ec == http::error::partial_message) {
      return Close();
    }
    const std::string_view buffered(static_cast<const char*>(buffer_.data().data()),
                                    buffer_.size());
    const auto target = parser_->get().target();
    SendError(RequestErrorForParseError(ec, std::string_view(target.data(), target.size()),
                                        buffered, limits_));
  }

  void CallHandler() {
    state_ = State::kHandling;
    const std::uint64_t serial = ++serial_;
    auto respond = [self = this->shared_from_this(), serial](HttpResponse response) {
      if (!self->Claim(serial)) return;
      self->context_->PostUnlessFinished(self->executor_,
                                         [self, serial, response = std::move(response)]() mutable {
                                           self->OnRespond(serial, std::move(response));
                                         });
    };
    try {
      context_->handler().Handle(std::move(request_), std::move(respond));
    } catch (...) {
      if (Claim(serial)) OnRespond(serial, JsonErrorResponse(500, "internal", "internal error"));
    }
    // Most answers are given before Handle returns; the timer is only armed for the others
    // (a respond that comes meanwhile cancels it in OnRespond).
    if (claimed_serial_.load() == serial) return;
    handler_timer_.expires_after(std::chrono::milliseconds(limits_.handler_timeout_ms));
    handler_timer_.async_wait([self = this->shared_from_this(), serial](beast::error_code ec) {
      if (!ec) self->OnHandlerTimeout(serial);
    });
  }

  // The first of `respond`, a throw from Handle and the handler timeout to claim a request
  // answers it; the others do nothing. Any thread.
  bool Claim(std::uint64_t serial) {
    std::uint64_t previous = serial - 1;
    return claimed_serial_.compare_exchange_strong(previous, serial);
  }

  void OnRespond(std::uint64_t serial, HttpResponse response) {
    if (state_ != State::kHandling || serial != serial_) return;
    handler_timer_.cancel();
    Send(std::move(response));
  }

  void OnHandlerTimeout(std::uint64_t serial) {
    if (state_ != State::kHandling || serial != serial_ || !Claim(serial)) return;
    keep_alive_ = false;
    Send(JsonErrorResponse(503, "unavailable", "handler did not answer in time"));
  }

  void SendError(const RequestError& error) {
    keep_alive_ = false;
    head_request_ = false;
    Send(JsonErrorResponse(error.status, error.code, error.message));
  }

  void Send(HttpResponse response) {
    state_ = State::kWriting;
    if (context_->stopping() || close_when_idle_) keep_alive_ = false;
    if (const HttpResponseObserver& observer = context_->on_response()) {
      const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - started_);
      try {
        observer(log_request_, response, latency.count());
      } catch (...) {
        // The request log must not decide whether the client gets its answer.
      }
    }
    WriteResponse(std::move(response), version_ == 10 ? 10 : 11, keep_alive_, head_request_,
                  &response_);
    Expire(limits_.write_timeout_ms);
    http::async_write(stream_, response_, Bind(&Connection::OnWritten));
  }

  void OnWritten(beast::error_code ec, std::size_t) {
    if (state_ == State::kClosed) return;
    if (ec) return Close();
    if (!keep_alive_) return CloseGracefully();
    WaitForRequest(limits_.idle_timeout_ms);
  }

  // TLS: close_notify, then close. Plain: stop sending, read and drop what the client still
  // sends (bounded by kLingerTime), then close.
  void CloseGracefully() {
    state_ = State::kClosing;
    if (close_when_idle_) return Close();
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      Expire(limits_.write_timeout_ms);
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->Close(); });
    } else {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      if (ec) return Close();
      buffer_.consume(buffer_.size());
      beast::get_lowest_layer(stream_).expires_after(kLingerTime);
      Drain();
    }
  }

  void Drain() {
    stream_.async_read_some(buffer_.prepare(kLingerReadBytes),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              if (self->state_ == State::kClosed) return;
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    handler_timer_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
    context_->CloseConnection();
  }

  // Declared first so that it is destroyed last: the io_context lives in it.
  const std::shared_ptr<ServerContext> context_;
  const HttpLimits& limits_;
  const std::string remote_address_;
  const Executor executor_;
  Stream stream_;
  beast::flat_buffer buffer_;
  net::steady_timer handler_timer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  HttpRequest request_;
  HttpRequest log_request_;  // method, path and peer of the request in flight, for on_response
  State state_ = State::kReading;
  bool close_when_idle_ = false;
  bool keep_alive_ = false;
  bool head_request_ = false;
  unsigned version_ = 11;
  std::uint64_t serial_ = 0;
  std::atomic<std::uint64_t> claimed_serial_{0};
  std::chrono::steady_clock::time_point started_;
};

template <typename Stream>
void Launch(std::shared_ptr<ServerContext> context, std::string remote_address,
            tcp::socket socket) {
  auto connection = std::make_shared<Connection<Stream>>(
      std::move(context), std::move(remote_address), std::move(socket));
  net::dispatch(connection->executor(), [connection] { connection->Start(); });
}

}  // namespace

void StartConnection(std::shared_ptr<ServerContext> context, tcp::socket socket) {
  beast::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  std::string remote_address = ec ? std::string() : peer.address().to_string();
  socket.set_option(tcp::no_delay(true), ec);
  if (context->tls() != nullptr) {
    Launch<TlsStream>(std::move(context), std::move(remote_address), std::move(socket));
  } else {
    Launch<PlainStream>(std::move(context), std::move(remote_address), std::move(socket));
  }
}

}  // namespace steroid_advisor::plugin
