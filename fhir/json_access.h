// Checked reads of RapidJSON values: the only place in the project that touches a
// rapidjson::Value's accessors. Every helper accepts any value (a non-object, a missing member,
// a member of another type) and answers "absent" instead of asserting.
// Owns: nothing; returned views and pointers borrow from the document.
// Thread-safety: stateless functions over const values, safe from any thread.
#ifndef STEROID_ADVISOR_FHIR_JSON_ACCESS_H_
#define STEROID_ADVISOR_FHIR_JSON_ACCESS_H_

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "rapidjson/document.h"

namespace steroid_advisor::fhir {

using JsonValue = rapidjson::Value;

// The member `key` of `object` when `object` is an object that has it; else nullptr.
const JsonValue* FindMember(const JsonValue& object, std::string_view key);

std::optional<std::string_view> FindString(const JsonValue& object, std::string_view key);
// Numbers only (JSON strings holding digits are not numbers in FHIR JSON).
std::optional<double> FindNumber(const JsonValue& object, std::string_view key);
std::optional<bool> FindBool(const JsonValue& object, std::string_view key);
// nullptr when absent or not of that type.
const JsonValue* FindObject(const JsonValue& object, std::string_view key);
const JsonValue* FindArray(const JsonValue& object, std::string_view key);

// The value itself as a string / number, when it is one.
std::optional<std::string_view> AsString(const JsonValue& value);
std::optional<double> AsNumber(const JsonValue& value);

// A view over an array's elements that yields nothing for a non-array (or nullptr).
class ArrayView {
 public:
  explicit ArrayView(const JsonValue* maybe_array)
      : array_(maybe_array != nullptr && maybe_array->IsArray() ? maybe_array : nullptr) {}
  const JsonValue* begin() const { return array_ ? array_->Begin() : nullptr; }
  const JsonValue* end() const { return array_ ? array_->End() : nullptr; }
  size_t size() const { return array_ ? array_->Size() : 0; }
  bool empty() const { return size() == 0; }

 private:
  const JsonValue* array_;
};

// The members of `object` (name, value) in document order; none when it is not an object. For
// checks that need every key: unknown config keys, prefetch values.
std::vector<std::pair<std::string_view, const JsonValue*>> ObjectMembers(const JsonValue& object);

// A short name for the JSON type of `value` ("object", "array", "string", "number", "boolean",
// "null"), for messages such as "expected a Bundle, got an array".
std::string_view JsonTypeName(const JsonValue& value);

// Elements of the array member `key` (none when absent or not an array).
inline ArrayView Elements(const JsonValue& object, std::string_view key) {
  return ArrayView(FindArray(object, key));
}

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_JSON_ACCESS_H_
