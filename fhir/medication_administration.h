// FHIR R4 MedicationAdministration: a dose given, as the record reports it.
// Owns: its values; `json` borrows from the caller's document.
// Thread-safety: value type; functions are stateless.
#ifndef STEROID_ADVISOR_FHIR_MEDICATION_ADMINISTRATION_H_
#define STEROID_ADVISOR_FHIR_MEDICATION_ADMINISTRATION_H_

#include <optional>
#include <string>

#include "fhir/codeable_concept.h"
#include "fhir/dosage.h"
#include "fhir/json_access.h"
#include "fhir/medication.h"
#include "fhir/quantity.h"

namespace steroid_advisor::fhir {

struct MedicationAdministration {
  std::string id;
  std::string status;  // in-progress, not-done, on-hold, completed, entered-in-error, ...
  std::string subject_reference;
  MedicationSource medication;
  // effectiveDateTime, or effectivePeriod.start/end.
  std::optional<Period> effective;
  std::optional<CodeableConcept> route;  // dosage.route
  std::optional<Quantity> dose;          // dosage.dose
  const JsonValue* json = nullptr;
};

// nullopt unless `json` is an object with resourceType "MedicationAdministration".
std::optional<MedicationAdministration> ParseMedicationAdministration(const JsonValue& json);

// effective[x] of MedicationAdministration and MedicationStatement: a dateTime becomes a
// one-day Period. nullopt when neither form is present.
std::optional<Period> ParseEffective(const JsonValue& resource);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_MEDICATION_ADMINISTRATION_H_
