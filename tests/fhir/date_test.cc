// FHIR date and dateTime at day resolution: every form, partial dates, leap years, impossible
// dates, time zones (dropped, the written day counts), garbage, month arithmetic and formatting.
#include "fhir/date.h"

#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace steroid_advisor::fhir {
namespace {

struct DateCase {
  std::string text;
  std::string day;  // FormatDay of the parsed day
};

TEST(ParseFhirDate, ReadsEveryForm) {
  const std::vector<DateCase> cases = {
      {"2026", "2026-01-01"},
      {"2026-11", "2026-11-01"},
      {"2026-11-24", "2026-11-24"},
      {"2026-11-24T08:30:00Z", "2026-11-24"},
      {"2026-11-24T08:30:00+01:00", "2026-11-24"},
      {"2026-11-24T08:30:00-05:00", "2026-11-24"},
      {"2026-11-24T08:30:00.5Z", "2026-11-24"},
      {"2026-11-24T08:30:00.123456789+14:00", "2026-11-24"},
      {"2026-11-24T08:30Z", "2026-11-24"},     // seconds left out: tolerated
      {"2026-11-24T08:30:00", "2026-11-24"},   // zone left out: tolerated
      {"2026-11-24T23:59:60Z", "2026-11-24"},  // leap second
      {"0001-01-01", "0001-01-01"},
      {"9999-12-31", "9999-12-31"},
      {"1970-01-01", "1970-01-01"},
      {"1969-12-31", "1969-12-31"},
  };
  for (const DateCase& c : cases) {
    SCOPED_TRACE(c.text);
    std::optional<Day> day = ParseFhirDate(c.text);
    ASSERT_TRUE(day.has_value());
    EXPECT_EQ(FormatDay(*day), c.day);
  }
}

TEST(ParseFhirDate, TimeZoneDoesNotMoveTheWrittenDay) {
  // 23:30 at -05:00 is already the 25th in UTC; the rules reason about the day as written.
  EXPECT_EQ(ParseFhirDate("2026-11-24T23:30:00-05:00"), ParseFhirDate("2026-11-24"));
  EXPECT_EQ(ParseFhirDate("2026-11-24T00:30:00+09:00"), ParseFhirDate("2026-11-24"));
}

TEST(ParseFhirDate, EpochIsDayZero) {
  EXPECT_EQ(ParseFhirDate("1970-01-01"), 0);
  EXPECT_EQ(ParseFhirDate("1970-01-02"), 1);
  EXPECT_EQ(ParseFhirDate("1969-12-31"), -1);
  EXPECT_EQ(ParseFhirDate("2000-03-01"), 11017);
}

TEST(ParseFhirDate, DifferencesAreWholeDays) {
  EXPECT_EQ(*ParseFhirDate("2026-11-29") - *ParseFhirDate("2026-11-25"), 4);
  EXPECT_EQ(*ParseFhirDate("2027-01-01") - *ParseFhirDate("2026-12-31"), 1);
  EXPECT_EQ(*ParseFhirDate("2025-01-01") - *ParseFhirDate("2024-01-01"), 366);
}

struct LeapCase {
  std::string text;
  bool valid;
};

TEST(ParseFhirDate, KnowsLeapYears) {
  const std::vector<LeapCase> cases = {
      {"2024-02-29", true},  {"2023-02-29", false}, {"2000-02-29", true},  {"1900-02-29", false},
      {"2100-02-29", false}, {"2400-02-29", true},  {"2024-02-30", false}, {"2023-02-28", true},
  };
  for (const LeapCase& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(ParseFhirDate(c.text).has_value(), c.valid);
  }
}

TEST(ParseFhirDate, RejectsImpossibleDatesAndTimes) {
  const std::vector<std::string> texts = {
      "2026-00-10",
      "2026-13-01",
      "2026-11-00",
      "2026-11-31",
      "2026-04-31",
      "2026-06-31",
      "2026-09-31",
      "2026-01-32",
      "0000-01-01",
      "2026-00",
      "2026-13",
      "2026-11-24T24:00:00Z",  // FHIR time is 00..23
      "2026-11-24T25:00:00Z",
      "2026-11-24T10:60:00Z",
      "2026-11-24T10:00:61Z",
      "2026-11-24T10:00:00+15:00",
      "2026-11-24T10:00:00+05:60",
  };
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseFhirDate(text).has_value());
  }
}

