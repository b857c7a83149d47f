// Alemtuzumab exposure in the record (RULES.md "Alemtuzumab exposure"): which record entries
// count, the days each one covers, and the exposure window.
// A record entry counts unless its status says it never happened: MedicationRequest any status
// but entered-in-error; MedicationAdministration not entered-in-error or not-done;
// MedicationStatement not entered-in-error or not-taken.
// Each entry covers an interval of days, and is exposure when that interval meets the window
// (window start .. today); its exposure day is the interval's last day, capped at today, so an
// ongoing statement counts as today and "last alemtuzumab date" is the last infusion known.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_CARDS_EXPOSURE_H_
#define STEROID_ADVISOR_CARDS_EXPOSURE_H_

#include <optional>

#include "fhir/date.h"
#include "fhir/medication_administration.h"
#include "fhir/medication_request.h"
#include "fhir/medication_statement.h"

namespace steroid_advisor::cards {

// Inclusive days.
struct DayInterval {
  fhir::Day first = 0;
  fhir::Day last = 0;
};

// [AddMonths(today, -months), today].
DayInterval ExposureWindow(fhir::Day today, int months);

// MedicationRequest: from authoredOn (else boundsPeriod.start, else validityPeriod.start) to the
// latest of that and boundsPeriod.end. nullopt when the status excludes it or no date is readable.
std::optional<DayInterval> RequestExposureInterval(const fhir::MedicationRequest& request);

// MedicationAdministration: effective[x] (a dateTime is one day; a period without end, its start).
std::optional<DayInterval> AdministrationExposureInterval(
    const fhir::MedicationAdministration& administration);

// MedicationStatement: effective[x], else dateAsserted as a last resort.
std::optional<DayInterval> StatementExposureInterval(const fhir::MedicationStatement& statement);

// The exposure day of `interval` within `window` (its last day, capped at the window end), or
// nullopt when it does not meet the window.
std::optional<fhir::Day> ExposureDayInWindow(const DayInterval& interval,
                                             const DayInterval& window);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_EXPOSURE_H_
