// HttpServer with a well-behaved client: keep-alive, pipelining, the handler contract
// (CheckHead, async respond, throws, timeouts) and graceful Stop.
#include "plugin/http/server.h"

#include <gtest/gtest.h>

#include <future>
#include <string>

#include "tests/plugin/http/http_test_util.h"

namespace steroid_advisor::plugin {
namespace {

TEST(HttpServer, AnswersAGetAndKeepsTheConnectionOpen) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Write(GetRequest("/echo?x=1")));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result_int(), 200);
    EXPECT_EQ((*response)["X-Method"], "GET");
    EXPECT_EQ((*response)["X-Path"], "/echo");
    EXPECT_EQ((*response)["X-Target"], "/echo?x=1");
    EXPECT_EQ((*response)[boost::beast::http::field::content_length], "0");
    EXPECT_TRUE(response->keep_alive());
    EXPECT_EQ(response->count(boost::beast::http::field::server), 0u);
  }
}

TEST(HttpServer, BaseUrlNamesTheBoundPort) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  EXPECT_NE(server->port(), 0);
  EXPECT_EQ(server->base_url(), "http://127.0.0.1:" + std::to_string(server->port()));
}

TEST(HttpServer, StartFailsWithUnavailableWhenThePortIsTaken) {
  TestHandler handler;
  auto first = StartServer(&handler);
  ASSERT_NE(first, nullptr);
  HttpServerOptions options;
  options.port = first->port();
  HttpServer second(options, &handler);
  Status started = second.Start();
  EXPECT_EQ(started.code(), StatusCode::kUnavailable);
}

