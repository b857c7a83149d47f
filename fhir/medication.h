// FHIR R4 Medication, and MedicationSource: the `medication[x]` choice shared by
// MedicationRequest, MedicationAdministration and MedicationStatement (an inline
// CodeableConcept, or a Reference resolved from `contained` or elsewhere; see
// medication_index.h).
// Owns: its values. Thread-safety: value types; functions are stateless.
#ifndef STEROID_ADVISOR_FHIR_MEDICATION_H_
#define STEROID_ADVISOR_FHIR_MEDICATION_H_

#include <optional>
#include <string>
#include <vector>

#include "fhir/codeable_concept.h"
#include "fhir/json_access.h"
#include "fhir/quantity.h"

namespace steroid_advisor::fhir {

// One Medication.ingredient: what it is (itemCodeableConcept; empty for an itemReference) and
// how much of it one unit of the product holds.
struct MedicationIngredient {
  std::optional<CodeableConcept> item;
  std::optional<bool> is_active;  // isActive; absent means not stated
  std::optional<Ratio> strength;  // e.g. 20 mg per 1 tablet, 40 mg per 1 mL
};

struct Medication {
  std::string id;
  std::optional<CodeableConcept> code;
  std::optional<CodeableConcept> form;            // tablet, cream, inhaler...
  std::vector<MedicationIngredient> ingredients;  // the object entries of `ingredient`
};

// nullopt unless `json` is an object with resourceType "Medication".
std::optional<Medication> ParseMedication(const JsonValue& json);

struct MedicationSource {
  std::optional<CodeableConcept> coded;  // medicationCodeableConcept
  std::string reference;                 // medicationReference.reference
  std::string reference_display;         // medicationReference.display
  std::vector<Medication> contained;     // the resource's contained Medications

  bool empty() const {
    return !coded.has_value() && reference.empty() && reference_display.empty();
  }
};

// Reads medicationCodeableConcept / medicationReference and contained Medications of a
// resource object. Never fails: what is unreadable stays empty.
MedicationSource ParseMedicationSource(const JsonValue& resource);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_MEDICATION_H_
