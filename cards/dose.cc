#include "cards/dose.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include "cards/text_match.h"
#include "fhir/quantity.h"

namespace steroid_advisor::cards {
namespace {

// HL7 v3 GTSAbbreviation codes and common variants, as administrations per day.
struct TimingCode {
  std::string_view code;  // lower-case
  double per_day;
};
constexpr TimingCode kTimingCodes[] = {
    {"qd", 1},  {"od", 1},    {"am", 1},  {"pm", 1},  {"bid", 2}, {"tid", 3},
    {"qid", 4}, {"qod", 0.5}, {"q4h", 6}, {"q6h", 4}, {"q8h", 3}, {"q12h", 2},
};

struct TextCount {
  std::string_view words;  // lower-case, matched as whole words
  double count;
};
// Most specific first: "once" must not win over "three times".
constexpr TextCount kTextCounts[] = {
    {"four times", 4}, {"4 times", 4}, {"qid", 4},       {"three times", 3}, {"3 times", 3},
    {"tid", 3},        {"twice", 2},   {"two times", 2}, {"2 times", 2},     {"bid", 2},
    {"once", 1},       {"1 time", 1},  {"qd", 1},        {"daily", 1},       {"weekly", 1},
};
// How many days the counted administrations are spread over; a day unless the text says more.
constexpr TextCount kTextDays[] = {
    {"weekly", 7}, {"week", 7}, {"every other day", 2}, {"alternate days", 2}, {"qod", 2},
};

std::optional<double> FromRepeat(const fhir::TimingRepeat& repeat) {
  std::optional<double> per_day;
  auto consider = [&per_day](double value) {
    if (value > 0) per_day = std::max(per_day.value_or(0), value);
  };
  if (repeat.frequency || repeat.frequency_max) {
    double frequency = std::max(repeat.frequency.value_or(0), repeat.frequency_max.value_or(0));
    double period = repeat.period.value_or(1);
    // A frequency with neither period nor unit is read per day; a period without a unit is not
    // readable.
    std::string_view unit = repeat.period_unit;
    if (unit.empty() && !repeat.period) unit = "d";
    std::optional<double> days_per_unit = fhir::DaysPerTimeUnit(unit);
    if (days_per_unit && period > 0) consider(frequency / (period * *days_per_unit));
  }
  if (repeat.time_of_day_count > 0) consider(repeat.time_of_day_count);
  if (repeat.when_count > 0) consider(repeat.when_count);
  return per_day;
}

std::optional<double> FromTimingCode(const fhir::CodeableConcept& code) {
  std::string words = LowerAscii(code.text);
  for (const fhir::Coding& coding : code.coding) {
    words.push_back(' ');
    AppendLowerAscii(coding.code, words);
  }
  for (const TimingCode& known : kTimingCodes) {
    if (ContainsWord(words, known.code)) return known.per_day;
  }
  return std::nullopt;
}

std::optional<double> FromText(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string lower = LowerAscii(text);
  std::optional<double> count;
  for (const TextCount& known : kTextCounts) {
    if (ContainsWord(lower, known.words)) {
      count = known.count;
      break;
    }
  }
  if (!count) return std::nullopt;
  for (const TextCount& known : kTextDays) {
    if (ContainsWord(lower, known.words)) return *count / known.count;
  }
  return count;
}

}  // namespace

std::optional<double> DoseMg(const fhir::Dosage& dosage, const std::optional<Strength>& strength) {
  const std::optional<fhir::Quantity>& chosen =
      dosage.dose_quantity
          ? dosage.dose_quantity
          : (dosage.dose_range_high ? dosage.dose_range_high : dosage.dose_range_low);
  if (!chosen) return std::nullopt;
  std::optional<double> mg = DoseInMg(*chosen, strength);
  if (!mg || *mg <= 0) return std::nullopt;
  return mg;
}

std::optional<double> DosesPerDay(const fhir::Dosage& dosage) {
  const std::optional<fhir::Timing>& timing = dosage.timing;
  if (timing && timing->repeat) {
    if (std::optional<double> per_day = FromRepeat(*timing->repeat)) return per_day;
  }
  if (timing && timing->code) {
    if (std::optional<double> per_day = FromTimingCode(*timing->code)) return per_day;
  }
  if (timing && timing->repeat && timing->repeat->count == 1.0) return 1.0;
  if (std::optional<double> per_day = FromText(dosage.text)) return per_day;
  if (timing && !timing->events.empty()) {
    std::set<fhir::Day> days(timing->events.begin(), timing->events.end());
    return static_cast<double>(timing->events.size()) / static_cast<double>(days.size());
  }
  return std::nullopt;
}

std::optional<double> PrednisoneEquivalentDailyMg(double dose_mg, double doses_per_day,
                                                  const Ingredient* ingredient) {
  if (ingredient == nullptr || !ingredient->prednisone_equivalent_mg) return std::nullopt;
  return dose_mg * doses_per_day * 5.0 / *ingredient->prednisone_equivalent_mg;
}

}  // namespace steroid_advisor::cards
