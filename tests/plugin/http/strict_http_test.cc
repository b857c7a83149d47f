// HttpServer refuses loose or malformed HTTP/1.1 (issue 11: cpprestsdk's listener served
// "get", HTTP/9.9 and requests without Host, and aborted on a chunk size of -1), answering with a
// JSON error that never echoes the request, then closing.
#include <gtest/gtest.h>

#include <string>

#include "plugin/http/server.h"
#include "tests/plugin/http/http_test_util.h"

namespace steroid_advisor::plugin {
namespace {

struct RefusalCase {
  const char* name;
  std::string request;
  int status;
};

const char kChunkedHead[] = "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";

std::vector<RefusalCase> RefusalCases() {
  const std::string chunked = kChunkedHead;
  return {
      {"negative chunk size", chunked + "-1\r\nabc\r\n0\r\n\r\n", 400},
      {"chunk size -2", chunked + "-2\r\n", 400},
      {"chunk size with leading space", chunked + " -1\r\n", 400},
      {"chunk size of 25 hex digits", chunked + std::string(25, 'F') + "\r\n", 400},
      // 2^64-1 fits in 64 bits, so it is refused as over the body cap rather than malformed.
      {"chunk size 2^64-1", chunked + "FFFFFFFFFFFFFFFF\r\n", 413},
      {"non-hex chunk size", chunked + "zz\r\n", 400},
      {"content-length with chunked",
       "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
       "3\r\nabc\r\n0\r\n\r\n",
       400},
      {"chunked with content-length",
       "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
       400},
      {"content-length with gzip",
       "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc",
       400},
      {"transfer-encoding gzip",
       "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
      {"transfer-encoding gzip, chunked",
       "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501},
      {"two content-lengths that differ",
       "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400},
      {"negative content-length", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
       400},
      {"lower-case method", "get /echo HTTP/1.1\r\nHost: t\r\n\r\n", 501},
      {"unknown method", "BREW /echo HTTP/1.1\r\nHost: t\r\n\r\n", 501},
      {"TRACE", "TRACE /echo HTTP/1.1\r\nHost: t\r\n\r\n", 501},
      {"HTTP/9.9", "GET /echo HTTP/9.9\r\nHost: t\r\n\r\n", 505},
      {"HTTP/2.0", "GET /echo HTTP/2.0\r\nHost: t\r\n\r\n", 505},
      {"HTTP/1.1 without Host", "GET /echo HTTP/1.1\r\n\r\n", 400},
      {"two Host headers", "GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"absolute-form target", "GET http://t/echo HTTP/1.1\r\nHost: t\r\n\r\n", 400},
      {"target with a space", "GET /ec ho HTTP/1.1\r\nHost: t\r\n\r\n", 400},
      {"header without colon", "GET /echo HTTP/1.1\r\nHost: t\r\nBroken\r\n\r\n", 400},
  };
}

TEST(StrictHttp, RefusesMalformedAndUnsupportedRequestsWithJsonThenCloses) {
  TestHandler handler;
  auto server = StartServer(&handler, ShortTimeouts());
  ASSERT_NE(server, nullptr);
  for (const RefusalCase& c : RefusalCases()) {
    SCOPED_TRACE(c.name);
    RawClient client(server->port());
    ASSERT_TRUE(client.connected());
    client.Write(c.request);
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result_int(), c.status);
    EXPECT_EQ((*response)[boost::beast::http::field::content_type], "application/json");
    EXPECT_EQ(response->body().rfind(R"({"error":{"code":")", 0), 0u) << response->body();
    EXPECT_FALSE(response->keep_alive());
    EXPECT_TRUE(client.WaitForClose());
  }
  EXPECT_EQ(handler.handled(), 0);
}

TEST(StrictHttp, ErrorBodiesNeverEchoTheRequest) {
  TestHandler handler;
  auto server = StartServer(&handler, ShortTimeouts());
  ASSERT_NE(server, nullptr);
  const std::string secret = "Bearer-SECRET-token-4711";
  const std::vector<std::string> requests = {
      "GET /" + secret + " HTTP/9.9\r\nHost: t\r\n\r\n",
      "get /" + secret + " HTTP/1.1\r\nHost: t\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: t\r\nAuthorization: " + secret +
          "\r\nTransfer-Encoding: " + secret + "\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: t\r\nX-" + secret + ": " + std::string(20000, 'a') + "\r\n\r\n",
      std::string(kChunkedHead) + secret + "\r\n",
      "<script>" + secret + "</script>\r\n\r\n",
  };
  for (const std::string& request : requests) {
    RawClient client(server->port());
    client.Write(request);
    std::string received;
    EXPECT_TRUE(client.WaitForClose(&received));
    EXPECT_NE(received, "");
    EXPECT_EQ(received.find("SECRET"), std::string::npos) << received;
    EXPECT_EQ(received.find("script"), std::string::npos) << received;
  }
}

TEST(StrictHttp, ServesHttp10WithoutHostAndClosesAfterIt) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write("GET /echo HTTP/1.0\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_EQ(response->version(), 10u);
  EXPECT_TRUE(client.WaitForClose());
}

TEST(StrictHttp, KeepsHttp10AliveWhenAsked) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client.Write("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_TRUE(response->keep_alive());
  }
}

TEST(StrictHttp, AcceptsOptionsAsterisk) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 404);  // the test handler knows no "*"
}

TEST(StrictHttp, ClosesAfterAnswerWhenTheClientAsksForIt) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(client.WaitForClose());
}

}  // namespace
}  // namespace steroid_advisor::plugin