TEST(ParseFhirDate, RejectsGarbage) {
  const std::vector<std::string> texts = {
      "",
      "today",
      "26-11-24",
      "2026/11/24",
      "2026-1-24",
      "2026-11-4",
      "2026-11-24 08:30:00",
      " 2026-11-24",
      "2026-11-24 ",
      "2026-11-24T",
      "2026-11-24T8:30:00Z",
      "2026-11-24T08:30:00.Z",
      "2026-11-24T08:30:00ZZ",
      "2026-11-24T08:30:00+0100",
      "2026-11-24T08:30:00+01",
      "2026-11-24X08:30:00Z",
      "2026-11-24-",
      "20261124",
      "2026-",
      "2026-11-",
      "2026-11-2",
      "-2026-11-24",
      "+2026-11-24",
      "12026-11-24",
      "2026-11-24T08:30:00+01:00trailing",
      std::string("2026-11-24\0", 11),
      "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96",  // full-width digits
  };
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseFhirDate(text).has_value());
  }
}

TEST(FormatDay, RoundTripsEveryDayOverFourHundredYears) {
  // One full Gregorian cycle, starting before the epoch.
  const Day first = *ParseFhirDate("1900-01-01");
  const Day last = *ParseFhirDate("2300-01-01");
  for (Day day = first; day < last; ++day) {
    std::optional<Day> parsed = ParseFhirDate(FormatDay(day));
    ASSERT_TRUE(parsed.has_value()) << day;
    ASSERT_EQ(*parsed, day) << FormatDay(day);
  }
}

TEST(FormatDay, RoundTripsTheEndsOfTheFhirRange) {
  for (std::string text : {"0001-01-01", "9999-12-31", "1600-02-29"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(FormatDay(*ParseFhirDate(text)), text);
  }
}

TEST(FormatDay, DoesNotOverflowAtTheEndsOfTheDayType) {
  // Not dates anyone writes, but a Day is a plain integer and must format without UB.
  EXPECT_FALSE(FormatDay(std::numeric_limits<Day>::max()).empty());
  EXPECT_FALSE(FormatDay(std::numeric_limits<Day>::min()).empty());
}

TEST(DayFromCivil, AgreesWithTheParser) {
  EXPECT_EQ(DayFromCivil(2026, 11, 24), *ParseFhirDate("2026-11-24"));
  EXPECT_EQ(DayFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DayFromCivil(2024, 2, 29) + 1, DayFromCivil(2024, 3, 1));
}

struct MonthsCase {
  std::string from;
  int months;
  std::string to;
};

TEST(AddMonths, KeepsTheDayOfMonthOrClampsToTheMonthEnd) {
  const std::vector<MonthsCase> cases = {
      {"2026-11-24", 12, "2027-11-24"}, {"2026-11-24", -12, "2025-11-24"},
      {"2026-11-24", 0, "2026-11-24"},  {"2026-11-24", 2, "2027-01-24"},
      {"2026-01-24", -1, "2025-12-24"}, {"2026-03-31", -1, "2026-02-28"},
      {"2024-03-31", -1, "2024-02-29"}, {"2026-01-31", 1, "2026-02-28"},
      {"2024-01-31", 1, "2024-02-29"},  {"2026-01-31", 3, "2026-04-30"},
      {"2024-02-29", 12, "2025-02-28"}, {"2024-02-29", 48, "2028-02-29"},
      {"2026-12-31", 1, "2027-01-31"},  {"2026-11-24", -120, "2016-11-24"},
      {"0001-03-15", -2, "0001-01-15"},
  };
  for (const MonthsCase& c : cases) {
    SCOPED_TRACE(c.from + " + " + std::to_string(c.months));
    EXPECT_EQ(FormatDay(AddMonths(*ParseFhirDate(c.from), c.months)), c.to);
  }
}

TEST(AddMonths, SaturatesAtTheEndsOfTheFhirYearRange) {
  // Regression: the month index was computed with truncating division, so a total below zero
  // gave month 0 and read DaysInMonth out of bounds; huge counts overflowed int.
  const std::vector<MonthsCase> cases = {
      {"0001-01-15", -1, "0001-01-01"},
      {"0001-01-15", -13, "0001-01-01"},
      {"9999-12-15", 1, "9999-12-31"},
      {"2026-11-24", std::numeric_limits<int>::max(), "9999-12-31"},
      {"2026-11-24", std::numeric_limits<int>::min(), "0001-01-01"},
      {"2026-11-24", 1 << 30, "9999-12-31"},
  };
  for (const MonthsCase& c : cases) {
    SCOPED_TRACE(c.from + " + " + std::to_string(c.months));
    EXPECT_EQ(FormatDay(AddMonths(*ParseFhirDate(c.from), c.months)), c.to);
  }
}

TEST(AddMonths, DaysOutsideTheFhirRangeSaturate) {
  EXPECT_EQ(FormatDay(AddMonths(std::numeric_limits<Day>::max(), -1)), "9999-12-31");
  EXPECT_EQ(FormatDay(AddMonths(std::numeric_limits<Day>::min(), 1)), "0001-01-01");
}

}  // namespace
}  // namespace steroid_advisor::fhir
