// JwksCache against a real JWK Set server on loopback (a cpprestsdk http_listener in the test):
// keys arrive in the background, a rotated key is picked up on the next unknown kid (rate-
// limited), a failing server leaves the cached set in use, Cache-Control max-age is honoured
// within bounds, and a set streamed without Content-Length is cut at the body cap (a raw socket
// server in the test). The cache's clock is injected, so rate limits and max-age need no sleeps.
#include "plugin/auth/jwks_cache.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "cpprest/http_listener.h"
#include "plugin/auth/jwt.h"
#include "tests/plugin/auth/jwt_test_util.h"
#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using jwt_testing::kAudience;
using jwt_testing::kIssuer;
using jwt_testing::kNow;
using jwt_testing::TestKey;

// Serves one JWK Set at /jwks.json, as the test sets it; counts the requests.
class JwksServer {
 public:
  JwksServer()
      : url_("http://127.0.0.1:" + std::to_string(FreeLoopbackPort()) + "/jwks.json"),
        listener_(url_) {
    listener_.support(web::http::methods::GET, [this](web::http::http_request request) {
      ++requests_;
      std::lock_guard<std::mutex> lock(mu_);
      web::http::http_response response(status_);
      response.headers().add(web::http::header_names::cache_control, cache_control_);
      response.set_body(body_, "application/json");
      request.reply(response).wait();
    });
    listener_.open().wait();
  }
  ~JwksServer() { listener_.close().wait(); }

  const std::string& url() const { return url_; }
  void Serve(const std::string& body, int status = 200,
             const std::string& cache_control = "max-age=600") {
    std::lock_guard<std::mutex> lock(mu_);
    body_ = body;
    status_ = static_cast<web::http::status_code>(status);
    cache_control_ = cache_control;
  }
  int requests() const { return requests_; }

 private:
  std::string url_;
  web::http::experimental::listener::http_listener listener_;
  std::atomic<int> requests_{0};
  std::mutex mu_;
  std::string body_ = "{}";                    // guarded by mu_
  web::http::status_code status_ = 200;        // guarded by mu_
  std::string cache_control_ = "max-age=600";  // guarded by mu_
};

// Answers one GET with a chunked body that never ends on its own: chunks of 16 KiB until
// `stream_bytes` are sent, the client closes, or a send stalls for 2 s. Reports what it sent.
class EndlessJwksServer {
 public:
  explicit EndlessJwksServer(size_t stream_bytes) : stream_bytes_(stream_bytes) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        listen(listen_fd_, 4) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen: " << std::strerror(errno);
      return;
    }
    url_ = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/jwks.json";
    thread_ = std::thread([this] { ServeOne(); });
  }
  ~EndlessJwksServer() {
    if (thread_.joinable()) thread_.join();
    close(listen_fd_);
  }

  const std::string& url() const { return url_; }
  // Waits for the answer to end; the bytes of body sent, and whether the client closed first.
  size_t WaitForBodyBytes() {
    if (thread_.joinable()) thread_.join();
    return body_bytes_;
  }
  bool client_closed() const { return client_closed_; }

 private:
  void ServeOne() {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (poll(&waiting, 1, 10000) != 1) return;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    timeval stall{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &stall, sizeof(stall));
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &stall, sizeof(stall));
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 16384) {
      ssize_t got = recv(fd, buffer, sizeof(buffer), 0);
      if (got <= 0) break;
      head.append(buffer, static_cast<size_t>(got));
    }
    const std::string chunk = "4000\r\n" + std::string(16384, ' ') + "\r\n";
    bool ok = Send(fd,
                   "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"k\"\r\n");
    while (ok && body_bytes_ < stream_bytes_) {
      ok = Send(fd, chunk);
      if (ok) body_bytes_ += 16384;
    }
    client_closed_ = !ok && (errno == EPIPE || errno == ECONNRESET);
    close(fd);
  }

  static bool Send(int fd, const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  const size_t stream_bytes_;
  int listen_fd_ = -1;
  std::string url_;
  std::thread thread_;
  size_t body_bytes_ = 0;       // written by the server thread, read after join
  bool client_closed_ = false;  // likewise
};

std::string SetOf(const TestKey& key) { return "{\"keys\":[" + key.JwkJson() + "]}"; }

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCacheTest() {
    JwksCacheOptions options;
    options.now_seconds = [this] { return clock_.load(); };
    cache_ = std::make_unique<JwksCache>(options);
    trusted_ = {TrustedIssuer{kIssuer, {}, {server_.url()}}};
  }

  // A fresh token (new jti) signed by `key` naming the server's URL as its jku.
  std::string Token(const TestKey& key) {
    static int counter = 0;
    std::string claims = std::string("{\"iss\":\"") + kIssuer + "\",\"aud\":\"" + kAudience +
                         "\",\"exp\":" + std::to_string(kNow + 300) +
                         ",\"iat\":" + std::to_string(kNow) + ",\"jti\":\"j" +
                         std::to_string(++counter) + "\"}";
    return key.Sign("{\"alg\":\"" + key_alg_ + "\",\"kid\":\"" + key.kid() + "\",\"jku\":\"" +
                        server_.url() + "\"}",
                    claims);
  }

  StatusOr<JwtClaims> Verify(const std::string& token) {
    JwtCheckOptions options = jwt_testing::Options();
    options.jwks = cache_.get();
    return VerifyJwt(token, trusted_, options);
  }

  std::string key_alg_ = "ES384";
  std::atomic<int64_t> clock_{1000};
  JwksServer server_;
  std::unique_ptr<JwksCache> cache_;
  std::vector<TrustedIssuer> trusted_;
};

