#include "plugin/http/message_codec.h"

#include <gtest/gtest.h>

namespace steroid_advisor::plugin {
namespace {

namespace http = boost::beast::http;

TEST(ReadRequestHead, LowerCasesNamesAndJoinsRepeats) {
  http::request_header<> head;
  head.method(http::verb::post);
  head.target("/cds-services/x?debug=1");
  head.version(11);
  head.insert("X-Thing", "a");
  head.insert("x-thing", "b");
  head.insert("Content-Type", "application/json");
  HttpRequest request;
  ReadRequestHead(head, "10.0.0.1", &request);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/cds-services/x");
  EXPECT_EQ(request.target, "/cds-services/x?debug=1");
  EXPECT_EQ(request.remote_address, "10.0.0.1");
  EXPECT_EQ(request.Header("x-thing"), "a, b");
  EXPECT_EQ(request.Header("content-type"), "application/json");
}

TEST(WriteResponse, SetsContentLengthAndDropsFramingHeadersFromTheHandler) {
  HttpResponse response;
  response.body = "abc";
  response.headers["Content-Length"] = "999";
  response.headers["Transfer-Encoding"] = "chunked";
  response.headers["Connection"] = "upgrade";
  response.headers["X-Ok"] = "yes";
  http::response<http::string_body> out;
  WriteResponse(response, 11, /*keep_alive=*/true, /*head_request=*/false, &out);
  EXPECT_EQ(out[http::field::content_length], "3");
  EXPECT_EQ(out.count(http::field::transfer_encoding), 0u);
  EXPECT_EQ(out.count(http::field::connection), 0u);
  EXPECT_EQ(out["X-Ok"], "yes");
  EXPECT_EQ(out.body(), "abc");
}

TEST(WriteResponse, DropsHeadersThatWouldSplitTheResponse) {
  HttpResponse response;
  response.headers["X-Bad"] = "a\r\nSet-Cookie: evil=1";
  http::response<http::string_body> out;
  WriteResponse(response, 11, true, false, &out);
  EXPECT_EQ(out.count("X-Bad"), 0u);
  EXPECT_EQ(out.count(http::field::set_cookie), 0u);
}

TEST(WriteResponse, TurnsAnImpossibleStatusInto500) {
  HttpResponse response;
  response.status = 42;
  http::response<http::string_body> out;
  WriteResponse(response, 11, true, false, &out);
  EXPECT_EQ(out.result_int(), 500);
}

TEST(WriteResponse, SendsNoBodyAndNoLengthFor204) {
  HttpResponse response;
  response.status = 204;
  response.body = "ignored";
  http::response<http::string_body> out;
  WriteResponse(response, 11, true, false, &out);
  EXPECT_EQ(out.body(), "");
  EXPECT_EQ(out.count(http::field::content_length), 0u);
}

TEST(WriteResponse, SaysConnectionCloseWhenNotKeepingAlive) {
  http::response<http::string_body> out;
  WriteResponse(HttpResponse{}, 11, /*keep_alive=*/false, false, &out);
  EXPECT_EQ(out[http::field::connection], "close");
}

TEST(JsonErrorResponse, WritesTheProjectErrorShape) {
  HttpResponse response = JsonErrorResponse(431, "resource_exhausted", "request header too large");
  EXPECT_EQ(response.status, 431);
  EXPECT_EQ(response.headers["Content-Type"], "application/json");
  EXPECT_EQ(response.body,
            R"({"error":{"code":"resource_exhausted","message":"request header too large"}})");
}

}  // namespace
}  // namespace steroid_advisor::plugin
