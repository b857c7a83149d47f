// The "feedback" section of the service config: defaults, valid values, and every problem
// reported by path (a postgresqlUrl with a password is refused and never echoed).
#include <gtest/gtest.h>

#include <string>

#include "plugin/config/service_config.h"
#include "tests/plugin/config/config_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using testing::DefaultConfigText;
using testing::WithValue;

StatusOr<ServiceConfig> WithFeedback(const std::string& section) {
  return ParseServiceConfig(WithValue(DefaultConfigText(), "/feedback", section));
}

TEST(FeedbackConfig, DefaultsAreSqliteWith400DaysRetention) {
  const FeedbackConfig& feedback = DefaultServiceConfig()->feedback;
  EXPECT_EQ(feedback.store, "sqlite");
  EXPECT_EQ(feedback.postgresql_url, "");
  EXPECT_EQ(feedback.retention_days, 400);
  EXPECT_EQ(feedback.queue_size, 10000);
}

TEST(FeedbackConfig, PostgresqlWithUrlIsAccepted) {
  StatusOr<ServiceConfig> config = WithFeedback(
      R"({"store":"postgresql","postgresqlUrl":"postgresql://cds@db.example.org:5432/feedback",)"
      R"("retentionDays":30,"queueSize":500})");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->feedback.store, "postgresql");
  EXPECT_EQ(config->feedback.postgresql_url, "postgresql://cds@db.example.org:5432/feedback");
  EXPECT_EQ(config->feedback.retention_days, 30);
  EXPECT_EQ(config->feedback.queue_size, 500);
}

TEST(FeedbackConfig, ProblemsAreReportedByPath) {
  struct Case {
    const char* section;
    const char* problem;
  };
  const Case kCases[] = {
      {R"({"store":"mysql"})", "feedback.store: expected \"sqlite\" or \"postgresql\""},
      {R"({"postgresqlUrl":"mysql://x"})", "feedback.postgresqlUrl: expected a postgresql:// URI"},
      {R"({"retentionDays":0})", "feedback.retentionDays: must be between 1 and 36500"},
      {R"({"queueSize":-1})", "feedback.queueSize: must be between 1 and 1000000"},
      {R"({"color":"red"})", "feedback.color: unknown key"},
      {R"("sqlite")", "feedback: expected an object"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.section);
    StatusOr<ServiceConfig> config = WithFeedback(c.section);
    ASSERT_FALSE(config.ok());
    EXPECT_NE(config.status().message().find(c.problem), std::string::npos)
        << config.status().message();
  }
}

TEST(FeedbackConfig, PasswordInTheUrlIsRefusedWithoutEchoingIt) {
  for (const char* url : {"postgresql://cds:s3cret-pw@db/feedback",
                          "postgresql://cds@db/feedback?sslmode=require&password=s3cret-pw"}) {
    SCOPED_TRACE(url);
    StatusOr<ServiceConfig> config =
        WithFeedback(std::string(R"({"postgresqlUrl":")") + url + "\"}");
    ASSERT_FALSE(config.ok());
    EXPECT_NE(config.status().message().find("feedback.postgresqlUrl: must not contain a password"),
              std::string::npos);
    EXPECT_EQ(config.status().message().find("s3cret-pw"), std::string::npos);
  }
}

}  // namespace
}  // namespace steroid_advisor::plugin
