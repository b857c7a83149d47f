// Tests for card text templates (cards/template.h) and the placeholder catalogue they read.
#include "cards/template.h"

#include <limits>
#include <string>
#include <vector>

#include "cards/placeholders.h"
#include "gtest/gtest.h"

namespace steroid_advisor::cards {
namespace {

TEST(FormatNumber, WritesAtMostTwoDecimalsWithoutTrailingZeros) {
  struct Case {
    double value;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {40, "40"},
      {1000, "1000"},
      {187.5, "187.5"},
      {0.75, "0.75"},
      {0, "0"},
      {-0.0, "0"},
      {-0.001, "0"},
      {2.005, "2"},
      {1.999, "2"},
      {12.346, "12.35"},
      {-3.5, "-3.5"},
      {100.10, "100.1"},
      {1e6, "1000000"},
      {0.1, "0.1"},
      // Ties round to even on the exact binary value, as printf's "%.2f" does.
      {0.125, "0.12"},
      {0.375, "0.38"},
      {2.675, "2.67"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.value);
    EXPECT_EQ(FormatNumber(c.value), c.expected);
  }
}

TEST(FormatNumber, WritesTheLargestDoubleInFull) {
  std::string text = FormatNumber(std::numeric_limits<double>::max());
  EXPECT_EQ(text.size(), 309u);  // 1.797...e308 as 309 digits, no decimals left after trimming
  EXPECT_EQ(text.substr(0, 6), "179769");
}

TEST(FormatNumber, WritesNothingForNanOrInfinity) {
  EXPECT_EQ(FormatNumber(std::numeric_limits<double>::quiet_NaN()), "");
  EXPECT_EQ(FormatNumber(std::numeric_limits<double>::infinity()), "");
  EXPECT_EQ(FormatNumber(-std::numeric_limits<double>::infinity()), "");
}

TEST(TemplateValues, FindReturnsTheLastValueSet) {
  TemplateValues values;
  EXPECT_EQ(values.Find("drug"), nullptr);
  values.Set("drug", "prednisone");
  values.Set("drug", "methylprednisolone");
  ASSERT_NE(values.Find("drug"), nullptr);
  EXPECT_EQ(*values.Find("drug"), "methylprednisolone");
}

TEST(RenderTemplate, ReplacesPlaceholdersWithTheirValues) {
  TemplateValues values;
  values.Set("steroid", "prednisone 20 MG Oral Tablet");
  values.Set("days", FormatNumber(42));
  values.Set("equivalent_mg", FormatNumber(187.5));
  EXPECT_EQ(RenderTemplate("{{steroid}} for {{days}} days ({{equivalent_mg}} mg/day)", values),
            "prednisone 20 MG Oral Tablet for 42 days (187.5 mg/day)");
}

TEST(RenderTemplate, RendersUnsetAndUnknownPlaceholdersAsEmpty) {
  TemplateValues values;
  values.Set("not_in_catalogue", "secret");
  values.Set("days", "3");
  EXPECT_EQ(RenderTemplate("[{{drug}}][{{not_in_catalogue}}][{{days}}]", values), "[][][3]");
}

TEST(RenderTemplate, AllowsSpacesInsideTheBraces) {
  TemplateValues values;
  values.Set("days", "5");
  EXPECT_EQ(RenderTemplate("{{ days }} and {{days}}", values), "5 and 5");
}

TEST(RenderTemplate, KeepsTextWithoutPlaceholdersAsWritten) {
  TemplateValues values;
  const std::vector<std::string> texts = {
      "", "plain text", "an { brace } pair", "unclosed {{days", "stray }} close", "}}{{",
  };
  values.Set("days", "9");
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    EXPECT_EQ(RenderTemplate(text, values), text);
  }
}

TEST(RenderTemplate, RendersEveryOccurrenceOfAPlaceholder) {
  TemplateValues values;
  values.Set("required_days", "3");
  EXPECT_EQ(RenderTemplate("{{required_days}}/{{required_days}}/{{required_days}}", values),
            "3/3/3");
}

TEST(RenderTemplate, CutsLongValuesToTheCatalogueMaximumWithAnEllipsis) {
  const Placeholder* drug = FindPlaceholder("drug");
  ASSERT_NE(drug, nullptr);
  TemplateValues values;
  values.Set("drug", std::string(drug->max_chars + 25, 'x'));
  std::string rendered = RenderTemplate("{{drug}}", values);
  EXPECT_EQ(CountCharacters(rendered), drug->max_chars);
  EXPECT_EQ(rendered, std::string(drug->max_chars - 1, 'x') + "\xE2\x80\xA6");
  // The value itself is kept whole; only its rendering is cut.
  EXPECT_EQ(values.Find("drug")->size(), drug->max_chars + 25);
}

TEST(RenderTemplate, KeepsAValueOfExactlyTheMaximumWhole) {
  const Placeholder* date = FindPlaceholder("last_alemtuzumab_date");
  ASSERT_NE(date, nullptr);
  TemplateValues values;
  values.Set("last_alemtuzumab_date", "2026-07-24");
  ASSERT_EQ(date->max_chars, 10u);
  EXPECT_EQ(RenderTemplate("last {{last_alemtuzumab_date}}", values), "last 2026-07-24");
}

TEST(RenderTemplate, CutsMultiByteValuesOnCharacterBoundaries) {
  const Placeholder* drug = FindPlaceholder("drug");
  ASSERT_NE(drug, nullptr);
  std::string value;
  for (std::size_t i = 0; i < drug->max_chars + 5; ++i) value += "\xC3\xA9";  // é
  TemplateValues values;
  values.Set("drug", value);
  std::string rendered = RenderTemplate("{{drug}}", values);
  EXPECT_EQ(CountCharacters(rendered), drug->max_chars);
  // Every é kept whole: 2 bytes each, then the 3-byte ellipsis.
  EXPECT_EQ(rendered.size(), 2 * (drug->max_chars - 1) + 3);
}

TEST(CountCharacters, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCharacters(""), 0u);
  EXPECT_EQ(CountCharacters("abc"), 3u);
  EXPECT_EQ(CountCharacters("\xC3\xA9t\xC3\xA9"), 3u);      // été
  EXPECT_EQ(CountCharacters("\xE2\x80\xA6"), 1u);           // …
  EXPECT_EQ(CountCharacters("\xF0\x9F\x92\x8A pill"), 6u);  // emoji + " pill"
}

