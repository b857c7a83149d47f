// HttpServer under hostile or broken clients: size caps, timeouts, the connection cap and the
// memory a header flood can take (issue 11: cpprestsdk's listener held all of it forever).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>
#include <string>
#include <vector>

#include "plugin/http/server.h"
#include "tests/plugin/http/http_test_util.h"

namespace steroid_advisor::plugin {
namespace {

// Sends `request`, expects one answer with `status` and then the connection closed.
void ExpectAnswerThenClose(int port, const std::string& request, int status) {
  RawClient client(port);
  ASSERT_TRUE(client.connected());
  client.Write(request);  // may fail: the server can answer and stop reading first
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value()) << "no response";
  EXPECT_EQ(response->result_int(), status);
  EXPECT_FALSE(response->keep_alive());
  EXPECT_EQ((*response)[boost::beast::http::field::content_type], "application/json");
  EXPECT_TRUE(client.WaitForClose());
}

// Sends `bytes` and expects the connection closed without any response.
void ExpectClosedUnanswered(int port, const std::string& bytes) {
  RawClient client(port);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Write(bytes));
  std::string received;
  EXPECT_TRUE(client.WaitForClose(&received));
  EXPECT_EQ(received, "");
}

TEST(HttpServerLimits, Answers431ToAOneMegabyteHeader) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  ExpectAnswerThenClose(
      server->port(),
      "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n", 431);
  EXPECT_EQ(handler.checked(), 0);
}

TEST(HttpServerLimits, Answers431ToTenThousandHeaders) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  std::string request = "GET / HTTP/1.1\r\nHost: t\r\n";
  for (int i = 0; i < 10'000; ++i) request += "X-H" + std::to_string(i) + ": v\r\n";
  ExpectAnswerThenClose(server->port(), request + "\r\n", 431);
}

TEST(HttpServerLimits, Answers414ToAnEightMegabyteUrl) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  ExpectAnswerThenClose(server->port(),
                        "GET /" + std::string(8 << 20, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n", 414);
}

TEST(HttpServerLimits, Answers414ToAUrlOverTheCapThatFitsInTheHeaderCap) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  ExpectAnswerThenClose(server->port(),
                        "GET /" + std::string(9 * 1024, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n", 414);
}

TEST(HttpServerLimits, Answers413FromContentLengthWithoutReadingTheBody) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  // No body byte is sent: the answer comes from the head alone.
  ExpectAnswerThenClose(server->port(),
                        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n", 413);
  EXPECT_EQ(handler.checked(), 0);
}

TEST(HttpServerLimits, Answers413WhenChunksAddUpPastTheCap) {
  TestHandler handler;
  HttpLimits limits;
  limits.max_body_bytes = 1000;
  auto server = StartServer(&handler, limits);
  ASSERT_NE(server, nullptr);
  const std::string chunk(600, 'a');
  ExpectAnswerThenClose(server->port(),
                        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "258\r\n" +
                            chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n",
                        413);
  EXPECT_EQ(handler.handled(), 0);
}

TEST(HttpServerLimits, AcceptsABodyExactlyAtTheCap) {
  TestHandler handler;
  HttpLimits limits;
  limits.max_body_bytes = 1000;
  auto server = StartServer(&handler, limits);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" +
                           std::string(1000, 'b')));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ((*response)["X-Body-Bytes"], "1000");
}

TEST(HttpServerLimits, ClosesAConnectionWhoseHeadNeverEnds) {
  TestHandler handler;
  auto server = StartServer(&handler, ShortTimeouts());
  ASSERT_NE(server, nullptr);
  ExpectClosedUnanswered(server->port(), "GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ");
}

TEST(HttpServerLimits, ClosesANewConnectionThatSendsNothing) {
  TestHandler handler;
  auto server = StartServer(&handler, ShortTimeouts());
  ASSERT_NE(server, nullptr);
  ExpectClosedUnanswered(server->port(), "");
}

