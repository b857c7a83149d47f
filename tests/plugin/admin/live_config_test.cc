// Tests for LiveConfig, the startup of everything that makes the config live: the config file
// validated whole, the audit log next to it, and the admin API refused without a token.
#include "plugin/admin/live_config.h"

#include <string>

#include "gtest/gtest.h"
#include "plugin/config/file.h"
#include "tests/plugin/config/config_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using testing::DefaultConfigText;
using testing::ReadFileForTest;
using testing::TempDir;
using testing::WithValue;
using testing::WriteFileForTest;

constexpr char kToken[] = "live-config-test-token-0001";

TEST(LiveConfig, RunsOnBuiltInDefaultsWithoutAConfigFile) {
  StatusOr<std::unique_ptr<LiveConfig>> live = LiveConfig::Create({});
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_EQ(*(*live)->store().CurrentText(), DefaultConfigText());
  EXPECT_EQ((*live)->admin_url(), "");
}

TEST(LiveConfig, AdminPortWithoutATokenRefusesToStart) {
  LiveConfigOptions options;
  options.admin_port = 18999;  // never bound: Create fails first
  StatusOr<std::unique_ptr<LiveConfig>> live = LiveConfig::Create(options);
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(live.status().message().find("STEROID_ADVISOR_ADMIN_TOKEN"), std::string::npos);

  options.admin_token_env = "short";
  EXPECT_EQ(LiveConfig::Create(options).status().code(), StatusCode::kInvalidArgument);
}

TEST(LiveConfig, InvalidConfigFileIsRefusedWithEveryProblem) {
  TempDir dir;
  std::string text = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "0");
  text = WithValue(text, "/thresholds/premedicationDays", "\"three\"");
  WriteFileForTest(dir.File("config.json"), text);
  LiveConfigOptions options;
  options.config_path = dir.File("config.json");
  StatusOr<std::unique_ptr<LiveConfig>> live = LiveConfig::Create(options);
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(live.status().message().find(options.config_path), std::string::npos);
  EXPECT_NE(live.status().message().find("thresholds.prolongedDays"), std::string::npos);
  EXPECT_NE(live.status().message().find("thresholds.premedicationDays"), std::string::npos);
}

TEST(LiveConfig, MissingConfigFileIsRefused) {
  TempDir dir;
  LiveConfigOptions options;
  options.config_path = dir.File("missing.json");
  EXPECT_EQ(LiveConfig::Create(options).status().code(), StatusCode::kNotFound);
}

TEST(LiveConfig, StartupRecordsHowTheFileDiffersFromTheDefaults) {
  TempDir dir;
  WriteFileForTest(dir.File("config.json"),
                   WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "30"));
  LiveConfigOptions options;
  options.config_path = dir.File("config.json");
  StatusOr<std::unique_ptr<LiveConfig>> live = LiveConfig::Create(options);
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_EQ((*live)->store().Current()->cards.thresholds.prolonged_days, 30);
  std::string audit = ReadFileForTest(DefaultAuditLogPath(options.config_path));
  EXPECT_NE(audit.find("\"source\":\"startup\""), std::string::npos) << audit;
  EXPECT_NE(audit.find("\"path\":\"thresholds.prolongedDays\",\"old\":21,\"new\":30"),
            std::string::npos)
      << audit;
}

TEST(LiveConfig, ExplicitAuditLogMustBeWritable) {
  TempDir dir;
  LiveConfigOptions options;
  options.audit_log_path = dir.File("no/such/dir/audit.jsonl");
  EXPECT_EQ(LiveConfig::Create(options).status().code(), StatusCode::kUnavailable);
}

TEST(LiveConfig, AdminPortOutOfRangeIsRefusedBeforeBinding) {
  TempDir dir;
  WriteFileForTest(dir.File("config.json"), DefaultConfigText());
  LiveConfigOptions options;
  options.config_path = dir.File("config.json");
  options.admin_token_env = kToken;
  // (Starting on a real port is admin_server_test.cc's job, on a port the OS hands out.)
  options.admin_port = -1;
  StatusOr<std::unique_ptr<LiveConfig>> live = LiveConfig::Create(options);
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_EQ((*live)->Start().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace steroid_advisor::plugin
