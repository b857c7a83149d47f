// Status and StatusOr: codes and their names, context added as errors rise, the rule that a
// StatusOr never holds OK, and the two macros.
#include "fhir/status.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace steroid_advisor {
namespace {

struct CodeCase {
  Status status;
  StatusCode code;
  std::string_view name;
};

TEST(Status, EveryFactoryGivesItsCodeAndName) {
  const std::vector<CodeCase> cases = {
      {OkStatus(), StatusCode::kOk, "ok"},
      {InvalidArgumentError("m"), StatusCode::kInvalidArgument, "invalid_argument"},
      {NotFoundError("m"), StatusCode::kNotFound, "not_found"},
      {FailedPreconditionError("m"), StatusCode::kFailedPrecondition, "failed_precondition"},
      {ResourceExhaustedError("m"), StatusCode::kResourceExhausted, "resource_exhausted"},
      {UnauthenticatedError("m"), StatusCode::kUnauthenticated, "unauthenticated"},
      {PermissionDeniedError("m"), StatusCode::kPermissionDenied, "permission_denied"},
      {UnavailableError("m"), StatusCode::kUnavailable, "unavailable"},
      {DeadlineExceededError("m"), StatusCode::kDeadlineExceeded, "deadline_exceeded"},
      {InternalError("m"), StatusCode::kInternal, "internal"},
  };
  for (const CodeCase& c : cases) {
    SCOPED_TRACE(std::string(c.name));
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(StatusCodeName(c.code), c.name);
    EXPECT_EQ(c.status.ok(), c.code == StatusCode::kOk);
    if (!c.status.ok()) {
      EXPECT_EQ(c.status.message(), "m");
      EXPECT_EQ(c.status.ToString(), std::string(c.name) + ": m");
    }
  }
}

TEST(Status, DefaultIsOkWithEmptyMessage) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.message(), "");
  EXPECT_EQ(status.ToString(), "ok");
}

TEST(Status, UnknownCodeIsNamedInternal) {
  EXPECT_EQ(StatusCodeName(static_cast<StatusCode>(999)), "internal");
}

TEST(Status, WithPrefixAddsContextAndKeepsTheCode) {
  Status inner = InvalidArgumentError("expected a Bundle, got an array");
  Status outer = inner.WithPrefix("context.draftOrders");
  EXPECT_EQ(outer.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(outer.message(), "context.draftOrders: expected a Bundle, got an array");
  EXPECT_EQ(outer.WithPrefix("request").message(),
            "request: context.draftOrders: expected a Bundle, got an array");
  EXPECT_EQ(inner.message(), "expected a Bundle, got an array");  // the original is untouched
}

TEST(Status, WithPrefixLeavesOkAlone) {
  Status status = OkStatus().WithPrefix("context");
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.message(), "");
}

TEST(StatusOr, HoldsAValue) {
  StatusOr<std::string> result = std::string("value");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.status().ok());
  EXPECT_EQ(*result, "value");
  EXPECT_EQ(result->size(), 5u);
  EXPECT_EQ(result.value(), "value");
}

TEST(StatusOr, HoldsAnError) {
  StatusOr<int> result = NotFoundError("no such service");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(result.status().message(), "no such service");
}

TEST(StatusOr, BuiltFromOkStatusBecomesInternalError) {
  StatusOr<int> result = OkStatus();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
}

TEST(StatusOr, MovesOutAMoveOnlyValue) {
  StatusOr<std::unique_ptr<int>> result = std::make_unique<int>(7);
  ASSERT_TRUE(result.ok());
  std::unique_ptr<int> taken = *std::move(result);
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(*taken, 7);
}

Status FailWhen(bool fail) { return fail ? UnavailableError("fhir server down") : OkStatus(); }

Status RunSteps(bool fail_first, int* steps) {
  RETURN_IF_ERROR(FailWhen(fail_first));
  ++*steps;
  RETURN_IF_ERROR(FailWhen(false));
  ++*steps;
  return OkStatus();
}

TEST(StatusMacros, ReturnIfErrorStopsAtTheFirstError) {
  int steps = 0;
  Status status = RunSteps(/*fail_first=*/true, &steps);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(steps, 0);
}

TEST(StatusMacros, ReturnIfErrorContinuesOnOk) {
  int steps = 0;
  EXPECT_TRUE(RunSteps(/*fail_first=*/false, &steps).ok());
  EXPECT_EQ(steps, 2);
}

StatusOr<int> Half(int n) {
  if (n % 2 != 0) return InvalidArgumentError("odd");
  return n / 2;
}

StatusOr<int> Quarter(int n) {
  ASSIGN_OR_RETURN(int half, Half(n));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(StatusMacros, AssignOrReturnDeclaresTheValue) {
  StatusOr<int> result = Quarter(12);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 3);
}

TEST(StatusMacros, AssignOrReturnReturnsTheError) {
  StatusOr<int> result = Quarter(6);  // 6 / 2 = 3 is odd
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), "odd");
}

Status QuarterAsStatus(int n, int* out) {
  ASSIGN_OR_RETURN(*out, Quarter(n));
  return OkStatus();
}

TEST(StatusMacros, AssignOrReturnAssignsToAnExistingVariable) {
  int out = 0;
  EXPECT_TRUE(QuarterAsStatus(8, &out).ok());
  EXPECT_EQ(out, 2);
  EXPECT_FALSE(QuarterAsStatus(7, &out).ok());
  EXPECT_EQ(out, 2);
}

}  // namespace
}  // namespace steroid_advisor
