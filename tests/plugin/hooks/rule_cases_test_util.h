// The clinical case corpus runner: loads tests/data/cases/**.json (format in
// tests/data/cases/README.md), runs a case's request through the hook handler function (no
// socket) with the case's "now", and checks that exactly the expected cards come back, in order.
// The fetch suite reuses it with the record served by a FHIR server instead of prefetch: it
// passes its own request body (prefetch removed, fhirServer replaced) and its RecordFetcher.
// Thread-safety: plain functions; GoogleTest assertions from the calling test's thread.
#ifndef STEROID_ADVISOR_TESTS_PLUGIN_HOOKS_RULE_CASES_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_PLUGIN_HOOKS_RULE_CASES_TEST_UTIL_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/date.h"
#include "fhir/status.h"
#include "plugin/config/service_config.h"
#include "plugin/http/message.h"
#include "plugin/record/fetcher.h"

namespace steroid_advisor::plugin {

struct ExpectedCard {
  std::string topic;
  std::string indicator;
  std::string variant;  // "" when the case does not say
  std::vector<std::string> summary_contains;
  std::vector<std::string> detail_contains;  // matched case-insensitively
  std::optional<std::vector<std::string>> suggestion_actions;
};

struct RuleCase {
  std::string path;  // the file, for SCOPED_TRACE
  std::string why;
  fhir::Day now = 0;
  std::string service;       // service id
  std::string request_body;  // `request`, serialized
  std::vector<ExpectedCard> expected;
};

// Every *.json file under `root`, recursively, sorted by path.
std::vector<std::string> FindRuleCaseFiles(const std::string& root);

// InvalidArgument when the file is not a case in the corpus format.
StatusOr<RuleCase> LoadRuleCase(const std::string& path);

// POSTs `request_body` (the case's own when empty) to the case's service through HandleHook,
// with the case's now, `config` (default: DefaultServiceConfig()) and `fetcher`.
HttpResponse RunRuleCase(const RuleCase& rule_case, std::string_view request_body = "",
                         RecordFetcher* fetcher = nullptr,
                         std::shared_ptr<const ServiceConfig> config = nullptr);

// GoogleTest expectations: 200 and exactly the expected cards in order (topic, indicator, variant
// via the card extension, contained strings, the flattened suggestion action types).
void ExpectCardsAsExpected(const RuleCase& rule_case, const HttpResponse& response);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_TESTS_PLUGIN_HOOKS_RULE_CASES_TEST_UTIL_H_
