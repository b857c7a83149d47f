#include "fhir/medication.h"

namespace steroid_advisor::fhir {

std::optional<Medication> ParseMedication(const JsonValue& json) {
  if (FindString(json, "resourceType") != std::optional<std::string_view>("Medication")) {
    return std::nullopt;
  }
  Medication medication;
  medication.id = std::string(FindString(json, "id").value_or(""));
  if (const JsonValue* code = FindObject(json, "code")) {
    medication.code = ParseCodeableConcept(*code);
  }
  if (const JsonValue* form = FindObject(json, "form")) {
    medication.form = ParseCodeableConcept(*form);
  }
  for (const JsonValue& element : Elements(json, "ingredient")) {
    if (!element.IsObject()) continue;
    MedicationIngredient ingredient;
    if (const JsonValue* item = FindObject(element, "itemCodeableConcept")) {
      ingredient.item = ParseCodeableConcept(*item);
    }
    ingredient.is_active = FindBool(element, "isActive");
    if (const JsonValue* strength = FindObject(element, "strength")) {
      ingredient.strength = ParseRatio(*strength);
    }
    medication.ingredients.push_back(std::move(ingredient));
  }
  return medication;
}

MedicationSource ParseMedicationSource(const JsonValue& resource) {
  MedicationSource source;
  if (const JsonValue* codeable = FindObject(resource, "medicationCodeableConcept")) {
    source.coded = ParseCodeableConcept(*codeable);
  }
  if (const JsonValue* reference = FindObject(resource, "medicationReference")) {
    source.reference = std::string(FindString(*reference, "reference").value_or(""));
    source.reference_display = std::string(FindString(*reference, "display").value_or(""));
  }
  for (const JsonValue& contained : Elements(resource, "contained")) {
    if (std::optional<Medication> medication = ParseMedication(contained)) {
      source.contained.push_back(std::move(*medication));
    }
  }
  return source;
}

}  // namespace steroid_advisor::fhir
