// Corticosteroid dose arithmetic: mg per administration, administrations per day, and the
// daily dose as prednisone equivalent (PED) and methylprednisolone equivalent (RULES.md).
// Unknown stays unknown (std::nullopt): a rule that needs a dose it cannot read makes no card.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_CARDS_DOSE_H_
#define STEROID_ADVISOR_CARDS_DOSE_H_

#include <optional>

#include "cards/strength.h"
#include "cards/value_sets.h"
#include "fhir/dosage.h"

namespace steroid_advisor::cards {

// mg per administration: doseQuantity, else doseRange.high (the conservative end), else
// doseRange.low when no high is given. A mass is read as it is; tablets, capsules, vials or mL
// are converted with the product's `strength` (strength.h). nullopt when neither works ("1
// tablet" of a product whose strength is unknown, a dose without unit).
std::optional<double> DoseMg(const fhir::Dosage& dosage, const std::optional<Strength>& strength);

// Administrations per day, from the first source that says:
// 1. timing.repeat: max(frequency, frequencyMax) per (period x periodUnit) (the higher frequency:
//    the conservative reading for infection risk), and timeOfDay / `when` entries (that many a
//    day); the largest of these when several are given;
// 2. timing.code (QD 1, BID 2, TID 3, QID 4, QOD 0.5, AM/PM 1, Q4H 6, Q6H 4, Q8H 3, Q12H 2);
// 3. timing.repeat.count 1 with no frequency: a single administration, 1 that day;
// 4. the dosage text: a count ("once"/"daily"/"qd" 1, "twice"/"bid" 2, "three times"/"tid" 3,
//    "four times"/"qid" 4, "N times" N) spread over a day, or over 7 days when it says "weekly"
//    or "week", 2 for "every other day";
// 5. timing.event dates: events per distinct day.
// nullopt when none says anything.
std::optional<double> DosesPerDay(const fhir::Dosage& dosage);

// dose_mg x doses_per_day x 5 / (mg of the ingredient equal to 5 mg prednisone). nullopt for an
// unknown ingredient or one without an equivalent.
std::optional<double> PrednisoneEquivalentDailyMg(double dose_mg, double doses_per_day,
                                                  const Ingredient* ingredient);

// PED x 4 / 5.
inline double MethylprednisoloneEquivalentMg(double prednisone_equivalent_mg) {
  return prednisone_equivalent_mg * 4.0 / 5.0;
}

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_DOSE_H_
