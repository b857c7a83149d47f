// How long an order runs, in whole days (RULES.md "Planned days"), and when it starts.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_CARDS_PLANNED_DAYS_H_
#define STEROID_ADVISOR_CARDS_PLANNED_DAYS_H_

#include <optional>
#include <vector>

#include "fhir/date.h"
#include "fhir/dosage.h"
#include "fhir/medication_request.h"

namespace steroid_advisor::cards {

// Days one dosage instruction runs, from its timing.repeat:
// 1. boundsPeriod start..end, inclusive (end before start, or a bound that does not parse:
//    unknown);
// 2. boundsDuration (d, wk, mo = 30 d, ...), rounded up to whole days;
// 3. count (countMax when given): count 1 is one day; count N with frequency F per period P of
//    unit U runs ceil(N / F) x P x U days (rounded up); with no frequency, N divided by the
//    administrations per day that DosesPerDay reads (rounded up);
// nullopt otherwise.
std::optional<int> DosagePlannedDays(const fhir::Dosage& dosage);

// Days the whole order runs: its dosage instructions' days (one instruction: its days; several,
// e.g. a taper: the span of their boundsPeriods when all have one, else the sum), else
// dispenseRequest.expectedSupplyDuration, else nullopt (unknown).
std::optional<int> PlannedDays(const std::vector<fhir::Dosage>& dosages,
                               const std::optional<fhir::Quantity>& expected_supply_duration);

// The earliest readable timing.repeat.boundsPeriod.start of the dosage instructions.
std::optional<fhir::Day> BoundsStart(const std::vector<fhir::Dosage>& dosages);

// The latest readable timing.repeat.boundsPeriod.end of the dosage instructions.
std::optional<fhir::Day> BoundsEnd(const std::vector<fhir::Dosage>& dosages);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_PLANNED_DAYS_H_
