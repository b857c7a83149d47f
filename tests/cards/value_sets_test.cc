// The embedded value sets: codes, ATC class prefixes with exceptions, text patterns, ingredients.
#include "cards/value_sets.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::kAtc;
using testing::kRxNorm;
using testing::kSnomed;

TEST(ValueSets, EmbeddedFileParses) {
  const ValueSets& value_sets = EmbeddedValueSets();
  EXPECT_FALSE(value_sets.version().empty());
}

TEST(ValueSets, CodingsMatchByExactSystemAndCodeOrAtcPrefix) {
  struct Case {
    const char* system;
    const char* code;
    ValueSetMask sets;
  };
  const Case cases[] = {
      {kRxNorm, "117055", MaskOf(ValueSetId::kAlemtuzumab)},
      {kAtc, "L04AG06", MaskOf(ValueSetId::kAlemtuzumab)},  // excepted from the L04 class
      {kAtc, "L04AA34", MaskOf(ValueSetId::kAlemtuzumab)},
      {kAtc, "L04AX03", MaskOf(ValueSetId::kNonSteroidImmunosuppressants)},  // methotrexate
      {kAtc, "L01XC02", MaskOf(ValueSetId::kNonSteroidImmunosuppressants)},  // rituximab
      {kAtc, "H02AB04", MaskOf(ValueSetId::kSystemicCorticosteroids)},
      {kAtc, "H02AB99", MaskOf(ValueSetId::kSystemicCorticosteroids)},  // by class only
      {kRxNorm, "8640", MaskOf(ValueSetId::kSystemicCorticosteroids)},
      {kSnomed, "116602009", MaskOf(ValueSetId::kSystemicCorticosteroids)},
      {kRxNorm, "281", MaskOf(ValueSetId::kHerpesAntiviralProphylaxis)},
      {kAtc, "J01EE01", MaskOf(ValueSetId::kPjpProphylaxis)},
      {kSnomed, "26643006", MaskOf(ValueSetId::kSystemicRoutes)},
      {kSnomed, "6064005", MaskOf(ValueSetId::kNonSystemicRoutes)},
      {kSnomed, "8640", 0},     // right code, wrong system
      {kRxNorm, "1594659", 0},  // Lemtrada brand code: not in the value set, text decides
      {"", "", 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.system) + "|" + c.code);
    EXPECT_EQ(EmbeddedValueSets().MatchCoding(c.system, c.code).sets, c.sets);
  }
}

TEST(ValueSets, CodedIngredientComesFromTheCodeEntry) {
  ValueSetMatch match = EmbeddedValueSets().MatchCoding(kRxNorm, "6902");
  ASSERT_NE(match.ingredient, nullptr);
  EXPECT_EQ(match.ingredient->name, "methylprednisolone");
  EXPECT_EQ(EmbeddedValueSets().MatchCoding(kAtc, "H02AB99").ingredient, nullptr);
}

TEST(ValueSets, TextPatternsNameValueSetsAndIngredients) {
  struct Case {
    const char* text;  // lower-case
    ValueSetMask sets;
    const char* ingredient;  // "" for none
  };
  const Case cases[] = {
      {"solu-medrol 1 g", MaskOf(ValueSetId::kSystemicCorticosteroids), "methylprednisolone"},
      {"kenalog-40 injection", MaskOf(ValueSetId::kSystemicCorticosteroids), "triamcinolone"},
      {"decadron", MaskOf(ValueSetId::kSystemicCorticosteroids), "dexamethasone"},
      {"methylprednisolone", MaskOf(ValueSetId::kSystemicCorticosteroids), "methylprednisolone"},
      {"prednisolone 5 mg", MaskOf(ValueSetId::kSystemicCorticosteroids), "prednisolone"},
      {"hydrocortisone", MaskOf(ValueSetId::kSystemicCorticosteroids), "hydrocortisone"},
      {"alemtuzumab 12 mg/day iv (lemtrada)", MaskOf(ValueSetId::kAlemtuzumab), ""},
      {"ocrevus 600 mg", MaskOf(ValueSetId::kNonSteroidImmunosuppressants), ""},
      {"dimethyl fumarate 240 mg", MaskOf(ValueSetId::kNonSteroidImmunosuppressants), ""},
      {"valtrex 500 mg", MaskOf(ValueSetId::kHerpesAntiviralProphylaxis), ""},
      {"bactrim ds", MaskOf(ValueSetId::kPjpProphylaxis), ""},
      {"ivermectin", 0, ""},
      {"budesonide", 0, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ValueSetMatch match = EmbeddedValueSets().MatchText(c.text, kMedicationValueSets);
    EXPECT_EQ(match.sets, c.sets);
    EXPECT_EQ(match.ingredient == nullptr ? "" : match.ingredient->name, c.ingredient);
  }
}

TEST(ValueSets, TextMatchingIsLimitedToTheValueSetsAsked) {
  EXPECT_EQ(EmbeddedValueSets().MatchText("prednisone oral", kRouteValueSets).sets,
            MaskOf(ValueSetId::kSystemicRoutes));
  EXPECT_EQ(EmbeddedValueSets().MatchText("inhaled", kRouteValueSets).sets,
            MaskOf(ValueSetId::kNonSystemicRoutes));
  EXPECT_EQ(EmbeddedValueSets().MatchText("nebulised", kRouteValueSets).sets,
            MaskOf(ValueSetId::kNonSystemicRoutes));
}

TEST(ValueSets, EveryEquivalenceOfRulesMdIsLoaded) {
  struct Case {
    const char* ingredient;
    double equivalent_mg;
  };
  const Case cases[] = {
      {"cortisone", 25},       {"hydrocortisone", 20},    {"prednisone", 5},
      {"prednisolone", 5},     {"methylprednisolone", 4}, {"triamcinolone", 4},
      {"dexamethasone", 0.75}, {"betamethasone", 0.75},   {"deflazacort", 6},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.ingredient);
    const Ingredient* ingredient = EmbeddedValueSets().FindIngredient(c.ingredient);
    ASSERT_NE(ingredient, nullptr);
    ASSERT_TRUE(ingredient->prednisone_equivalent_mg.has_value());
    EXPECT_DOUBLE_EQ(*ingredient->prednisone_equivalent_mg, c.equivalent_mg);
  }
  const Ingredient* paramethasone = EmbeddedValueSets().FindIngredient("paramethasone");
  ASSERT_NE(paramethasone, nullptr);
  EXPECT_FALSE(paramethasone->prednisone_equivalent_mg.has_value());
}

TEST(ValueSets, MalformedValueSetsAreRejectedWithTheirPath) {
  StatusOr<ValueSets> missing =
      ValueSets::Parse(R"({"valueSets": {}, "prednisoneEquivalentMg": {}})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "valueSets.alemtuzumab: missing");
  EXPECT_FALSE(ValueSets::Parse("not json").ok());
}

}  // namespace
}  // namespace steroid_advisor::cards
