#include "fhir/date.h"

#include <cstdio>

namespace steroid_advisor::fhir {
namespace {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Reads exactly `width` digits at `pos`; false if any is not a digit.
bool ReadDigits(std::string_view text, size_t pos, size_t width, int* out) {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

// Checks the time part of a dateTime after 'T': hh:mm[:ss[.f+]] then Z or +hh:mm / -hh:mm.
bool IsValidTimePart(std::string_view time) {
  int hour = 0, minute = 0, second = 0;
  if (!ReadDigits(time, 0, 2, &hour) || time.size() < 5 || time[2] != ':' ||
      !ReadDigits(time, 3, 2, &minute)) {
    return false;
  }
  size_t pos = 5;
  if (pos < time.size() && time[pos] == ':') {
    if (!ReadDigits(time, pos + 1, 2, &second)) return false;
    pos += 3;
    if (pos < time.size() && time[pos] == '.') {
      ++pos;
      size_t digits = 0;
      while (pos < time.size() && time[pos] >= '0' && time[pos] <= '9') ++pos, ++digits;
      if (digits == 0) return false;
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return false;  // 60: a leap second
  if (pos == time.size()) return true;  // FHIR requires a zone, but tolerate its absence
  if (time[pos] == 'Z') return pos + 1 == time.size();
  if (time[pos] != '+' && time[pos] != '-') return false;
  int zone_hour = 0, zone_minute = 0;
  return time.size() == pos + 6 && ReadDigits(time, pos + 1, 2, &zone_hour) &&
         time[pos + 3] == ':' && ReadDigits(time, pos + 4, 2, &zone_minute) && zone_hour <= 14 &&
         zone_minute <= 59;
}

}  // namespace

// Howard Hinnant's days_from_civil.
Day DayFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Day>(era * 146097 + static_cast<int>(doe) - 719468);
}

namespace {

// Inverse of DayFromCivil. Works in 64 bits so every Day, even one far outside FHIR's years,
// converts without overflow.
void CivilFromDay(Day day, int64_t* year, int* month, int* day_of_month) {
  const int64_t z = static_cast<int64_t>(day) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day_of_month = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = y + (*month <= 2);
}

// FHIR years are 0001-9999; month arithmetic saturates there.
constexpr int kFirstYear = 1;
constexpr int kLastYear = 9999;

}  // namespace

std::optional<Day> ParseFhirDate(std::string_view text) {
  int year = 0, month = 1, day = 1;
  if (!ReadDigits(text, 0, 4, &year) || year < 1) return std::nullopt;
  if (text.size() == 4) return DayFromCivil(year, 1, 1);
  if (text[4] != '-' || !ReadDigits(text, 5, 2, &month) || month < 1 || month > 12) {
    return std::nullopt;
  }
  if (text.size() == 7) return DayFromCivil(year, month, 1);
  if (text.size() < 10 || text[7] != '-' || !ReadDigits(text, 8, 2, &day) || day < 1 ||
      day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  if (text.size() > 10) {
    if (text[10] != 'T' || !IsValidTimePart(text.substr(11))) return std::nullopt;
  }
  return DayFromCivil(year, month, day);
}

std::string FormatDay(Day day) {
  int64_t y = 0;
  int m = 0, d = 0;
  CivilFromDay(day, &y, &m, &d);
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02d-%02d", static_cast<long long>(y), m, d);
  return buffer;
}

Day AddMonths(Day day, int months) {
  int64_t y = 0;
  int m = 0, d = 0;
  CivilFromDay(day, &y, &m, &d);
  // Months since year 0 in 64 bits (no overflow for any Day or `months`). Saturating first keeps
  // the total positive, where / and % give a valid month; a negative total used to index
  // DaysInMonth out of bounds.
  int64_t total = y * 12 + (m - 1) + static_cast<int64_t>(months);
  if (total < int64_t{kFirstYear} * 12) return DayFromCivil(kFirstYear, 1, 1);
  if (total > int64_t{kLastYear} * 12 + 11) return DayFromCivil(kLastYear, 12, 31);
  const int new_year = static_cast<int>(total / 12);
  const int new_month = static_cast<int>(total % 12) + 1;
  const int new_day = d < DaysInMonth(new_year, new_month) ? d : DaysInMonth(new_year, new_month);
  return DayFromCivil(new_year, new_month, new_day);
}

}  // namespace steroid_advisor::fhir
