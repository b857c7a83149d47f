#include "cards/exposure.h"

#include <algorithm>

#include "cards/planned_days.h"

namespace steroid_advisor::cards {
namespace {

std::optional<DayInterval> FromPeriod(const std::optional<fhir::Period>& period) {
  if (!period) return std::nullopt;
  if (period->start && period->end) {
    return DayInterval{std::min(*period->start, *period->end),
                       std::max(*period->start, *period->end)};
  }
  if (period->start) return DayInterval{*period->start, *period->start};
  if (period->end) return DayInterval{*period->end, *period->end};
  return std::nullopt;
}

}  // namespace

DayInterval ExposureWindow(fhir::Day today, int months) {
  return DayInterval{fhir::AddMonths(today, -months), today};
}

std::optional<DayInterval> RequestExposureInterval(const fhir::MedicationRequest& request) {
  if (request.status == "entered-in-error") return std::nullopt;
  std::optional<fhir::Day> first = request.authored_on;
  if (!first) first = BoundsStart(request.dosage_instructions);
  if (!first && request.validity_period) first = request.validity_period->start;
  if (!first) return std::nullopt;
  fhir::Day last = std::max(*first, BoundsEnd(request.dosage_instructions).value_or(*first));
  return DayInterval{*first, last};
}

std::optional<DayInterval> AdministrationExposureInterval(
    const fhir::MedicationAdministration& administration) {
  if (administration.status == "entered-in-error" || administration.status == "not-done") {
    return std::nullopt;
  }
  return FromPeriod(administration.effective);
}

std::optional<DayInterval> StatementExposureInterval(const fhir::MedicationStatement& statement) {
  if (statement.status == "entered-in-error" || statement.status == "not-taken") {
    return std::nullopt;
  }
  if (std::optional<DayInterval> effective = FromPeriod(statement.effective)) return effective;
  if (statement.date_asserted)
    return DayInterval{*statement.date_asserted, *statement.date_asserted};
  return std::nullopt;
}

std::optional<fhir::Day> ExposureDayInWindow(const DayInterval& interval,
                                             const DayInterval& window) {
  if (interval.last < window.first || interval.first > window.last) return std::nullopt;
  return std::min(interval.last, window.last);
}

}  // namespace steroid_advisor::cards
