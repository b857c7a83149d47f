// Parsing untrusted JSON text into a RapidJSON document with bounded nesting.
// RapidJSON's iterative parser keeps deep input off the C stack; the depth limit stops
// hostile input ("[[[[...") from costing memory and every later recursive walk. On request, an
// object that names a member twice is refused (RFC 8259 leaves it to the parser; parsers that
// disagree on which one wins let a signed or validated document mean two things).
// Thread-safety: stateless, safe from any thread.
#ifndef STEROID_ADVISOR_FHIR_JSON_PARSE_H_
#define STEROID_ADVISOR_FHIR_JSON_PARSE_H_

#include <string>
#include <string_view>

#include "fhir/status.h"
#include "rapidjson/document.h"

namespace steroid_advisor::fhir {

inline constexpr int kDefaultMaxJsonDepth = 64;

// Parses `text` into `document`. InvalidArgument for malformed JSON ("malformed json at offset
// N: <reason>", invalid UTF-8 included) or nesting deeper than `max_depth` objects/arrays;
// `document` is then unusable.
Status ParseJson(std::string_view text, int max_depth, rapidjson::Document& document);

struct JsonParseOptions {
  int max_depth = kDefaultMaxJsonDepth;
  // true: an object with two members of the same name is InvalidArgument "duplicate member
  // <path>", the path in the style of our messages (`context.draftOrders.entry[0].resource.id`).
  // false (what ParseJson above does): RapidJSON keeps both and FindMember sees the first.
  bool reject_duplicate_members = false;
};

// As above, with the options spelled out.
Status ParseJson(std::string_view text, const JsonParseOptions& options,
                 rapidjson::Document& document);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_JSON_PARSE_H_