TEST(HttpServerLimits, ClosesAConnectionWhoseBodyStalls) {
  TestHandler handler;
  auto server = StartServer(&handler, ShortTimeouts());
  ASSERT_NE(server, nullptr);
  ExpectClosedUnanswered(server->port(),
                         "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly ten..");
  EXPECT_EQ(handler.handled(), 0);
}

TEST(HttpServerLimits, ClosesATwentyMegabyteContentLengthThatSendsNoBody) {
  TestHandler handler;
  HttpLimits limits = ShortTimeouts();
  limits.max_body_bytes = 32 << 20;
  auto server = StartServer(&handler, limits);
  ASSERT_NE(server, nullptr);
  ExpectClosedUnanswered(server->port(),
                         "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n");
}

TEST(HttpServerLimits, ClosesAnIdleKeepAliveConnection) {
  TestHandler handler;
  auto server = StartServer(&handler, ShortTimeouts());
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write(GetRequest("/echo")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_TRUE(response->keep_alive());
  EXPECT_TRUE(client.WaitForClose());
}

TEST(HttpServerLimits, ClosesConnectionsOverTheCap) {
  TestHandler handler;
  HttpLimits limits;
  limits.max_connections = 2;
  auto server = StartServer(&handler, limits);
  ASSERT_NE(server, nullptr);
  std::vector<std::unique_ptr<RawClient>> open;
  for (int i = 0; i < 2; ++i) {
    open.push_back(std::make_unique<RawClient>(server->port()));
    ASSERT_TRUE(open.back()->Write(GetRequest("/echo")));
    ASSERT_TRUE(open.back()->ReadResponse().has_value());
  }
  RawClient over(server->port());
  std::string received;
  EXPECT_TRUE(over.WaitForClose(&received));
  EXPECT_EQ(received, "");
  // The two within the cap still work.
  for (auto& client : open) {
    ASSERT_TRUE(client->Write(GetRequest("/echo")));
    EXPECT_TRUE(client->ReadResponse().has_value());
  }
  // Once one goes, its slot is given to a new connection (the server sees the close
  // asynchronously, so new connections are tried until one is served).
  open.front()->Close();
  bool served = false;
  for (auto give_up = std::chrono::steady_clock::now() + kPatience;
       !served && std::chrono::steady_clock::now() < give_up;) {
    RawClient next(server->port());
    served = next.Write(GetRequest("/echo")) && next.ReadResponse().has_value();
  }
  EXPECT_TRUE(served);
}

TEST(HttpServerLimits, MemoryStaysBoundedUnderAnEightMegabyteHeaderFlood) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  constexpr int kConnections = 50;
  const std::string flood = "GET / HTTP/1.1\r\nHost: t\r\nX-Flood: " + std::string(8 << 20, 'a');
  const long before_kib = ResidentKib();

  boost::asio::io_context io_context;
  std::vector<std::unique_ptr<boost::beast::tcp_stream>> streams;
  int finished = 0;
  for (int i = 0; i < kConnections; ++i) {
    streams.push_back(std::make_unique<boost::beast::tcp_stream>(io_context));
    boost::beast::error_code ec;
    streams.back()->socket().connect(
        {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server->port())},
        ec);
    ASSERT_FALSE(ec);
    streams.back()->expires_after(kPatience);
    // The header never ends; the write stops when the server has read it all or closed.
    boost::asio::async_write(*streams.back(), boost::asio::buffer(flood),
                             [&finished](boost::beast::error_code, std::size_t) { ++finished; });
  }
  io_context.run();
  const long after_kib = ResidentKib();
  EXPECT_EQ(finished, kConnections);
  // 50 x 8 MiB = 400 MiB sent; a server that buffered headers would hold most of it.
  EXPECT_LT(after_kib - before_kib, 64 * 1024)
      << "before " << before_kib << " KiB, after " << after_kib << " KiB";
}

}  // namespace
}  // namespace steroid_advisor::plugin
