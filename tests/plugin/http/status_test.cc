#include "plugin/http/status.h"

#include <gtest/gtest.h>

#include "plugin/http/error_response.h"

namespace steroid_advisor::plugin {
namespace {

TEST(HttpStatus, EveryStatusCodeMapsToItsHttpStatus) {
  struct Case {
    StatusCode code;
    int http;
  };
  const Case kCases[] = {
      {StatusCode::kOk, 200},
      {StatusCode::kInvalidArgument, 400},
      {StatusCode::kUnauthenticated, 401},
      {StatusCode::kPermissionDenied, 403},
      {StatusCode::kNotFound, 404},
      {StatusCode::kFailedPrecondition, 412},
      {StatusCode::kResourceExhausted, 413},
      {StatusCode::kUnavailable, 503},
      {StatusCode::kDeadlineExceeded, 504},
      {StatusCode::kInternal, 500},
      {static_cast<StatusCode>(999), 500},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(static_cast<int>(c.code));
    EXPECT_EQ(HttpStatusFor(c.code), c.http);
  }
}

TEST(ErrorResponse, WritesCodeAndMessageAsJson) {
  HttpResponse response = ErrorResponse(InvalidArgumentError("context.patientId: required"));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.headers["Content-Type"], "application/json");
  EXPECT_EQ(response.body,
            R"({"error":{"code":"invalid_argument","message":"context.patientId: required"}})");
}

TEST(ErrorResponse, InternalErrorsKeepTheirDetailsOffTheWire) {
  HttpResponse response = ErrorResponse(InternalError("null pointer in card_writer.cc:42"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("card_writer"), std::string::npos);
  EXPECT_NE(response.body.find("\"internal\""), std::string::npos);
}

TEST(ErrorResponse, EscapesQuotesInMessages) {
  HttpResponse response = ErrorResponse(InvalidArgumentError("hook: expected \"Bearer\""));
  EXPECT_NE(response.body.find(R"(expected \"Bearer\")"), std::string::npos);
}

}  // namespace
}  // namespace steroid_advisor::plugin
