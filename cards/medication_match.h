// What medication[x] names, as the rules need it: the value sets it belongs to (any coding, or
// failing that the words of its names), the corticosteroid ingredient for dose equivalence, a
// display name for card text, and its dose-form words.
// Names read: medicationCodeableConcept.text and coding.display, medicationReference.display,
// and the referenced Medication's code.text and code.coding.display (the Medication is resolved
// from `contained`, else the MedicationIndex of the request and record). Codings read: those of
// medicationCodeableConcept, the Medication's code and its ingredient.itemCodeableConcept.
// Owns: its strings. Thread-safety: value type; functions are stateless.
#ifndef STEROID_ADVISOR_CARDS_MEDICATION_MATCH_H_
#define STEROID_ADVISOR_CARDS_MEDICATION_MATCH_H_

#include <optional>
#include <string>

#include "cards/strength.h"
#include "cards/value_sets.h"
#include "fhir/medication.h"
#include "fhir/medication_index.h"

namespace steroid_advisor::cards {

struct MedicationFacts {
  // Medication value sets matched (kMedicationValueSets bits only); 0 for an unreadable or
  // absent medication, which then concerns no rule.
  ValueSetMask sets = 0;
  const Ingredient* ingredient = nullptr;  // corticosteroid ingredient, when known
  std::optional<Strength> strength;        // of a corticosteroid product, when readable
  std::string display;                     // what a clinician would call it
  // Lower-case names and Medication.form text, for dose-form words (cream, inhaler, drops).
  std::string lower_names;
  std::string lower_form;

  bool Is(ValueSetId id) const { return (sets & MaskOf(id)) != 0; }
};

// The value sets of the codings when any coding is in one of them; only when none is, the value
// sets whose text patterns occur in the names. The ingredient comes from the first coding that
// carries one, else from the earliest pattern in the names that names one. For a corticosteroid,
// the strength comes from the Medication's ingredient.strength (the corticosteroid ingredient's
// when there are several), else from the names (StrengthFromNames).
MedicationFacts MatchMedication(const fhir::MedicationSource& source,
                                const fhir::MedicationIndex& index, const ValueSets& value_sets);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_MEDICATION_MATCH_H_
