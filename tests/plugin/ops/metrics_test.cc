// Tests for plugin/ops/metrics.h: the exposition passes Prometheus's own checker (promtool),
// counts land under the right labels, and nothing from outside can break a label.
#include "plugin/ops/metrics.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace steroid_advisor::plugin {
namespace {

std::string BusyExposition() {
  Metrics metrics;
  metrics.CountHookCall("steroid-advisor-order-select", 200, 0.0012);
  metrics.CountHookCall("steroid-advisor-order-select", 200, 0.3);
  metrics.CountHookCall("steroid-advisor-order-sign", 503, 0.0001);
  metrics.CountCard("prolonged-steroid", "critical");
  metrics.CountFhirFetch("ok", 0.7);
  metrics.CountFhirFetch("shed", 0);
  metrics.CountConfigReload("admin", "applied");
  metrics.CountFeedbackWrite("committed");
  metrics.SetFeedbackGauges([] { return int64_t{3}; });
  return metrics.RenderPrometheus();
}

TEST(Metrics, ExpositionPassesPromtool) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool (Debian package prometheus) is not installed; CI installs it";
  }
  const std::string path = ::testing::TempDir() + "metrics_" + std::to_string(getpid()) + ".txt";
  {
    std::ofstream out(path);
    out << BusyExposition();
  }
  const std::string command = "promtool check metrics < " + path + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  std::remove(path.c_str());
  EXPECT_EQ(status, 0) << output;
  EXPECT_EQ(output, "") << "promtool lint findings";
}

TEST(Metrics, CountsLandUnderTheirLabels) {
  const std::string text = BusyExposition();
  EXPECT_NE(text.find("steroid_advisor_hook_calls_total{service=\"steroid-advisor-order-select\","
                      "status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("steroid_advisor_hook_call_duration_seconds_bucket{service=\"steroid-"
                      "advisor-order-select\",le=\"0.0025\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("steroid_advisor_hook_call_duration_seconds_count{service=\"steroid-"
                      "advisor-order-select\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("steroid_advisor_cards_total{rule=\"prolonged-steroid\","
                      "indicator=\"critical\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("steroid_advisor_fhir_fetches_total{outcome=\"shed\"} 1"), std::string::npos);
  EXPECT_NE(text.find("steroid_advisor_feedback_queue_depth 3"), std::string::npos);
  EXPECT_NE(text.find("process_resident_memory_bytes "), std::string::npos);
  EXPECT_EQ(text.find("process_resident_memory_bytes 0\n"), std::string::npos);
}

TEST(Metrics, LabelValuesKeepOnlyOurVocabulary) {
  EXPECT_EQ(SafeLabelValue("steroid-advisor-order-sign"), "steroid-advisor-order-sign");
  EXPECT_EQ(SafeLabelValue("a\"b\\c\nd}"), "a_b_c_d_");
  EXPECT_EQ(SafeLabelValue(std::string(100, 'x')).size(), 64u);
}

}  // namespace
}  // namespace steroid_advisor::plugin
