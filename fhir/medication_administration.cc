#include "fhir/medication_administration.h"

#include "fhir/resource.h"

namespace steroid_advisor::fhir {

std::optional<Period> ParseEffective(const JsonValue& resource) {
  if (const JsonValue* date_time = FindMember(resource, "effectiveDateTime")) {
    Period period;
    std::optional<std::string_view> text = AsString(*date_time);
    period.start = text ? ParseFhirDate(*text) : std::nullopt;
    period.end = period.start;
    period.start_unreadable = period.end_unreadable = !period.start.has_value();
    return period;
  }
  if (const JsonValue* effective = FindObject(resource, "effectivePeriod")) {
    return ParsePeriod(*effective);
  }
  return std::nullopt;
}

std::optional<MedicationAdministration> ParseMedicationAdministration(const JsonValue& json) {
  if (!IsResourceOfType(json, "MedicationAdministration")) return std::nullopt;
  MedicationAdministration administration;
  administration.id = std::string(FindString(json, "id").value_or(""));
  administration.status = std::string(FindString(json, "status").value_or(""));
  administration.subject_reference = ReadReference(json, "subject");
  administration.medication = ParseMedicationSource(json);
  administration.effective = ParseEffective(json);
  if (const JsonValue* dosage = FindObject(json, "dosage")) {
    if (const JsonValue* route = FindObject(*dosage, "route")) {
      administration.route = ParseCodeableConcept(*route);
    }
    if (const JsonValue* dose = FindObject(*dosage, "dose")) {
      administration.dose = ParseQuantity(*dose);
    }
  }
  administration.json = &json;
  return administration;
}

}  // namespace steroid_advisor::fhir
