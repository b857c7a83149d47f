// Word matching of value-set text patterns ("iv", "inhal", "by mouth") in free text such as
// CodeableConcept.text or Dosage.text. No std::regex: texts are lower-cased once and scanned.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
//
// How a pattern matches (valuesets.json notes ask for word boundaries):
// - it must start at a word start: the text start or after a character that is not a letter or
//   digit ('-', '/', '(' and spaces are boundaries, so "medrol" matches "solu-medrol");
// - it must end at a word end, except for two inflections that keep the word the same drug or
//   route: a plural "s" when the pattern has 3+ characters ("drops", "eyes") and "ly" when it has
//   4+ characters ("orally", "topically"); shorter patterns take none ("iv" never matches "ivs",
//   "ear" never matches "early");
// - a word-prefix pattern (PatternEnd::kWordPrefix, e.g. "inhal") may continue with any letters
//   ("inhaled", "inhalation").
// Bytes >= 0x80 (UTF-8) count as letters, so accented words are never split.
#ifndef STEROID_ADVISOR_CARDS_TEXT_MATCH_H_
#define STEROID_ADVISOR_CARDS_TEXT_MATCH_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace steroid_advisor::cards {

enum class PatternEnd { kWholeWord, kWordPrefix };

inline bool IsWordChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u >= 0x80;
}

// Appends `text` to `out` with ASCII letters lower-cased.
void AppendLowerAscii(std::string_view text, std::string& out);
std::string LowerAscii(std::string_view text);

// True when lower-case `pattern` matches lower-case `text` at `position` (which the caller
// knows to be a word start) under the rules above.
bool MatchesWordAt(std::string_view text, std::size_t position, std::string_view pattern,
                   PatternEnd end);

// True when `pattern` matches anywhere in `text` (both lower-case).
bool ContainsWord(std::string_view text, std::string_view pattern,
                  PatternEnd end = PatternEnd::kWholeWord);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_TEXT_MATCH_H_
