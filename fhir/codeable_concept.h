// FHIR R4 Coding and CodeableConcept, read tolerantly: codings that are not objects are skipped,
// non-string members are read as absent.
// Owns: its strings. Thread-safety: value types; functions are stateless.
#ifndef STEROID_ADVISOR_FHIR_CODEABLE_CONCEPT_H_
#define STEROID_ADVISOR_FHIR_CODEABLE_CONCEPT_H_

#include <optional>
#include <string>
#include <vector>

#include "fhir/json_access.h"

namespace steroid_advisor::fhir {

struct Coding {
  std::string system;
  std::string code;
  std::string display;
};

struct CodeableConcept {
  std::vector<Coding> coding;
  std::string text;
};

// nullopt when `json` is not an object.
std::optional<Coding> ParseCoding(const JsonValue& json);
std::optional<CodeableConcept> ParseCodeableConcept(const JsonValue& json);

// The text a person would read: `text`, else the first coding display, else the first code.
std::string DisplayName(const CodeableConcept& codeable);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_CODEABLE_CONCEPT_H_
