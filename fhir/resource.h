// Reading what every FHIR resource has: its type, id and references.
// Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_FHIR_RESOURCE_H_
#define STEROID_ADVISOR_FHIR_RESOURCE_H_

#include <optional>
#include <string>
#include <string_view>

#include "fhir/json_access.h"

namespace steroid_advisor::fhir {

// `resourceType` when `json` is an object that has a string one.
std::optional<std::string_view> ResourceType(const JsonValue& json);
bool IsResourceOfType(const JsonValue& json, std::string_view type);

// `Reference.reference` of the member `key` ("" when absent or unreadable).
std::string ReadReference(const JsonValue& object, std::string_view key);

// "MedicationRequest/abc" for a resource with type and id; "" when either is missing.
std::string LocalReference(const JsonValue& resource);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_RESOURCE_H_
