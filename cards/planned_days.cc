#include "cards/planned_days.h"

#include <algorithm>
#include <cmath>

#include "cards/dose.h"
#include "fhir/quantity.h"

namespace steroid_advisor::cards {
namespace {

// Floating point from UCUM conversions (1.5 wk = 10.5 d) must not add a day.
constexpr double kEpsilon = 1e-9;
// Longer than any prescription; beyond it a length is a data error, not a plan.
constexpr double kMaxPlannedDays = 36500;

std::optional<int> WholeDays(double days) {
  if (!(days > 0) || days > kMaxPlannedDays) return std::nullopt;
  return static_cast<int>(std::ceil(days - kEpsilon));
}

const fhir::TimingRepeat* RepeatOf(const fhir::Dosage& dosage) {
  if (!dosage.timing || !dosage.timing->repeat) return nullptr;
  return &*dosage.timing->repeat;
}

std::optional<int> FromCount(const fhir::Dosage& dosage, const fhir::TimingRepeat& repeat) {
  double count = std::max(repeat.count.value_or(0), repeat.count_max.value_or(0));
  if (!(count > 0)) return std::nullopt;
  if (count == 1.0) return 1;
  if (repeat.frequency && *repeat.frequency > 0) {
    double period = repeat.period.value_or(1);
    std::optional<double> days_per_unit = fhir::DaysPerTimeUnit(
        repeat.period_unit.empty() && !repeat.period ? "d" : repeat.period_unit);
    if (!days_per_unit || !(period > 0)) return std::nullopt;
    double periods = std::ceil(count / *repeat.frequency - kEpsilon);
    return WholeDays(periods * period * *days_per_unit);
  }
  std::optional<double> per_day = DosesPerDay(dosage);
  if (!per_day || !(*per_day > 0)) return std::nullopt;
  return WholeDays(count / *per_day);
}

}  // namespace

std::optional<int> DosagePlannedDays(const fhir::Dosage& dosage) {
  const fhir::TimingRepeat* repeat = RepeatOf(dosage);
  if (repeat == nullptr) return std::nullopt;
  if (const std::optional<fhir::Period>& bounds = repeat->bounds_period) {
    if (bounds->start_unreadable || bounds->end_unreadable) return std::nullopt;
    if (bounds->start && bounds->end) {
      if (*bounds->end < *bounds->start) return std::nullopt;
      return *bounds->end - *bounds->start + 1;
    }
  }
  if (repeat->bounds_duration) {
    std::optional<double> days = fhir::DurationInDays(*repeat->bounds_duration);
    return days ? WholeDays(*days) : std::nullopt;
  }
  return FromCount(dosage, *repeat);
}

std::optional<int> PlannedDays(const std::vector<fhir::Dosage>& dosages,
                               const std::optional<fhir::Quantity>& expected_supply_duration) {
  if (!dosages.empty()) {
    bool all_known = true;
    bool all_bounded = true;
    int sum = 0;
    for (const fhir::Dosage& dosage : dosages) {
      std::optional<int> days = DosagePlannedDays(dosage);
      if (!days) {
        all_known = false;
        break;
      }
      sum += *days;
      const fhir::TimingRepeat* repeat = RepeatOf(dosage);
      all_bounded = all_bounded && repeat->bounds_period && repeat->bounds_period->start &&
                    repeat->bounds_period->end;
    }
    if (all_known) {
      if (dosages.size() == 1 || !all_bounded) return sum;
      return *BoundsEnd(dosages) - *BoundsStart(dosages) + 1;
    }
  }
  if (expected_supply_duration) {
    std::optional<double> days = fhir::DurationInDays(*expected_supply_duration);
    if (days) return WholeDays(*days);
  }
  return std::nullopt;
}

std::optional<fhir::Day> BoundsStart(const std::vector<fhir::Dosage>& dosages) {
  std::optional<fhir::Day> start;
  for (const fhir::Dosage& dosage : dosages) {
    const fhir::TimingRepeat* repeat = RepeatOf(dosage);
    if (repeat == nullptr || !repeat->bounds_period || !repeat->bounds_period->start) continue;
    start = std::min(start.value_or(*repeat->bounds_period->start), *repeat->bounds_period->start);
  }
  return start;
}

std::optional<fhir::Day> BoundsEnd(const std::vector<fhir::Dosage>& dosages) {
  std::optional<fhir::Day> end;
  for (const fhir::Dosage& dosage : dosages) {
    const fhir::TimingRepeat* repeat = RepeatOf(dosage);
    if (repeat == nullptr || !repeat->bounds_period || !repeat->bounds_period->end) continue;
    end = std::max(end.value_or(*repeat->bounds_period->end), *repeat->bounds_period->end);
  }
  return end;
}

}  // namespace steroid_advisor::cards
