#include "cards/text_match.h"

namespace steroid_advisor::cards {
namespace {

// Inflections allowed after a whole-word pattern, with the shortest pattern that may take them:
// short patterns are abbreviations ("po", "im", "ear") whose inflected forms are other words.
struct Inflection {
  std::string_view suffix;
  std::size_t min_pattern_chars;
};
constexpr Inflection kInflections[] = {{"s", 3}, {"ly", 4}};

bool AtWordEnd(std::string_view text, std::size_t position) {
  return position >= text.size() || !IsWordChar(text[position]);
}

}  // namespace

void AppendLowerAscii(std::string_view text, std::string& out) {
  out.reserve(out.size() + text.size());
  for (char c : text) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
}

std::string LowerAscii(std::string_view text) {
  std::string out;
  AppendLowerAscii(text, out);
  return out;
}

bool MatchesWordAt(std::string_view text, std::size_t position, std::string_view pattern,
                   PatternEnd end) {
  if (pattern.empty() || position > text.size() || text.size() - position < pattern.size()) {
    return false;
  }
  if (text.compare(position, pattern.size(), pattern) != 0) return false;
  std::size_t after = position + pattern.size();
  if (AtWordEnd(text, after) || end == PatternEnd::kWordPrefix) return true;
  for (const Inflection& inflection : kInflections) {
    if (pattern.size() < inflection.min_pattern_chars) continue;
    if (text.compare(after, inflection.suffix.size(), inflection.suffix) == 0 &&
        AtWordEnd(text, after + inflection.suffix.size())) {
      return true;
    }
  }
  return false;
}

bool ContainsWord(std::string_view text, std::string_view pattern, PatternEnd end) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && IsWordChar(text[i - 1])) continue;  // not a word start
    if (MatchesWordAt(text, i, pattern, end)) return true;
  }
  return false;
}

}  // namespace steroid_advisor::cards
