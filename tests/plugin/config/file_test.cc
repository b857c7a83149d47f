// Tests for the config file on disk: bounded reads, atomic replacement, change identity.
#include "plugin/config/file.h"

#include <dirent.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/plugin/config/config_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using testing::ReadFileForTest;
using testing::TempDir;
using testing::WriteFileForTest;

std::vector<std::string> Names(const std::string& directory) {
  std::vector<std::string> names;
  DIR* dir = ::opendir(directory.c_str());
  while (dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(dir);
  return names;
}

TEST(ConfigFile, ReadsAWholeFile) {
  TempDir dir;
  WriteFileForTest(dir.File("c.json"), "{\"a\": 1}\n");
  StatusOr<std::string> text = ReadConfigFile(dir.File("c.json"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "{\"a\": 1}\n");
}

TEST(ConfigFile, ReadRefusesMissingAndOversizedFiles) {
  TempDir dir;
  EXPECT_EQ(ReadConfigFile(dir.File("missing.json")).status().code(), StatusCode::kNotFound);
  WriteFileForTest(dir.File("big.json"), std::string(2000, ' '));
  EXPECT_EQ(ReadConfigFile(dir.File("big.json"), 1000).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(ConfigFile, AtomicWriteReplacesContentsWithANewInodeAndLeavesNoTempFile) {
  TempDir dir;
  const std::string path = dir.File("config.json");
  WriteFileForTest(path, "old");
  ::chmod(path.c_str(), 0640);
  std::optional<FileIdentity> before = StatFile(path);
  ASSERT_TRUE(before.has_value());

  ASSERT_TRUE(WriteFileAtomically(path, "{\"new\": true}").ok());

  EXPECT_EQ(ReadFileForTest(path), "{\"new\": true}");
  std::optional<FileIdentity> after = StatFile(path);
  ASSERT_TRUE(after.has_value());
  // A new inode is what rename-over gives: readers holding the old file keep a whole old file.
  EXPECT_NE(after->inode, before->inode);
  EXPECT_NE(*after, *before);
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0640u);
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"config.json"});
}

TEST(ConfigFile, AtomicWriteCreatesAMissingFilePrivately) {
  TempDir dir;
  const std::string path = dir.File("new.json");
  ASSERT_TRUE(WriteFileAtomically(path, "{}").ok());
  EXPECT_EQ(ReadFileForTest(path), "{}");
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(ConfigFile, AtomicWriteIntoAMissingDirectoryFailsCleanly) {
  TempDir dir;
  Status status = WriteFileAtomically(dir.File("no/such/dir/config.json"), "{}");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
}

TEST(ConfigFile, IdentityChangesWithSizeAndIsAbsentForMissingFiles) {
  TempDir dir;
  const std::string path = dir.File("c.json");
  EXPECT_FALSE(StatFile(path).has_value());
  WriteFileForTest(path, "{}");
  std::optional<FileIdentity> first = StatFile(path);
  WriteFileForTest(path, "{ }");
  std::optional<FileIdentity> second = StatFile(path);
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_NE(*first, *second);
  EXPECT_EQ(*second, *StatFile(path));
}

TEST(ConfigFile, AuditLogLivesNextToTheConfig) {
  EXPECT_EQ(DefaultAuditLogPath("/etc/steroid-advisor/config.json"),
            "/etc/steroid-advisor/config.json.audit.jsonl");
}

}  // namespace
}  // namespace steroid_advisor::plugin
