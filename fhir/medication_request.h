// FHIR R4 MedicationRequest: the draft orders under review and the prescriptions of the record.
// Owns: its values; `json` borrows the source object from the caller's document, which must
// outlive this struct (suggestions that update an order copy from it).
// Thread-safety: value type; functions are stateless.
#ifndef STEROID_ADVISOR_FHIR_MEDICATION_REQUEST_H_
#define STEROID_ADVISOR_FHIR_MEDICATION_REQUEST_H_

#include <optional>
#include <string>
#include <vector>

#include "fhir/date.h"
#include "fhir/dosage.h"
#include "fhir/json_access.h"
#include "fhir/medication.h"
#include "fhir/quantity.h"

namespace steroid_advisor::fhir {

struct MedicationRequest {
  std::string id;
  std::string status;  // draft, active, on-hold, completed, stopped, cancelled, entered-in-error...
  std::string intent;
  std::string subject_reference;
  std::optional<Day> authored_on;
  MedicationSource medication;
  std::vector<Dosage> dosage_instructions;
  std::optional<Period> validity_period;           // dispenseRequest.validityPeriod
  std::optional<Quantity> expected_supply_duration;  // dispenseRequest.expectedSupplyDuration
  const JsonValue* json = nullptr;
};

// nullopt unless `json` is an object with resourceType "MedicationRequest". Members of the wrong
// type are read as absent.
std::optional<MedicationRequest> ParseMedicationRequest(const JsonValue& json);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_MEDICATION_REQUEST_H_
