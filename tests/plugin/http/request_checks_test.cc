#include "plugin/http/request_checks.h"

#include <gtest/gtest.h>

#include <boost/beast/http/error.hpp>

namespace steroid_advisor::plugin {
namespace {

namespace http = boost::beast::http;

http::request_header<> Head(http::verb verb, std::string target, unsigned version = 11) {
  http::request_header<> head;
  head.method(verb);
  head.target(target);
  head.version(version);
  head.set(http::field::host, "t");
  return head;
}

TEST(CheckRequestHead, AcceptsAPlainGet) {
  EXPECT_FALSE(CheckRequestHead(Head(http::verb::get, "/x?y=1"), HttpLimits{}).has_value());
}

TEST(CheckRequestHead, RefusesATargetOverTheUrlCapWith414) {
  HttpLimits limits;
  limits.max_url_bytes = 10;
  auto refused = CheckRequestHead(Head(http::verb::get, "/12345678901"), limits);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 414);
  EXPECT_FALSE(CheckRequestHead(Head(http::verb::get, "/123456789"), limits).has_value());
}

TEST(CheckRequestHead, RefusesAnUnknownMethodSpellingWith501) {
  auto head = Head(http::verb::get, "/");
  head.method_string("Get");
  auto refused = CheckRequestHead(head, HttpLimits{});
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 501);
}

TEST(CheckRequestHead, AllowsHttp10WithoutHost) {
  auto head = Head(http::verb::get, "/", 10);
  head.erase(http::field::host);
  EXPECT_FALSE(CheckRequestHead(head, HttpLimits{}).has_value());
}

TEST(CheckRequestHead, AcceptsChunkedInAnyCase) {
  auto head = Head(http::verb::post, "/");
  head.set(http::field::transfer_encoding, "Chunked");
  EXPECT_FALSE(CheckRequestHead(head, HttpLimits{}).has_value());
}

TEST(RequestErrorForParseError, TellsALongTargetFromLongHeaders) {
  HttpLimits limits;
  limits.max_url_bytes = 8;
  EXPECT_EQ(
      RequestErrorForParseError(http::error::header_limit, "", "GET /aaaaaaaaaaaa", limits).status,
      414);
  EXPECT_EQ(
      RequestErrorForParseError(http::error::header_limit, "", "GET /a HTTP/1.1\r\nX: y", limits)
          .status,
      431);
  // Once the request line is parsed, the buffer no longer holds it: the parsed target counts.
  EXPECT_EQ(
      RequestErrorForParseError(http::error::header_limit, "/aaaaaaaaaa", "X-Big: aaaa", limits)
          .status,
      414);
  EXPECT_EQ(RequestErrorForParseError(http::error::header_limit, "/a", "X-Big: aaaaaaaaaaa", limits)
                .status,
            431);
}

TEST(RequestErrorForParseError, Answers505OnlyToAWellFormedVersion) {
  EXPECT_EQ(
      RequestErrorForParseError(http::error::bad_version, "", "GET / HTTP/9.9\r\n", HttpLimits{})
          .status,
      505);
  EXPECT_EQ(
      RequestErrorForParseError(http::error::bad_version, "", "GET / HTTP/1.10\r\n", HttpLimits{})
          .status,
      400);
}

TEST(RequestErrorForParseError, MapsBodyLimitTo413AndBadChunkTo400) {
  EXPECT_EQ(RequestErrorForParseError(http::error::body_limit, "", "", HttpLimits{}).status, 413);
  EXPECT_EQ(RequestErrorForParseError(http::error::bad_chunk, "", "", HttpLimits{}).status, 400);
  EXPECT_EQ(RequestErrorForParseError(http::error::bad_method, "", "", HttpLimits{}).status, 400);
}

}  // namespace
}  // namespace steroid_advisor::plugin
