#include "fhir/resource.h"

namespace steroid_advisor::fhir {

std::optional<std::string_view> ResourceType(const JsonValue& json) {
  return FindString(json, "resourceType");
}

bool IsResourceOfType(const JsonValue& json, std::string_view type) {
  std::optional<std::string_view> actual = ResourceType(json);
  return actual.has_value() && *actual == type;
}

std::string ReadReference(const JsonValue& object, std::string_view key) {
  const JsonValue* reference = FindObject(object, key);
  if (reference == nullptr) return "";
  return std::string(FindString(*reference, "reference").value_or(""));
}

std::string LocalReference(const JsonValue& resource) {
  std::optional<std::string_view> type = ResourceType(resource);
  std::optional<std::string_view> id = FindString(resource, "id");
  if (!type || !id || type->empty() || id->empty()) return "";
  std::string out(*type);
  out += '/';
  out += *id;
  return out;
}

}  // namespace steroid_advisor::fhir
