#include "plugin/json_members.h"

namespace steroid_advisor::plugin {

std::vector<std::pair<std::string_view, const fhir::JsonValue*>> ObjectMembers(
    const fhir::JsonValue& object) {
  std::vector<std::pair<std::string_view, const fhir::JsonValue*>> members;
  if (!object.IsObject()) return members;
  members.reserve(object.MemberCount());
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    // RapidJSON only ever stores string names, so the name read is always valid.
    members.emplace_back(std::string_view(it->name.GetString(), it->name.GetStringLength()),
                         &it->value);
  }
  return members;
}

std::string_view JsonTypeName(const fhir::JsonValue& value) {
  if (value.IsObject()) return "object";
  if (value.IsArray()) return "array";
  if (value.IsString()) return "string";
  if (value.IsNumber()) return "number";
  if (value.IsBool()) return "boolean";
  return "null";
}

}  // namespace steroid_advisor::plugin
