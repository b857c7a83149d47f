// The orders cards propose with one click (RULES.md suggestions), as complete
// ProposedMedicationRequests: methylprednisolone premedication, acyclovir herpes prophylaxis,
// sulfamethoxazole-trimethoprim PJP prophylaxis.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_CARDS_PROPOSED_ORDERS_H_
#define STEROID_ADVISOR_CARDS_PROPOSED_ORDERS_H_

#include <optional>
#include <string>

#include "cards/card.h"
#include "fhir/date.h"

namespace steroid_advisor::cards {

inline constexpr char kRxNormSystem[] = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr char kSnomedSystem[] = "http://snomed.info/sct";
inline constexpr char kAtcSystem[] = "http://www.whocc.no/atc";

// Methylprednisolone (RxNorm 6902) `dose_mg` IV (SNOMED 47625008) once daily for `days` days
// from `start`, immediately before each infusion.
ProposedMedicationRequest PremedicationOrder(double dose_mg, int days, fhir::Day start,
                                             const std::string& subject_reference);

// Acyclovir (RxNorm 281) 200 mg orally (SNOMED 26643006) twice daily from `start`: until 2 months
// after `course_end` when it is known, else for 2 months; the note gives the label's "or until
// CD4+ >= 200 cells/uL, whichever is later".
ProposedMedicationRequest AntiviralOrder(fhir::Day start, std::optional<fhir::Day> course_end,
                                         const std::string& subject_reference);

// Sulfamethoxazole-trimethoprim (ATC J01EE01) 960 mg orally once daily from `start`, open-ended
// (while on high-dose corticosteroids).
ProposedMedicationRequest PjpProphylaxisOrder(fhir::Day start,
                                              const std::string& subject_reference);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_PROPOSED_ORDERS_H_
