#include "fhir/problem_list.h"

#include "gtest/gtest.h"

namespace steroid_advisor::fhir {
namespace {

TEST(ProblemList, EmptyListIsOk) {
  ProblemList problems;
  EXPECT_TRUE(problems.empty());
  EXPECT_TRUE(problems.ToStatus().ok());
}

TEST(ProblemList, EveryProblemIsOneLineInTheOrderFound) {
  ProblemList problems;
  problems.Add("thresholds.prolongedDays", "must be between 1 and 365, got 0");
  problems.AddLines("rules.foo: unknown rule\n\nserver: expected an object\n");
  Status status = problems.ToStatus();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "thresholds.prolongedDays: must be between 1 and 365, got 0\n"
            "rules.foo: unknown rule\n"
            "server: expected an object");
}

}  // namespace
}  // namespace steroid_advisor::fhir
