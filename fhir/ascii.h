// Small ASCII text helpers shared by every layer (fhir/ is the lowest library): case-folding
// for protocol tokens (header names, media types, UCUM units, URL schemes) and trimming.
// Non-ASCII bytes pass through unchanged. Thread-safety: stateless functions.
#ifndef STEROID_ADVISOR_FHIR_ASCII_H_
#define STEROID_ADVISOR_FHIR_ASCII_H_

#include <string>
#include <string_view>

namespace steroid_advisor::fhir {

// `text` with A-Z folded to a-z.
std::string AsciiLower(std::string_view text);

// `text` without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
std::string_view TrimAsciiWhitespace(std::string_view text);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_ASCII_H_
