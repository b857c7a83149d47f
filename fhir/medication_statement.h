// FHIR R4 MedicationStatement: a medication the patient is taking or has taken, as reported.
// Owns: its values; `json` borrows from the caller's document.
// Thread-safety: value type; functions are stateless.
#ifndef STEROID_ADVISOR_FHIR_MEDICATION_STATEMENT_H_
#define STEROID_ADVISOR_FHIR_MEDICATION_STATEMENT_H_

#include <optional>
#include <string>
#include <vector>

#include "fhir/date.h"
#include "fhir/dosage.h"
#include "fhir/json_access.h"
#include "fhir/medication.h"

namespace steroid_advisor::fhir {

struct MedicationStatement {
  std::string id;
  std::string status;  // active, completed, entered-in-error, intended, stopped, on-hold, ...
  std::string subject_reference;
  MedicationSource medication;
  std::optional<Period> effective;  // effectiveDateTime or effectivePeriod
  std::optional<Day> date_asserted;
  std::vector<Dosage> dosage;
  const JsonValue* json = nullptr;
};

// nullopt unless `json` is an object with resourceType "MedicationStatement".
std::optional<MedicationStatement> ParseMedicationStatement(const JsonValue& json);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_MEDICATION_STATEMENT_H_
