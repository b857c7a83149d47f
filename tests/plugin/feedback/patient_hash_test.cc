#include "plugin/feedback/patient_hash.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <thread>
#include <vector>

#include "tests/plugin/feedback/store_test_util.h"

namespace steroid_advisor::plugin {
namespace {

TEST(PatientHasher, MatchesHmacSha256) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(PatientHasher("Jefe").Hash("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(PatientHasher, EveryHashStartsFromTheKeyNotFromThePreviousHash) {
  // The keyed context is copied per hash; were it updated in place, the second hash would differ.
  PatientHasher hasher("Jefe");
  EXPECT_EQ(hasher.Hash("what do ya want for nothing?"),
            hasher.Hash("what do ya want for nothing?"));
  PatientHasher copy = hasher;
  EXPECT_EQ(copy.Hash("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(PatientHasher, CopiesHashFromManyThreadsAlike) {
  const PatientHasher hasher("a-test-key-that-is-long-enough-for-hmac");
  const std::string expected = hasher.Hash("patient-123");
  std::vector<std::string> seen(4);
  std::vector<std::thread> threads;
  for (std::string& result : seen) {
    threads.emplace_back([&hasher, &result] {
      for (int i = 0; i < 200; ++i) result = hasher.Hash("patient-123");
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : seen) EXPECT_EQ(result, expected);
}

TEST(PatientHasher, AnEmptyKeyStillHashes) {
  // The recorder's default options carry an empty key (tests); HMAC with an empty key is defined.
  EXPECT_EQ(PatientHasher("").Hash("").size(), 64u);
}

TEST(PatientHasher, KeyFileIsCreatedOnceWithOwnerOnlyAccess) {
  TempDir dir;
  StatusOr<PatientHasher> first = PatientHasher::FromEnvOrDataDir(nullptr, dir.path());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  struct stat info;
  ASSERT_EQ(stat((dir.path() + "/" + kPatientHashKeyFileName).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  StatusOr<PatientHasher> second = PatientHasher::FromEnvOrDataDir(nullptr, dir.path());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->Hash("patient-1"), second->Hash("patient-1"));
  EXPECT_NE(first->Hash("patient-1"), first->Hash("patient-2"));
}

TEST(PatientHasher, ShortKeyFromTheEnvironmentIsRefused) {
  TempDir dir;
  EXPECT_EQ(PatientHasher::FromEnvOrDataDir("short", dir.path()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(PatientHasher, KeyFromTheEnvironmentWinsOverTheFile) {
  TempDir dir;
  std::string key(40, 'k');
  StatusOr<PatientHasher> hasher = PatientHasher::FromEnvOrDataDir(key.c_str(), dir.path());
  ASSERT_TRUE(hasher.ok());
  EXPECT_EQ(hasher->Hash("p"), PatientHasher(key).Hash("p"));
}

}  // namespace
}  // namespace steroid_advisor::plugin
