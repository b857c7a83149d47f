#include "plugin/feedback/timestamps.h"

#include <gtest/gtest.h>

#include "plugin/feedback/summary_json.h"

namespace steroid_advisor::plugin {
namespace {

TEST(ParseInstantMs, ReadsDatesAndDateTimesWithZones) {
  struct Case {
    const char* text;
    int64_t ms;
  };
  const Case kCases[] = {
      {"1970-01-01", 0},
      {"2026-11-24", 1'795'478'400'000},
      {"2026-11-24T10:00:00Z", 1'795'514'400'000},
      {"2026-11-24T10:00:00.250Z", 1'795'514'400'250},
      {"2026-11-24T12:00:00+02:00", 1'795'514'400'000},
      {"2026-11-24T05:00:00-05:00", 1'795'514'400'000},
      {"2026-11-24T10:00", 1'795'514'400'000},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    std::optional<int64_t> ms = ParseInstantMs(c.text);
    ASSERT_TRUE(ms.has_value());
    EXPECT_EQ(*ms, c.ms);
  }
}

TEST(ParseInstantMs, RefusesWhatIsNotAnInstant) {
  for (const char* text : {"", "yesterday", "2026-13-01", "2026-02-30", "2026-11-24T25:00:00Z",
                           "2026-11-24 10:00:00", "2026-11-24T10:00:00+0200", "2026-11"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseInstantMs(text).has_value());
  }
}

TEST(IsoWeek, FollowsIso8601AcrossYearBoundaries) {
  struct Case {
    const char* date;
    const char* week;
  };
  const Case kCases[] = {
      {"2026-11-24", "2026-W48"}, {"2026-11-30", "2026-W49"}, {"2026-01-01", "2026-W01"},
      {"2025-12-29", "2026-W01"}, {"2027-01-01", "2026-W53"}, {"2021-01-03", "2020-W53"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.date);
    EXPECT_EQ(IsoWeek(*ParseInstantMs(c.date) / kMillisPerDay), c.week);
  }
}

TEST(FormatInstantMs, WritesUtcWithMilliseconds) {
  EXPECT_EQ(FormatInstantMs(1'795'514'400'250), "2026-11-24T10:00:00.250Z");
}

}  // namespace
}  // namespace steroid_advisor::plugin
