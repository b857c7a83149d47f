#include "fhir/medication_request.h"

#include "fhir/resource.h"

namespace steroid_advisor::fhir {

std::optional<MedicationRequest> ParseMedicationRequest(const JsonValue& json) {
  if (!IsResourceOfType(json, "MedicationRequest")) return std::nullopt;
  MedicationRequest request;
  request.id = std::string(FindString(json, "id").value_or(""));
  request.status = std::string(FindString(json, "status").value_or(""));
  request.intent = std::string(FindString(json, "intent").value_or(""));
  request.subject_reference = ReadReference(json, "subject");
  if (std::optional<std::string_view> authored = FindString(json, "authoredOn")) {
    request.authored_on = ParseFhirDate(*authored);
  }
  request.medication = ParseMedicationSource(json);
  for (const JsonValue& element : Elements(json, "dosageInstruction")) {
    if (std::optional<Dosage> dosage = ParseDosage(element)) {
      request.dosage_instructions.push_back(std::move(*dosage));
    }
  }
  if (const JsonValue* dispense = FindObject(json, "dispenseRequest")) {
    if (const JsonValue* validity = FindObject(*dispense, "validityPeriod")) {
      request.validity_period = ParsePeriod(*validity);
    }
    if (const JsonValue* supply = FindObject(*dispense, "expectedSupplyDuration")) {
      request.expected_supply_duration = ParseQuantity(*supply);
    }
  }
  request.json = &json;
  return request;
}

}  // namespace steroid_advisor::fhir
