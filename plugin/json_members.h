// Walking the members of a JSON object (names and values), for checks that need every key:
// unknown config keys, prefetch values. fhir/json_access.h reads members by name only; this is the
// one other place that touches RapidJSON's member iterators, behind an IsObject() check.
// (A candidate for fhir/json_access.h; kept here so as not to change that shared API mid-flight.)
// Owns: nothing; names and values borrow from the document.
// Thread-safety: stateless, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_JSON_MEMBERS_H_
#define STEROID_ADVISOR_PLUGIN_JSON_MEMBERS_H_

#include <string_view>
#include <utility>
#include <vector>

#include "fhir/json_access.h"

namespace steroid_advisor::plugin {

// The members of `object` in document order; none when it is not an object.
std::vector<std::pair<std::string_view, const fhir::JsonValue*>> ObjectMembers(
    const fhir::JsonValue& object);

// A short name for the JSON type of `value` ("object", "array", "string", "number", "boolean",
// "null"), for messages such as "expected a Bundle, got an array".
std::string_view JsonTypeName(const fhir::JsonValue& value);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_JSON_MEMBERS_H_
