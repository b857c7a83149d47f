// Tests for ConfigStore: whole-config validation, atomic swaps that readers never see half of,
// persistence of admin changes, and the audit entry every change leaves.
#include "plugin/config/store.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "plugin/config/audit_log.h"
#include "tests/plugin/config/config_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using testing::DefaultConfigText;
using testing::ReadFileForTest;
using testing::TempDir;
using testing::WithValue;
using testing::WriteFileForTest;

ConfigStore::Options FixedClockOptions(AuditLog* audit_log, std::string file_path = "") {
  ConfigStore::Options options;
  options.audit_log = audit_log;
  options.file_path = std::move(file_path);
  options.clock = [] { return std::chrono::system_clock::from_time_t(1795515330); };
  return options;
}

std::unique_ptr<ConfigStore> MakeStore(ConfigStore::Options options) {
  StatusOr<std::unique_ptr<ConfigStore>> store =
      ConfigStore::Create(DefaultConfigText(), std::move(options));
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

TEST(ConfigStore, StartsOnTheGivenConfigAtVersionOne) {
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(nullptr));
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->version(), 1u);
  EXPECT_EQ(*store->CurrentText(), DefaultConfigText());
  EXPECT_EQ(store->Current()->cards.thresholds.prolonged_days, 21);
}

TEST(ConfigStore, CreateRejectsAnInvalidInitialConfig) {
  StatusOr<std::unique_ptr<ConfigStore>> store = ConfigStore::Create(
      WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "0"), FixedClockOptions(nullptr));
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
}

TEST(ConfigStore, ValidReplaceSwapsAndBumpsTheVersion) {
  AuditLog audit;
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(&audit));
  std::string text = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "30");
  StatusOr<ConfigStore::ReplaceResult> result =
      store->Replace(text, "dr-lee", ConfigSource::kAdminApi);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->changed);
  EXPECT_EQ(result->version, 2u);
  EXPECT_EQ(store->version(), 2u);
  EXPECT_EQ(store->Current()->cards.thresholds.prolonged_days, 30);
  EXPECT_EQ(*store->CurrentText(), text);
}

TEST(ConfigStore, InvalidReplaceIsRejectedWithEveryProblemAndTheOldConfigKeepsServing) {
  AuditLog audit;
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(&audit));
  std::string text = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "0");
  text = WithValue(text, "/thresholds/premedicationDays", "\"three\"");
  StatusOr<ConfigStore::ReplaceResult> result =
      store->Replace(text, "dr-lee", ConfigSource::kAdminApi);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  std::vector<ConfigProblem> problems = ProblemsFromStatus(result.status());
  std::vector<std::string> paths;
  for (const ConfigProblem& problem : problems) paths.push_back(problem.path);
  auto has = [&paths](const std::string& path) {
    return std::find(paths.begin(), paths.end(), path) != paths.end();
  };
  EXPECT_TRUE(has("thresholds.prolongedDays")) << result.status().message();
  EXPECT_TRUE(has("thresholds.premedicationDays")) << result.status().message();
  EXPECT_EQ(store->version(), 1u);
  EXPECT_EQ(*store->CurrentText(), DefaultConfigText());
  EXPECT_EQ(store->Current()->cards.thresholds.prolonged_days, 21);
  EXPECT_TRUE(audit.Newest(10).empty());
}

TEST(ConfigStore, MalformedJsonIsRejected) {
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(nullptr));
  for (const char* text : {"", "{", "[]", "null", "{\"thresholds\": }"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(store->Replace(text, "a", ConfigSource::kAdminApi).status().code(),
              StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(store->version(), 1u);
}

TEST(ConfigStore, SnapshotTakenBeforeASwapStaysValidAndUnchanged) {
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(nullptr));
  std::shared_ptr<const ServiceConfig> snapshot = store->Current();
  std::shared_ptr<const std::string> snapshot_text = store->CurrentText();
  for (int days : {30, 40, 50}) {
    std::string text =
        WithValue(DefaultConfigText(), "/thresholds/prolongedDays", std::to_string(days));
    ASSERT_TRUE(store->Replace(text, "a", ConfigSource::kAdminApi).ok());
  }
  EXPECT_EQ(snapshot->cards.thresholds.prolonged_days, 21);
  EXPECT_EQ(*snapshot_text, DefaultConfigText());
  EXPECT_EQ(store->Current()->cards.thresholds.prolonged_days, 50);
  EXPECT_EQ(store->version(), 4u);
}

TEST(ConfigStore, SameConfigWithOtherFormattingChangesNothing) {
  AuditLog audit;
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(&audit));
  // Re-serializing reorders nothing but changes all whitespace.
  std::string reformatted = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "21");
  ASSERT_NE(reformatted, DefaultConfigText());
  StatusOr<ConfigStore::ReplaceResult> result =
      store->Replace(reformatted, "a", ConfigSource::kSighup);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->changed);
  EXPECT_EQ(result->version, 1u);
  EXPECT_EQ(store->version(), 1u);
  EXPECT_TRUE(audit.Newest(10).empty());
}

TEST(ConfigStore, EveryChangeLeavesOneAuditEntryWithOldAndNewValues) {
  AuditLog audit;
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(&audit));
  std::string text = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "30");
  text = WithValue(text, "/rules/steroid-premedication/variants/missing/summary",
                   "\"Add steroid premedication before {{drug}}\"");
  ASSERT_TRUE(store->Replace(text, "dr-lee", ConfigSource::kAdminApi).ok());

  std::vector<AuditEntry> entries = audit.Newest(10);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].time, "2026-11-24T10:15:30Z");
  EXPECT_EQ(entries[0].actor, "dr-lee");
  EXPECT_EQ(entries[0].source, "admin-api");
  ASSERT_EQ(entries[0].changes.size(), 2u);
  EXPECT_EQ(entries[0].changes[0].path, "thresholds.prolongedDays");
  EXPECT_EQ(entries[0].changes[0].old_json, "21");
  EXPECT_EQ(entries[0].changes[0].new_json, "30");
  EXPECT_EQ(entries[0].changes[1].path, "rules.steroid-premedication.variants.missing.summary");
  EXPECT_EQ(entries[0].changes[1].new_json, "\"Add steroid premedication before {{drug}}\"");
}

