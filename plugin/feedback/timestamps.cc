#include "plugin/feedback/timestamps.h"

#include <chrono>
#include <cstdio>

#include "fhir/date.h"

namespace steroid_advisor::plugin {
namespace {

// Reads exactly `width` digits at text[pos]; nullopt otherwise.
std::optional<int> Digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Year, month and day of a day count (Howard Hinnant's civil_from_days).
void CivilFromDays(int64_t z, int& year, int& month, int& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

}  // namespace

bool IsDateOnly(std::string_view text) {
  return text.size() == 10 && fhir::ParseFhirDate(text).has_value();
}

std::optional<int64_t> ParseInstantMs(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  std::optional<fhir::Day> day = fhir::ParseFhirDate(text.substr(0, 10));
  if (!day.has_value() || text[4] != '-' || text[7] != '-') return std::nullopt;
  int64_t ms = static_cast<int64_t>(*day) * kMillisPerDay;
  if (text.size() == 10) return ms;
  if (text[10] != 'T') return std::nullopt;
  std::optional<int> hour = Digits(text, 11, 2);
  std::optional<int> minute = Digits(text, 14, 2);
  if (!hour || !minute || text.size() < 16 || text[13] != ':' || *hour > 23 || *minute > 59) {
    return std::nullopt;
  }
  ms += (*hour * 3600 + *minute * 60) * 1000LL;
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    std::optional<int> second = Digits(text, pos + 1, 2);
    if (!second || *second > 60) return std::nullopt;
    ms += *second * 1000LL;
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int64_t fraction = 0;
      int scale = 100;
      size_t start = pos;
      for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
        fraction += (text[pos] - '0') * scale;
        scale /= 10;
      }
      if (pos == start) return std::nullopt;
      ms += fraction;
    }
  }
  if (pos == text.size()) return ms;  // no zone: UTC
  if (text[pos] == 'Z' && pos + 1 == text.size()) return ms;
  if ((text[pos] == '+' || text[pos] == '-') && pos + 6 == text.size() && text[pos + 3] == ':') {
    std::optional<int> zone_hours = Digits(text, pos + 1, 2);
    std::optional<int> zone_minutes = Digits(text, pos + 4, 2);
    if (!zone_hours || !zone_minutes || *zone_hours > 14 || *zone_minutes > 59) {
      return std::nullopt;
    }
    int64_t offset_ms = (*zone_hours * 3600 + *zone_minutes * 60) * 1000LL;
    return text[pos] == '+' ? ms - offset_ms : ms + offset_ms;
  }
  return std::nullopt;
}

std::string IsoWeek(int64_t days_since_epoch) {
  // 1970-01-01 was a Thursday; ISO weeks start on Monday and belong to the year of their
  // Thursday.
  int64_t weekday = ((days_since_epoch + 3) % 7 + 7) % 7;  // Monday 0 .. Sunday 6
  int64_t thursday = days_since_epoch - weekday + 3;
  int year = 0;
  int month = 0;
  int day = 0;
  CivilFromDays(thursday, year, month, day);
  int64_t week = (thursday - fhir::DayFromCivil(year, 1, 1)) / 7 + 1;
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-W%02d", year, static_cast<int>(week));
  return text;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace steroid_advisor::plugin
