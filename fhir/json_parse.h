// Parsing untrusted JSON text into a RapidJSON document with bounded nesting.
// RapidJSON's iterative parser keeps deep input off the C stack; the depth limit stops
// hostile input ("[[[[...") from costing memory and every later recursive walk.
// Thread-safety: stateless, safe from any thread.
#ifndef STEROID_ADVISOR_FHIR_JSON_PARSE_H_
#define STEROID_ADVISOR_FHIR_JSON_PARSE_H_

#include <string_view>

#include "fhir/status.h"
#include "rapidjson/document.h"

namespace steroid_advisor::fhir {

inline constexpr int kDefaultMaxJsonDepth = 64;

// Parses `text` into `document`. InvalidArgument for malformed JSON ("malformed json at offset
// N: <reason>", invalid UTF-8 included) or nesting deeper than `max_depth` objects/arrays;
// `document` is then unusable.
Status ParseJson(std::string_view text, int max_depth, rapidjson::Document& document);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_JSON_PARSE_H_