TEST(ConfigStore, AdminChangesArePersistedAndFileChangesAreNot) {
  TempDir dir;
  const std::string path = dir.File("config.json");
  WriteFileForTest(path, DefaultConfigText());
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(nullptr, path));

  std::string from_admin = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "30");
  ASSERT_TRUE(store->Replace(from_admin, "a", ConfigSource::kAdminApi).ok());
  EXPECT_EQ(ReadFileForTest(path), from_admin);

  // A reload came from the file itself: writing it back would race the operator's editor.
  std::string from_sighup = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "40");
  ASSERT_TRUE(store->Replace(from_sighup, "system", ConfigSource::kSighup).ok());
  EXPECT_EQ(ReadFileForTest(path), from_admin);
}

TEST(ConfigStore, FailedPersistenceChangesNothing) {
  TempDir dir;
  std::unique_ptr<ConfigStore> store =
      MakeStore(FixedClockOptions(nullptr, dir.File("missing-dir/config.json")));
  std::string text = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "30");
  StatusOr<ConfigStore::ReplaceResult> result = store->Replace(text, "a", ConfigSource::kAdminApi);
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store->version(), 1u);
  EXPECT_EQ(store->Current()->cards.thresholds.prolonged_days, 21);
}

TEST(ConfigStore, ReadersAlwaysSeeAWholeConfigWhileAWriterSwaps) {
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(nullptr));
  // Each version sets two fields to the same number; a torn read would see them differ.
  auto text_for = [](int n) {
    std::string text =
        WithValue(DefaultConfigText(), "/thresholds/prolongedDays", std::to_string(n));
    return WithValue(text, "/thresholds/highDoseDays", std::to_string(n));
  };
  ASSERT_TRUE(store->Replace(text_for(22), "w", ConfigSource::kAdminApi).ok());
  std::vector<std::string> texts;
  for (int n = 23; n <= 60; ++n) texts.push_back(text_for(n));

  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      uint64_t last_version = 0;
      while (!done.load()) {
        uint64_t version = store->version();
        std::shared_ptr<const ServiceConfig> config = store->Current();
        const cards::Thresholds& t = config->cards.thresholds;
        if (t.prolonged_days != t.high_dose_days) ++torn;
        if (version < last_version) ++torn;  // versions never go back
        last_version = version;
        ++reads;
      }
    });
  }
  for (const std::string& text : texts) {
    ASSERT_TRUE(store->Replace(text, "w", ConfigSource::kAdminApi).ok());
  }
  done.store(true);
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(store->version(), 2u + texts.size());
  EXPECT_EQ(store->Current()->cards.thresholds.prolonged_days, 60);
}

TEST(ConfigStore, ConcurrentWritersAreSerialized) {
  AuditLog audit(1000);
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(&audit));
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 10; ++i) {
        int days = 22 + w * 10 + i;  // every write is a distinct value: always a change
        std::string text =
            WithValue(DefaultConfigText(), "/thresholds/prolongedDays", std::to_string(days));
        EXPECT_TRUE(store->Replace(text, "w", ConfigSource::kAdminApi).ok());
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(store->version(), 41u);
  EXPECT_EQ(audit.Newest(1000).size(), 40u);
}

TEST(ConfigStore, ChangeListenerGetsTheCurrentConfigThenEverySwap) {
  std::unique_ptr<ConfigStore> store = MakeStore(FixedClockOptions(nullptr));
  std::vector<int> seen;
  store->OnChange([&seen](std::shared_ptr<const ServiceConfig> config) {
    seen.push_back(config->cards.thresholds.prolonged_days);
  });
  std::string text = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "30");
  ASSERT_TRUE(store->Replace(text, "a", ConfigSource::kAdminApi).ok());
  ASSERT_TRUE(store->Replace(text, "a", ConfigSource::kAdminApi).ok());  // no change: no call
  EXPECT_FALSE(store->Replace("{", "a", ConfigSource::kAdminApi).ok());  // invalid: no call
  EXPECT_EQ(seen, (std::vector<int>{21, 30}));
}

TEST(ConfigStore, ProblemsAreSplitIntoPathAndMessage) {
  Status status = InvalidArgumentError(
      "thresholds.prolongedDays: must be between 1 and 365, got 0\n"
      "rules.foo: unknown rule\n"
      "malformed json at offset 3: missing a name");
  std::vector<ConfigProblem> problems = ProblemsFromStatus(status);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].path, "thresholds.prolongedDays");
  EXPECT_EQ(problems[0].message, "must be between 1 and 365, got 0");
  EXPECT_EQ(problems[1].path, "rules.foo");
  EXPECT_EQ(problems[2].path, "");
  EXPECT_EQ(problems[2].message, "malformed json at offset 3: missing a name");
}

TEST(ConfigStore, SourcesAreSpelledAsInTheAuditTrail) {
  EXPECT_EQ(ConfigSourceName(ConfigSource::kStartup), "startup");
  EXPECT_EQ(ConfigSourceName(ConfigSource::kAdminApi), "admin-api");
  EXPECT_EQ(ConfigSourceName(ConfigSource::kSighup), "sighup");
  EXPECT_EQ(ConfigSourceName(ConfigSource::kFileWatch), "file-watch");
}

}  // namespace
}  // namespace steroid_advisor::plugin
