// Word matching of text patterns: word starts always, word ends unless a plural/adverb
// inflection or a word-prefix pattern.
#include "cards/text_match.h"

#include "gtest/gtest.h"

namespace steroid_advisor::cards {
namespace {

TEST(TextMatch, PatternsMatchOnlyAtWordBoundaries) {
  struct Case {
    const char* text;
    const char* pattern;
    PatternEnd end;
    bool matches;
  };
  const Case cases[] = {
      {"ivermectin 12 mg", "iv", PatternEnd::kWholeWord, false},
      {"1000 mg iv once daily", "iv", PatternEnd::kWholeWord, true},
      {"given iv.", "iv", PatternEnd::kWholeWord, true},
      {"(iv)", "iv", PatternEnd::kWholeWord, true},
      {"ivs", "iv", PatternEnd::kWholeWord, false},  // too short for inflections
      {"take early", "ear", PatternEnd::kWholeWord, false},
      {"ear drops", "ear", PatternEnd::kWholeWord, true},
      {"both ears", "ear", PatternEnd::kWholeWord, true},
      {"eye drops", "drops", PatternEnd::kWholeWord, true},
      {"200 mg orally twice daily", "oral", PatternEnd::kWholeWord, true},
      {"apply topically", "topical", PatternEnd::kWholeWord, true},
      {"inhaled twice daily", "inhal", PatternEnd::kWordPrefix, true},
      {"for inhalation", "inhal", PatternEnd::kWordPrefix, true},
      {"inhaled", "inhal", PatternEnd::kWholeWord, false},
      {"exhaled", "inhal", PatternEnd::kWordPrefix, false},
      {"methylprednisolone", "prednisolone", PatternEnd::kWholeWord, false},
      {"hydrocortisone", "cortisone", PatternEnd::kWholeWord, false},
      {"solu-medrol 1 g", "medrol", PatternEnd::kWholeWord, true},
      {"solu-medrol 1 g", "solu-medrol", PatternEnd::kWholeWord, true},
      {"take by mouth", "by mouth", PatternEnd::kWholeWord, true},
      {"40mg po", "po", PatternEnd::kWholeWord, true},
      {"poly", "po", PatternEnd::kWholeWord, false},
      {"dimethyl fumarate", "dimethyl fumarate", PatternEnd::kWholeWord, true},
      {"prednisone", "prednisone", PatternEnd::kWholeWord, true},
      {"", "iv", PatternEnd::kWholeWord, false},
      {"i", "iv", PatternEnd::kWholeWord, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.text) + " / " + c.pattern);
    EXPECT_EQ(ContainsWord(c.text, c.pattern, c.end), c.matches);
  }
}

TEST(TextMatch, LowerAsciiKeepsUtf8Bytes) {
  EXPECT_EQ(LowerAscii("Solu-MEDROL 1 G"), "solu-medrol 1 g");
  EXPECT_EQ(LowerAscii("D\xc3\xa9"
                       "cadron"),
            "d\xc3\xa9"
            "cadron");
}

TEST(TextMatch, Utf8LettersAreNotWordBoundaries) {
  // "é" (0xc3 0xa9) is part of the word, so "cadron" does not start a word here.
  EXPECT_FALSE(
      ContainsWord("d\xc3\xa9"
                   "cadron",
                   "cadron"));
}

}  // namespace
}  // namespace steroid_advisor::cards
