// Alemtuzumab exposure: which record entries count, their dates, the window edges.
#include "cards/exposure.h"

#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::DayOf;

TEST(ExposureWindow, RunsFromTheSameDayMonthsAgoToToday) {
  DayInterval window = ExposureWindow(DayOf("2026-11-24"), 12);
  EXPECT_EQ(window.first, DayOf("2025-11-24"));
  EXPECT_EQ(window.last, DayOf("2026-11-24"));
  EXPECT_EQ(ExposureWindow(DayOf("2026-03-31"), 1).first, DayOf("2026-02-28"));
}

TEST(ExposureDayInWindow, EdgesAreInclusive) {
  DayInterval window = ExposureWindow(DayOf("2026-11-24"), 12);
  struct Case {
    const char* first;
    const char* last;
    std::optional<fhir::Day> day;
  };
  const Case cases[] = {
      {"2025-11-24", "2025-11-24", DayOf("2025-11-24")},  // first day of the window
      {"2025-11-23", "2025-11-23", std::nullopt},         // the day before
      {"2026-11-24", "2026-11-24", DayOf("2026-11-24")},  // today
      {"2026-11-25", "2026-11-25", std::nullopt},         // tomorrow: not yet exposure
      {"2025-11-01", "2025-11-30", DayOf("2025-11-30")},  // a course reaching into the window
      {"2026-11-01", "2027-01-31", DayOf("2026-11-24")},  // ongoing: capped at today
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.first) + ".." + c.last);
    EXPECT_EQ(ExposureDayInWindow(DayInterval{DayOf(c.first), DayOf(c.last)}, window), c.day);
  }
}

TEST(RequestExposureInterval, AuthoredOnToBoundsEndAndEnteredInErrorExcluded) {
  testing::TestRequest request;
  request.UnderReview(
      testing::Alemtuzumab("a").Authored("2026-07-26").Bounds("2026-07-27", "2026-07-31"));
  request.UnderReview(testing::Alemtuzumab("b").Status("entered-in-error"));
  request.UnderReview(testing::OrderBuilder("c").Drug("alemtuzumab"));  // no date at all
  const auto& orders = request.input().under_review;
  std::optional<DayInterval> interval = RequestExposureInterval(orders[0]);
  ASSERT_TRUE(interval.has_value());
  EXPECT_EQ(interval->first, DayOf("2026-07-26"));
  EXPECT_EQ(interval->last, DayOf("2026-07-31"));
  EXPECT_FALSE(RequestExposureInterval(orders[1]).has_value());
  EXPECT_FALSE(RequestExposureInterval(orders[2]).has_value());
}

}  // namespace
}  // namespace steroid_advisor::cards
