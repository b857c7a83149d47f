// Tests for plugin/record/cache.h: expiry on an injected clock, the size bound, token keys.
#include "plugin/record/cache.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace steroid_advisor::plugin {
namespace {

using std::chrono::seconds;

class FakeClock {
 public:
  std::chrono::steady_clock::time_point Now() const { return now_; }
  void Advance(seconds by) { now_ += by; }
  RecordCache::Clock AsClock() {
    return [this] { return Now(); };
  }

 private:
  std::chrono::steady_clock::time_point now_{};
};

std::vector<fhir::SearchPage> OnePage() {
  auto page = std::make_shared<rapidjson::Document>();
  page->SetObject();
  return {page};
}

TEST(RecordCache, ServesAnEntryUntilItsTtlPasses) {
  FakeClock clock;
  RecordCache cache(clock.AsClock());
  cache.Put("k", OnePage(), seconds(5), 10);
  clock.Advance(seconds(4));
  EXPECT_TRUE(cache.Get("k").has_value());
  clock.Advance(seconds(1));
  EXPECT_FALSE(cache.Get("k").has_value());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(RecordCache, ZeroTtlOrZeroEntriesStoresNothing) {
  FakeClock clock;
  RecordCache cache(clock.AsClock());
  cache.Put("a", OnePage(), seconds(0), 10);
  cache.Put("b", OnePage(), seconds(5), 0);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.Get("a").has_value());
}

TEST(RecordCache, FullCacheDropsTheOldestEntry) {
  FakeClock clock;
  RecordCache cache(clock.AsClock());
  for (const char* key : {"a", "b", "c"}) {
    cache.Put(key, OnePage(), seconds(60), 2);
    clock.Advance(seconds(1));
  }
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.Get("a").has_value());
  EXPECT_TRUE(cache.Get("b").has_value());
  EXPECT_TRUE(cache.Get("c").has_value());
}

TEST(RecordCache, PuttingAKeyAgainRefreshesIt) {
  FakeClock clock;
  RecordCache cache(clock.AsClock());
  cache.Put("a", OnePage(), seconds(5), 2);
  cache.Put("b", OnePage(), seconds(5), 2);
  cache.Put("a", OnePage(), seconds(5), 2);  // now the newest
  cache.Put("c", OnePage(), seconds(5), 2);
  EXPECT_TRUE(cache.Get("a").has_value());
  EXPECT_FALSE(cache.Get("b").has_value());
}

TEST(RecordCache, ExpiredEntriesLeaveOnTheNextPut) {
  FakeClock clock;
  RecordCache cache(clock.AsClock());
  cache.Put("a", OnePage(), seconds(5), 100);
  cache.Put("b", OnePage(), seconds(5), 100);
  clock.Advance(seconds(10));
  cache.Put("c", OnePage(), seconds(5), 100);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(RecordCache, KeyDependsOnServerQueryAndTokenButHoldsNoToken) {
  const std::string key = RecordCache::Key("https://h/fhir", "https://h/fhir/X?p=1", "secret");
  EXPECT_EQ(key.find("secret"), std::string::npos);
  EXPECT_NE(key, RecordCache::Key("https://h/fhir", "https://h/fhir/X?p=1", "other"));
  EXPECT_NE(key, RecordCache::Key("https://h/fhir", "https://h/fhir/X?p=2", "secret"));
  EXPECT_NE(key, RecordCache::Key("https://g/fhir", "https://h/fhir/X?p=1", "secret"));
  EXPECT_EQ(key, RecordCache::Key("https://h/fhir", "https://h/fhir/X?p=1", "secret"));
}

}  // namespace
}  // namespace steroid_advisor::plugin
