// Runs every case of the clinical corpus (tests/data/cases/**.json, README there) through the
// hook handler with the case's "now" and the default config.
#include <gtest/gtest.h>

#include <string>

#include "tests/plugin/hooks/rule_cases_test_util.h"
#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

void RunCaseFile(const std::string& path) {
  StatusOr<RuleCase> rule_case = LoadRuleCase(path);
  ASSERT_TRUE(rule_case.ok()) << rule_case.status().ToString();
  SCOPED_TRACE(path + "\nwhy: " + rule_case->why);
  ExpectCardsAsExpected(*rule_case, RunRuleCase(*rule_case));
}

TEST(RuleCases, EveryCorpusCaseGivesExactlyTheExpectedCards) {
  std::vector<std::string> files = FindRuleCaseFiles(SourcePath("tests/data/cases"));
  ASSERT_FALSE(files.empty()) << "no case under tests/data/cases";
  for (const std::string& file : files) RunCaseFile(file);
}

}  // namespace
}  // namespace steroid_advisor::plugin