TEST_F(JwksCacheTest, KeysArriveInTheBackgroundAndRotateOnAnUnknownKid) {
  TestKey first("ES384", "first");
  TestKey second("ES384", "second");
  server_.Serve(SetOf(first));

  // Nothing cached: 401 at once, never a wait on the network; the fetch runs meanwhile.
  StatusOr<JwtClaims> early = Verify(Token(first));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().message(), "jwt: key not yet available, retry shortly");
  cache_->WaitForFetches();
  EXPECT_TRUE(Verify(Token(first)).ok());
  EXPECT_EQ(server_.requests(), 1);

  // The issuer rotates. Within the rate limit the new kid is not fetched for...
  server_.Serve(SetOf(second));
  EXPECT_FALSE(Verify(Token(second)).ok());
  cache_->WaitForFetches();
  EXPECT_EQ(server_.requests(), 1);
  // ...once it has passed, the unknown kid triggers one refetch, and the next call is served.
  clock_ += 31;
  StatusOr<JwtClaims> rotating = Verify(Token(second));
  ASSERT_FALSE(rotating.ok());
  EXPECT_EQ(rotating.status().message(), "jwt: key not yet available, retry shortly");
  // More tokens meanwhile (refused or, once the set is in, served) start no second fetch.
  for (int i = 0; i < 5; ++i) (void)Verify(Token(second));
  cache_->WaitForFetches();
  EXPECT_EQ(server_.requests(), 2) << "one fetch however many tokens asked";
  EXPECT_TRUE(Verify(Token(second)).ok());
  // The retired key is gone with its set.
  EXPECT_FALSE(Verify(Token(first)).ok());
}

TEST_F(JwksCacheTest, AFailingServerLeavesTheCachedSetInUse) {
  TestKey key("ES384", "k");
  server_.Serve(SetOf(key), 200, "max-age=120");
  cache_->Prefetch(trusted_);
  cache_->WaitForFetches();
  ASSERT_TRUE(Verify(Token(key)).ok());

  for (const auto& [status, body] : std::vector<std::pair<int, std::string>>{
           {500, SetOf(key)}, {200, "not json"}, {200, R"({"keys":[],"keys":[]})"}}) {
    SCOPED_TRACE(body);
    server_.Serve(body, status);
    clock_ += 121;  // past max-age: the next use refetches, and keeps the old set meanwhile
    EXPECT_TRUE(Verify(Token(key)).ok());
    cache_->WaitForFetches();
    EXPECT_TRUE(Verify(Token(key)).ok());
  }
  EXPECT_EQ(server_.requests(), 4);
}

TEST_F(JwksCacheTest, MaxAgeIsClampedToTheConfiguredRange) {
  TestKey key("ES384", "k");
  server_.Serve(SetOf(key), 200, "max-age=0");
  cache_->Prefetch(trusted_);
  cache_->WaitForFetches();
  ASSERT_TRUE(Verify(Token(key)).ok());
  // max-age=0 would refetch on every call; the floor (60 s) holds it.
  clock_ += 59;
  EXPECT_TRUE(Verify(Token(key)).ok());
  cache_->WaitForFetches();
  EXPECT_EQ(server_.requests(), 1);
  clock_ += 2;
  EXPECT_TRUE(Verify(Token(key)).ok());
  cache_->WaitForFetches();
  EXPECT_EQ(server_.requests(), 2);
}

TEST(JwksCacheLimits, ASetStreamedWithoutContentLengthIsCutAtTheCap) {
  // 256 MiB on offer; the cache must stop near its 64 KiB cap and close the connection, not
  // read the stream (into memory) until its timeout.
  EndlessJwksServer server(256u << 20);
  JwksCacheOptions options;
  options.max_body_bytes = 64 * 1024;
  options.timeout_ms = 30000;
  std::atomic<int64_t> clock{1000};
  options.now_seconds = [&clock] { return clock.load(); };
  JwksCache cache(options);
  cache.Prefetch({TrustedIssuer{kIssuer, {}, {server.url()}}});
  cache.WaitForFetches();

  EXPECT_EQ(cache.Keys(server.url()), nullptr);
  size_t sent = server.WaitForBodyBytes();
  EXPECT_TRUE(server.client_closed()) << "the cache should close the connection at the cap";
  // What the socket buffers hold beyond the cap, not the stream: loopback buffers are a few MiB.
  EXPECT_LT(sent, 32u << 20);
}

TEST(CacheControlMaxAge, ReadsMaxAgeAndNoCache) {
  EXPECT_EQ(CacheControlMaxAge("public, max-age=300"), 300);
  EXPECT_EQ(CacheControlMaxAge("max-age=300, no-cache"), 0);
  EXPECT_EQ(CacheControlMaxAge("no-store"), 0);
  EXPECT_EQ(CacheControlMaxAge("max-age=-5"), std::nullopt);
  EXPECT_EQ(CacheControlMaxAge("max-age=99999999999999999999"), std::nullopt);
  EXPECT_EQ(CacheControlMaxAge("private"), std::nullopt);
  EXPECT_EQ(CacheControlMaxAge(""), std::nullopt);
}

}  // namespace
}  // namespace steroid_advisor::plugin
