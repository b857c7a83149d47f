// Tests for the audit trail: entries as JSON Lines, newest first, surviving a restart.
#include "plugin/config/audit_log.h"

#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "plugin/config/diff.h"
#include "tests/plugin/config/config_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using testing::ReadFileForTest;
using testing::TempDir;
using testing::WriteFileForTest;

AuditEntry Entry(std::string actor, std::string path) {
  AuditEntry entry;
  entry.time = "2026-11-24T10:00:00Z";
  entry.actor = std::move(actor);
  entry.source = "admin-api";
  entry.changes.push_back({std::move(path), "21", "30"});
  return entry;
}

TEST(AuditLog, FormatsTimeAsUtcIso) {
  // 2026-11-24T10:15:30Z is 1795515330 seconds after the epoch.
  EXPECT_EQ(FormatUtcTime(std::chrono::system_clock::from_time_t(1795515330)),
            "2026-11-24T10:15:30Z");
}

TEST(AuditLog, EntryRoundTripsThroughOneJsonLine) {
  AuditEntry entry = Entry("dr-lee", "thresholds.prolongedDays");
  entry.changes.push_back({"rules.x.summary", "\"old \\\"text\\\"\"", "null"});
  std::string line = FormatAuditEntry(entry);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  StatusOr<AuditEntry> parsed = ParseAuditEntry(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->time, entry.time);
  EXPECT_EQ(parsed->actor, "dr-lee");
  EXPECT_EQ(parsed->source, "admin-api");
  ASSERT_EQ(parsed->changes.size(), 2u);
  EXPECT_EQ(parsed->changes[0].path, "thresholds.prolongedDays");
  EXPECT_EQ(parsed->changes[0].old_json, "21");
  EXPECT_EQ(parsed->changes[0].new_json, "30");
  EXPECT_EQ(parsed->changes[1].old_json, "\"old \\\"text\\\"\"");
  EXPECT_EQ(parsed->changes[1].new_json, "null");
}

TEST(AuditLog, InMemoryLogReturnsNewestFirstAndKeepsABoundedNumber) {
  AuditLog log(/*max_in_memory=*/3);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log.Append(Entry("a" + std::to_string(i), "p")).ok());
  std::vector<AuditEntry> newest = log.Newest(10);
  ASSERT_EQ(newest.size(), 3u);
  EXPECT_EQ(newest[0].actor, "a4");
  EXPECT_EQ(newest[2].actor, "a2");
  EXPECT_EQ(log.Newest(1).size(), 1u);
}

TEST(AuditLog, FileLogAppendsLinesAndReadsThemBackAfterRestart) {
  TempDir dir;
  const std::string path = dir.File("config.json.audit.jsonl");
  {
    StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(path);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    ASSERT_TRUE((*log)->Append(Entry("first", "a")).ok());
    ASSERT_TRUE((*log)->Append(Entry("second", "b")).ok());
  }
  std::string contents = ReadFileForTest(path);
  EXPECT_EQ(contents, FormatAuditEntry(Entry("first", "a")) + "\n" +
                          FormatAuditEntry(Entry("second", "b")) + "\n");

  StatusOr<std::unique_ptr<AuditLog>> reopened = AuditLog::Open(path);
  ASSERT_TRUE(reopened.ok());
  ASSERT_TRUE((*reopened)->Append(Entry("third", "c")).ok());
  std::vector<AuditEntry> newest = (*reopened)->Newest(10);
  ASSERT_EQ(newest.size(), 3u);
  EXPECT_EQ(newest[0].actor, "third");
  EXPECT_EQ(newest[2].actor, "first");
}

TEST(AuditLog, TornOrForeignLinesAreSkippedOnOpen) {
  TempDir dir;
  const std::string path = dir.File("audit.jsonl");
  WriteFileForTest(path, FormatAuditEntry(Entry("kept", "a")) + "\nnot json\n{\"time\":1}\n" +
                             "{\"time\":\"2026-11-24T");
  StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(path);
  ASSERT_TRUE(log.ok());
  std::vector<AuditEntry> newest = (*log)->Newest(10);
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(newest[0].actor, "kept");
}

TEST(AuditLog, OpenFailsForAnUnwritablePath) {
  TempDir dir;
  StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(dir.File("missing/dir/audit.jsonl"));
  EXPECT_EQ(log.status().code(), StatusCode::kUnavailable);
}

TEST(AuditLog, FormatsEntriesForTheApi) {
  std::string json = FormatAuditEntries({Entry("x", "p")});
  EXPECT_EQ(json.rfind("{\"entries\":[{\"time\":\"2026-11-24T10:00:00Z\",\"actor\":\"x\"", 0), 0u);
}

}  // namespace
}  // namespace steroid_advisor::plugin
