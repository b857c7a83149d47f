// Tests for DiffConfigJson: the audit trail's "what changed, old and new, by JSON path".
#include "plugin/config/diff.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace steroid_advisor::plugin {
namespace {

std::vector<std::string> Describe(const std::vector<ConfigChange>& changes) {
  std::vector<std::string> lines;
  for (const ConfigChange& change : changes) {
    lines.push_back(change.path + ": " + change.old_json + " -> " + change.new_json);
  }
  return lines;
}

TEST(ConfigDiff, ReportsChangedLeavesByPath) {
  struct Case {
    const char* why;
    const char* old_text;
    const char* new_text;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"same document", R"({"a":1,"b":{"c":"x"}})", R"({"a":1,"b":{"c":"x"}})", {}},
      {"formatting and member order are not changes",
       R"({"a":1,"b":{"c":"x","d":true}})",
       "{\n  \"b\": {\"d\": true, \"c\": \"x\"},\n  \"a\": 1\n}",
       {}},
      {"changed number",
       R"({"thresholds":{"prolongedDays":21}})",
       R"({"thresholds":{"prolongedDays":30}})",
       {"thresholds.prolongedDays: 21 -> 30"}},
      {"changed string keeps json quoting",
       R"({"s":"old \"q\""})",
       R"({"s":"new"})",
       {"s: \"old \\\"q\\\"\" -> \"new\""}},
      {"removed and added members",
       R"({"a":1,"b":2})",
       R"({"b":2,"c":3})",
       {"a: 1 -> null", "c: null -> 3"}},
      {"array elements by index",
       R"({"links":[{"url":"u1"},{"url":"u2"}]})",
       R"({"links":[{"url":"u1"},{"url":"u3"},{"url":"u4"}]})",
       {"links[1].url: \"u2\" -> \"u3\"", "links[2].url: null -> \"u4\""}},
      {"empty containers are leaves",
       R"({"allowlist":[],"o":{}})",
       R"({"allowlist":[],"o":{"k":false}})",
       {"o: {} -> null", "o.k: null -> false"}},
      {"type change", R"({"enabled":true})", R"({"enabled":"yes"})", {"enabled: true -> \"yes\""}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    StatusOr<std::vector<ConfigChange>> changes = DiffConfigJson(c.old_text, c.new_text, 64);
    ASSERT_TRUE(changes.ok()) << changes.status().ToString();
    EXPECT_EQ(Describe(*changes), c.expected);
  }
}

TEST(ConfigDiff, RejectsMalformedOrTooDeepJson) {
  EXPECT_EQ(DiffConfigJson("{}", "{", 64).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DiffConfigJson("[[[[1]]]]", "{}", 3).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace steroid_advisor::plugin
