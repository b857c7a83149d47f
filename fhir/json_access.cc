#include "fhir/json_access.h"

namespace steroid_advisor::fhir {

const JsonValue* FindMember(const JsonValue& object, std::string_view key) {
  if (!object.IsObject()) return nullptr;
  // A default-constructed string_view has a null data(), which RapidJSON's StringRef asserts on.
  const char* data = key.data() != nullptr ? key.data() : "";
  JsonValue name(rapidjson::StringRef(data, static_cast<rapidjson::SizeType>(key.size())));
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return nullptr;
  return &it->value;
}

std::optional<std::string_view> AsString(const JsonValue& value) {
  if (!value.IsString()) return std::nullopt;
  return std::string_view(value.GetString(), value.GetStringLength());
}

std::optional<double> AsNumber(const JsonValue& value) {
  if (!value.IsNumber()) return std::nullopt;
  return value.GetDouble();
}

std::optional<std::string_view> FindString(const JsonValue& object, std::string_view key) {
  const JsonValue* member = FindMember(object, key);
  if (member == nullptr) return std::nullopt;
  return AsString(*member);
}

std::optional<double> FindNumber(const JsonValue& object, std::string_view key) {
  const JsonValue* member = FindMember(object, key);
  if (member == nullptr) return std::nullopt;
  return AsNumber(*member);
}

std::optional<bool> FindBool(const JsonValue& object, std::string_view key) {
  const JsonValue* member = FindMember(object, key);
  if (member == nullptr || !member->IsBool()) return std::nullopt;
  return member->GetBool();
}

const JsonValue* FindObject(const JsonValue& object, std::string_view key) {
  const JsonValue* member = FindMember(object, key);
  return member != nullptr && member->IsObject() ? member : nullptr;
}

const JsonValue* FindArray(const JsonValue& object, std::string_view key) {
  const JsonValue* member = FindMember(object, key);
  return member != nullptr && member->IsArray() ? member : nullptr;
}

std::vector<std::pair<std::string_view, const JsonValue*>> ObjectMembers(const JsonValue& object) {
  std::vector<std::pair<std::string_view, const JsonValue*>> members;
  if (!object.IsObject()) return members;
  members.reserve(object.MemberCount());
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    // RapidJSON only ever stores string names, so the name read is always valid.
    members.emplace_back(std::string_view(it->name.GetString(), it->name.GetStringLength()),
                         &it->value);
  }
  return members;
}

std::string_view JsonTypeName(const JsonValue& value) {
  if (value.IsObject()) return "object";
  if (value.IsArray()) return "array";
  if (value.IsString()) return "string";
  if (value.IsNumber()) return "number";
  if (value.IsBool()) return "boolean";
  return "null";
}

}  // namespace steroid_advisor::fhir
