#include "fhir/medication_statement.h"

#include "fhir/medication_administration.h"
#include "fhir/resource.h"

namespace steroid_advisor::fhir {

std::optional<MedicationStatement> ParseMedicationStatement(const JsonValue& json) {
  if (!IsResourceOfType(json, "MedicationStatement")) return std::nullopt;
  MedicationStatement statement;
  statement.id = std::string(FindString(json, "id").value_or(""));
  statement.status = std::string(FindString(json, "status").value_or(""));
  statement.subject_reference = ReadReference(json, "subject");
  statement.medication = ParseMedicationSource(json);
  statement.effective = ParseEffective(json);
  if (std::optional<std::string_view> asserted = FindString(json, "dateAsserted")) {
    statement.date_asserted = ParseFhirDate(*asserted);
  }
  for (const JsonValue& element : Elements(json, "dosage")) {
    if (std::optional<Dosage> dosage = ParseDosage(element)) {
      statement.dosage.push_back(std::move(*dosage));
    }
  }
  statement.json = &json;
  return statement;
}

}  // namespace steroid_advisor::fhir
