// FHIR R4 date and dateTime at day resolution: the rules reason in whole days.
// A Day is a count of days since 1970-01-01 (proleptic Gregorian), so differences are plain
// subtraction. Time of day and time zone are dropped: "2026-11-24T23:30:00-05:00" is 2026-11-24.
// Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_FHIR_DATE_H_
#define STEROID_ADVISOR_FHIR_DATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace steroid_advisor::fhir {

using Day = int32_t;

// Days since 1970-01-01 of a calendar date; the date must be valid (checked by the parser).
Day DayFromCivil(int year, int month, int day);

// Parses FHIR `date` (YYYY, YYYY-MM, YYYY-MM-DD) and `dateTime` (YYYY-MM-DDThh:mm:ss[.f][Z|+hh:mm]).
// Partial dates resolve to their first day (2026-11 -> 2026-11-01). nullopt when the text is
// not one of those forms or names an impossible date (2026-02-30).
std::optional<Day> ParseFhirDate(std::string_view text);

// "YYYY-MM-DD".
std::string FormatDay(Day day);

// The same day of the month `months` later (negative: earlier), clamped to the month's end
// (2026-03-31 minus 1 month is 2026-02-28). Results outside FHIR's years saturate at
// 0001-01-01 and 9999-12-31.
Day AddMonths(Day day, int months);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_DATE_H_
