#include "plugin/hooks/uuid.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <thread>

namespace steroid_advisor::plugin {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The 48-bit millisecond timestamp of a version 7 uuid's first 12 hex digits.
int64_t TimestampMs(const std::string& uuid) {
  std::string hex = uuid.substr(0, 8) + uuid.substr(9, 4);
  return static_cast<int64_t>(std::stoull(hex, nullptr, 16));
}

TEST(Uuid, IsVersion7WithTheRfcVariant) {
  for (int i = 0; i < 1000; ++i) {
    std::string uuid = NewUuidV7();
    ASSERT_TRUE(IsUuid(uuid)) << uuid;
    EXPECT_EQ(uuid[14], '7') << uuid;
    EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos) << uuid;
    EXPECT_EQ(uuid.find_first_of("ABCDEF"), std::string::npos) << uuid;
  }
}

TEST(Uuid, CarriesTheMillisecondItWasMade) {
  int64_t before = NowMs();
  std::string uuid = NewUuidV7();
  int64_t after = NowMs();
  EXPECT_GE(TimestampMs(uuid), before);
  EXPECT_LE(TimestampMs(uuid), after);
}

TEST(Uuid, SortsByTimeAcrossMilliseconds) {
  // What the feedback store's index relies on: a later uuid sorts after an earlier one as text.
  std::string earlier = NewUuidV7();
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  std::string later = NewUuidV7();
  EXPECT_LT(earlier, later);
}

TEST(Uuid, ManyInOneMillisecondAreAllDifferent) {
  std::set<std::string> seen;
  for (int i = 0; i < 100000; ++i) seen.insert(NewUuidV7());
  EXPECT_EQ(seen.size(), 100000u);
}

TEST(Uuid, RecognisesTheTextualFormOnly) {
  EXPECT_TRUE(IsUuid("0190a6b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b"));
  EXPECT_TRUE(IsUuid("0190A6B2-3C4D-7E5F-8A9B-0C1D2E3F4A5B"));
  EXPECT_FALSE(IsUuid("0190a6b23c4d7e5f8a9b0c1d2e3f4a5b"));
  EXPECT_FALSE(IsUuid("0190a6b2-3c4d-7e5f-8a9b-0c1d2e3f4a5g"));
  EXPECT_FALSE(IsUuid("urn:uuid:0190a6b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b"));
  EXPECT_FALSE(IsUuid(""));
}

}  // namespace
}  // namespace steroid_advisor::plugin