TEST(SplitTemplate, SeparatesLiteralTextFromTrimmedPlaceholderNames) {
  std::vector<TemplatePiece> pieces = SplitTemplate("a {{ drug }}b{{days}}");
  ASSERT_EQ(pieces.size(), 4u);
  EXPECT_FALSE(pieces[0].is_placeholder);
  EXPECT_EQ(pieces[0].text, "a ");
  EXPECT_TRUE(pieces[1].is_placeholder);
  EXPECT_EQ(pieces[1].text, "drug");
  EXPECT_FALSE(pieces[2].is_placeholder);
  EXPECT_EQ(pieces[2].text, "b");
  EXPECT_TRUE(pieces[3].is_placeholder);
  EXPECT_EQ(pieces[3].text, "days");
}

TEST(WorstCaseRenderedLength, AddsEachPlaceholderMaximumToTheLiteralText) {
  const Placeholder* steroid = FindPlaceholder("steroid");
  const Placeholder* days = FindPlaceholder("days");
  ASSERT_NE(steroid, nullptr);
  ASSERT_NE(days, nullptr);
  EXPECT_EQ(WorstCaseRenderedLength("{{steroid}} for {{days}} days"),
            steroid->max_chars + days->max_chars + CountCharacters(" for  days"));
  EXPECT_EQ(WorstCaseRenderedLength("{{unknown}}x"), 1u);
}

TEST(WorstCaseRenderedLength, BoundsEveryRenderingOfEveryPlaceholder) {
  // Huge values for every placeholder: no rendering may exceed the computed worst case.
  std::string text;
  TemplateValues values;
  for (const Placeholder& placeholder : AllPlaceholders()) {
    text += "<{{" + std::string(placeholder.name) + "}}>";
    values.Set(placeholder.name, std::string(500, '9'));
  }
  EXPECT_EQ(CountCharacters(RenderTemplate(text, values)), WorstCaseRenderedLength(text));
}

TEST(Placeholders, EveryRulePlaceholderIsInTheCatalogue) {
  const std::vector<std::string> rules = {"steroid-premedication", "antiviral-prophylaxis",
                                          "prolonged-steroid", "overlapping-immunosuppression",
                                          "relapse-steroid-course"};
  for (const std::string& rule : rules) {
    SCOPED_TRACE(rule);
    std::vector<std::string_view> names = PlaceholdersOfRule(rule);
    EXPECT_FALSE(names.empty());
    for (std::string_view name : names) {
      SCOPED_TRACE(std::string(name));
      EXPECT_NE(FindPlaceholder(name), nullptr);
      EXPECT_TRUE(RuleFillsPlaceholder(rule, name));
    }
  }
}

TEST(Placeholders, RulesFillOnlyTheirOwnPlaceholders) {
  EXPECT_TRUE(RuleFillsPlaceholder("overlapping-immunosuppression", "other_drug"));
  EXPECT_FALSE(RuleFillsPlaceholder("steroid-premedication", "other_drug"));
  EXPECT_FALSE(RuleFillsPlaceholder("antiviral-prophylaxis", "steroid"));
  EXPECT_FALSE(RuleFillsPlaceholder("no-such-rule", "drug"));
  EXPECT_FALSE(RuleFillsPlaceholder("prolonged-steroid", "no_such_placeholder"));
  EXPECT_TRUE(PlaceholdersOfRule("no-such-rule").empty());
}

TEST(Placeholders, ThresholdValuesFitTheirPlaceholdersAtTheValidatedMaximum) {
  // cards/config.cc bounds the thresholds; their largest values must render uncut.
  struct Case {
    const char* name;
    double largest;
  };
  const std::vector<Case> cases = {
      {"window_months", 60},      {"threshold_days", 365},      {"high_dose_days", 365},
      {"required_days", 10},      {"short_course_days", 30},    {"high_dose_mg", 999.99},
      {"label_dose_mg", 1999.99}, {"last_alemtuzumab_date", 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Placeholder* placeholder = FindPlaceholder(c.name);
    ASSERT_NE(placeholder, nullptr);
    std::string value =
        std::string(c.name) == "last_alemtuzumab_date" ? "2026-12-31" : FormatNumber(c.largest);
    EXPECT_LE(CountCharacters(value), placeholder->max_chars);
  }
}

}  // namespace
}  // namespace steroid_advisor::cards