TEST(HttpServer, ReadsAContentLengthBody) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(
      client.Write("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_EQ(response->body(), "hello world");
}

TEST(HttpServer, ReadsAChunkedBody) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(
      client.Write("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_EQ(response->body(), "hello world");
}

TEST(HttpServer, AnswersExpectContinueBeforeReadingTheBody) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = client.ReadResponse();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->result_int(), 100);
  ASSERT_TRUE(client.Write("ok"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body(), "ok");
}

TEST(HttpServer, AnswersHeadWithTheLengthButNoBody) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write("HEAD /nowhere HTTP/1.1\r\nHost: t\r\n\r\n" + GetRequest("/echo")));
  auto head = client.ReadResponse(/*head_request=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->result_int(), 404);
  EXPECT_EQ((*head)[boost::beast::http::field::content_length], "9");
  // The next response starts right after the head: no body bytes were sent.
  auto next = client.ReadResponse();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ((*next)["X-Method"], "GET");
}

TEST(HttpServer, AnswersThreePipelinedGetsInOrder) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(
      client.Write(GetRequest("/echo?n=1") + GetRequest("/echo?n=2") + GetRequest("/echo?n=3")));
  for (int n = 1; n <= 3; ++n) {
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << "response " << n;
    EXPECT_EQ((*response)["X-Target"], "/echo?n=" + std::to_string(n));
  }
}

TEST(HttpServer, AnswersFiveHundredPipelinedGetsInOrder) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  std::string requests;
  for (int n = 0; n < 500; ++n) requests += GetRequest("/echo?n=" + std::to_string(n));
  ASSERT_TRUE(client.Write(requests));
  for (int n = 0; n < 500; ++n) {
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << "response " << n;
    ASSERT_EQ((*response)["X-Target"], "/echo?n=" + std::to_string(n));
  }
}

TEST(HttpServer, KeepsOrderWhenAnEarlierAnswerComesLater) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write(GetRequest("/later") + GetRequest("/echo")));
  auto first = client.ReadResponse();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->body(), "later");
  auto second = client.ReadResponse();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ((*second)["X-Path"], "/echo");
}

TEST(HttpServer, SendsAnAnswerGivenLaterFromAnotherThread) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write(GetRequest("/hold")));
  ASSERT_TRUE(handler.WaitForHeld());
  std::thread other([&handler] { EXPECT_EQ(handler.RespondToHeld(), 1); });
  other.join();
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_EQ(response->body(), "held");
}

TEST(HttpServer, AnswersGeneric500JsonWhenTheHandlerThrows) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write(GetRequest("/throw")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 500);
  EXPECT_EQ((*response)[boost::beast::http::field::content_type], "application/json");
  EXPECT_EQ(response->body(), R"({"error":{"code":"internal","message":"internal error"}})");
  // The connection still serves the next request.
  ASSERT_TRUE(client.Write(GetRequest("/echo")));
  auto next = client.ReadResponse();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->result_int(), 200);
}

TEST(HttpServer, AnswersGeneric500JsonWhenCheckHeadThrows) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write(GetRequest("/check-throw")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 500);
  EXPECT_EQ(handler.handled(), 0);
}

TEST(HttpServer, SendsCheckHeadAnswerWithoutReadingTheBody) {
  TestHandler handler;
  auto server = StartServer(&handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  // Only the head is sent: an answer proves the body was not waited for.
  ASSERT_TRUE(client.Write("POST /reject-head HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 401);
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_EQ(handler.handled(), 0);
}

TEST(HttpServer, Answers503WhenTheHandlerNeverResponds) {
  TestHandler handler;
  auto server = StartServer(&handler, ShortTimeouts());
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write(GetRequest("/hold")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 503);
  EXPECT_TRUE(client.WaitForClose());
  // A respond after the timeout is ignored.
  EXPECT_EQ(handler.RespondToHeld(), 1);
}

TEST(HttpServer, ReportsEveryResponseToTheObserver) {
  TestHandler handler;
  std::mutex mu;
  std::vector<std::pair<std::string, int>> seen;
  HttpServerOptions options;
  options.on_response = [&](const HttpRequest& request, const HttpResponse& response,
                            int64_t latency_us) {
    std::lock_guard<std::mutex> lock(mu);
    seen.emplace_back(request.method + " " + request.path + " " + request.remote_address,
                      response.status);
    EXPECT_GE(latency_us, 0);
    EXPECT_TRUE(request.body.empty());
  };
  auto server = StartServer(&handler, {}, options);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx" +
                           std::string("get / HTTP/1.1\r\nHost: t\r\n\r\n")));
  ASSERT_TRUE(client.ReadResponse().has_value());
  ASSERT_TRUE(client.ReadResponse().has_value());
  server->Stop();
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].first, "POST /echo 127.0.0.1");
  EXPECT_EQ(seen[0].second, 200);
  EXPECT_EQ(seen[1].second, 501);
}

TEST(HttpServer, StopLetsASlowRequestInFlightFinish) {
  TestHandler handler;
  HttpLimits limits;
  limits.stop_grace_ms = 60'000;
  auto server = StartServer(&handler, limits);
  ASSERT_NE(server, nullptr);
  const int port = server->port();
  RawClient slow(port);
  RawClient idle(port);
  ASSERT_TRUE(idle.Write(GetRequest("/echo")));
  ASSERT_TRUE(idle.ReadResponse().has_value());
  ASSERT_TRUE(slow.Write(GetRequest("/hold")));
  ASSERT_TRUE(handler.WaitForHeld());

  auto stopped = std::async(std::launch::async, [&server] { server->Stop(); });
  // The idle connection is closed at once, and new ones are refused...
  EXPECT_TRUE(idle.WaitForClose());
  bool refused = false;
  for (auto give_up = std::chrono::steady_clock::now() + kPatience;
       !refused && std::chrono::steady_clock::now() < give_up;) {
    refused = !RawClient(port).connected();
  }
  EXPECT_TRUE(refused);
  // ...while the request in flight still gets its answer, then the connection closes.
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  EXPECT_EQ(handler.RespondToHeld(), 1);
  auto response = slow.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body(), "held");
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(slow.WaitForClose());
  EXPECT_EQ(stopped.wait_for(kPatience), std::future_status::ready);
}

TEST(HttpServer, StopClosesARequestThatOutlivesTheGrace) {
  TestHandler handler;
  HttpLimits limits;
  limits.stop_grace_ms = 100;
  auto server = StartServer(&handler, limits);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write(GetRequest("/hold")));
  ASSERT_TRUE(handler.WaitForHeld());
  server->Stop();
  EXPECT_TRUE(client.WaitForClose());
  // The handler answers after Stop: nothing happens, nothing leaks.
  EXPECT_EQ(handler.RespondToHeld(), 1);
  server->Stop();  // idempotent
}

TEST(HttpServer, StopWithARespondNeverCalledReleasesEverything) {
  TestHandler handler;
  HttpLimits limits;
  limits.stop_grace_ms = 100;
  auto server = StartServer(&handler, limits);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  ASSERT_TRUE(client.Write(GetRequest("/hold")));
  ASSERT_TRUE(handler.WaitForHeld());
  server.reset();
  handler.DropHeld();  // the last reference to the connection and its io_context
  EXPECT_TRUE(client.WaitForClose());
}

}  // namespace
}  // namespace steroid_advisor::plugin
