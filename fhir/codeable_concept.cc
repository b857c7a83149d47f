#include "fhir/codeable_concept.h"

namespace steroid_advisor::fhir {

std::optional<Coding> ParseCoding(const JsonValue& json) {
  if (!json.IsObject()) return std::nullopt;
  Coding coding;
  coding.system = std::string(FindString(json, "system").value_or(""));
  coding.code = std::string(FindString(json, "code").value_or(""));
  coding.display = std::string(FindString(json, "display").value_or(""));
  return coding;
}

std::optional<CodeableConcept> ParseCodeableConcept(const JsonValue& json) {
  if (!json.IsObject()) return std::nullopt;
  CodeableConcept codeable;
  for (const JsonValue& element : Elements(json, "coding")) {
    if (std::optional<Coding> coding = ParseCoding(element)) {
      codeable.coding.push_back(std::move(*coding));
    }
  }
  codeable.text = std::string(FindString(json, "text").value_or(""));
  return codeable;
}

std::string DisplayName(const CodeableConcept& codeable) {
  if (!codeable.text.empty()) return codeable.text;
  for (const Coding& coding : codeable.coding) {
    if (!coding.display.empty()) return coding.display;
  }
  for (const Coding& coding : codeable.coding) {
    if (!coding.code.empty()) return coding.code;
  }
  return "";
}

}  // namespace steroid_advisor::fhir
