// Tests for ConfigWatcher: SIGHUP and on-disk changes reload the config file; half-written
// files are rejected without disturbing the running config; unchanged files change nothing.
// Waits are bounded loops on the store's version or the watcher's log, never fixed sleeps.
#include "plugin/config/watcher.h"

#include <signal.h>

#include <mutex>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "plugin/config/audit_log.h"
#include "plugin/config/file.h"
#include "plugin/config/store.h"
#include "tests/plugin/config/config_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using testing::DefaultConfigText;
using testing::TempDir;
using testing::WaitFor;
using testing::WithValue;
using testing::WriteFileForTest;

// A config file, a store serving it, and a watcher whose log lines the test can read.
class WatchedConfig {
 public:
  explicit WatchedConfig(std::chrono::milliseconds poll_interval) {
    path_ = dir_.File("config.json");
    WriteFileForTest(path_, DefaultConfigText());
    ConfigStore::Options options;
    options.file_path = path_;
    options.audit_log = &audit_;
    StatusOr<std::unique_ptr<ConfigStore>> store =
        ConfigStore::Create(DefaultConfigText(), std::move(options));
    EXPECT_TRUE(store.ok());
    store_ = std::move(*store);
    ConfigWatcher::Options watch;
    watch.path = path_;
    watch.poll_interval = poll_interval;
    watch.log = [this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.emplace_back(line);
    };
    watcher_ = std::make_unique<ConfigWatcher>(store_.get(), std::move(watch));
    EXPECT_TRUE(watcher_->Start().ok());
  }

  const std::string& path() const { return path_; }
  ConfigStore& store() { return *store_; }
  AuditLog& audit() { return audit_; }
  bool Logged(std::string_view fragment) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& line : lines_) {
      if (line.find(fragment) != std::string::npos) return true;
    }
    return false;
  }

 private:
  TempDir dir_;
  std::string path_;
  AuditLog audit_;
  std::unique_ptr<ConfigStore> store_;
  std::mutex mu_;
  std::vector<std::string> lines_;          // guarded by mu_
  std::unique_ptr<ConfigWatcher> watcher_;  // last: stopped before the rest is destroyed
};

constexpr std::chrono::milliseconds kFastPoll{20};
// Long enough that only SIGHUP can trigger a reload within the test.
constexpr std::chrono::milliseconds kNoPoll{std::chrono::hours(1)};

TEST(ConfigWatcher, ChangedFileIsReloaded) {
  WatchedConfig watched(kFastPoll);
  WriteFileForTest(watched.path(),
                   WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "30"));
  ASSERT_TRUE(WaitFor([&] { return watched.store().version() == 2; }));
  EXPECT_EQ(watched.store().Current()->cards.thresholds.prolonged_days, 30);
  std::vector<AuditEntry> entries = watched.audit().Newest(10);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].source, "file-watch");
  EXPECT_EQ(entries[0].actor, "system");
}

TEST(ConfigWatcher, SighupReloadsTheFile) {
  ASSERT_TRUE(InstallSighupHandler().ok());
  WatchedConfig watched(kNoPoll);
  WriteFileForTest(watched.path(),
                   WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "35"));
  ASSERT_EQ(::raise(SIGHUP), 0);
  ASSERT_TRUE(WaitFor([&] { return watched.store().version() == 2; }));
  EXPECT_EQ(watched.store().Current()->cards.thresholds.prolonged_days, 35);
  std::vector<AuditEntry> entries = watched.audit().Newest(10);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].source, "sighup");
}

TEST(ConfigWatcher, SighupWithAnUnchangedFileChangesNothing) {
  ASSERT_TRUE(InstallSighupHandler().ok());
  WatchedConfig watched(kNoPoll);
  // Same values, other formatting.
  WriteFileForTest(watched.path(),
                   WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "21"));
  ASSERT_EQ(::raise(SIGHUP), 0);
  ASSERT_TRUE(WaitFor([&] { return watched.Logged("unchanged"); }));
  EXPECT_EQ(watched.store().version(), 1u);
  EXPECT_TRUE(watched.audit().Newest(10).empty());
}

TEST(ConfigWatcher, HalfWrittenFileIsRejectedAndTheCompleteOneAccepted) {
  WatchedConfig watched(kFastPoll);
  std::string full = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "30");
  WriteFileForTest(watched.path(), full.substr(0, full.size() / 2));
  ASSERT_TRUE(WaitFor([&] { return watched.Logged("rejected"); }));
  EXPECT_EQ(watched.store().version(), 1u);
  EXPECT_EQ(watched.store().Current()->cards.thresholds.prolonged_days, 21);

  WriteFileForTest(watched.path(), full);
  ASSERT_TRUE(WaitFor([&] { return watched.store().version() == 2; }));
  EXPECT_EQ(watched.store().Current()->cards.thresholds.prolonged_days, 30);
}

TEST(ConfigWatcher, InvalidConfigIsRejectedWithItsProblemsLogged) {
  WatchedConfig watched(kFastPoll);
  WriteFileForTest(watched.path(),
                   WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "0"));
  ASSERT_TRUE(WaitFor([&] { return watched.Logged("thresholds.prolongedDays"); }));
  EXPECT_EQ(watched.store().version(), 1u);
}

TEST(ConfigWatcher, OwnAdminWriteIsNotReloadedAsAChange) {
  WatchedConfig watched(kFastPoll);
  std::string text = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "30");
  ASSERT_TRUE(watched.store().Replace(text, "admin", ConfigSource::kAdminApi).ok());
  // The watcher sees the renamed file as a new identity, re-reads it and finds nothing new.
  // A later change from the file proves it has looked past our own write.
  WriteFileForTest(watched.path(),
                   WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "31"));
  ASSERT_TRUE(WaitFor([&] { return watched.store().version() == 3; }));
  std::vector<AuditEntry> entries = watched.audit().Newest(10);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].source, "file-watch");
  EXPECT_EQ(entries[1].source, "admin-api");
}

TEST(ConfigWatcher, StopIsIdempotentAndStartTwiceFails) {
  TempDir dir;
  StatusOr<std::unique_ptr<ConfigStore>> store =
      ConfigStore::Create(DefaultConfigText(), ConfigStore::Options());
  ASSERT_TRUE(store.ok());
  ConfigWatcher::Options options;
  options.path = dir.File("config.json");
  ConfigWatcher watcher(store->get(), options);
  ASSERT_TRUE(watcher.Start().ok());
  EXPECT_EQ(watcher.Start().code(), StatusCode::kFailedPrecondition);
  watcher.Stop();
  watcher.Stop();
}

}  // namespace
}  // namespace steroid_advisor::plugin
