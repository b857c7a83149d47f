// Dose arithmetic: mg per administration, administrations per day, prednisone equivalents.
#include "cards/dose.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::ParseDosageJson;

TEST(DoseMg, MassUnitsConvertAndRangesUseTheirHighValue) {
  struct Case {
    const char* dosage_json;
    std::optional<double> mg;
  };
  const Case cases[] = {
      {R"({"doseAndRate": [{"doseQuantity": {"value": 40, "code": "mg"}}]})", 40},
      {R"({"doseAndRate": [{"doseQuantity": {"value": 1, "code": "g"}}]})", 1000},
      {R"({"doseAndRate": [{"doseQuantity": {"value": 500, "code": "ug"}}]})", 0.5},
      {R"({"doseAndRate": [{"doseQuantity": {"value": 750, "unit": "mcg"}}]})", 0.75},
      {R"({"doseAndRate": [{"doseRange": {"low": {"value": 20, "code": "mg"},
                                          "high": {"value": 60, "code": "mg"}}}]})",
       60},
      {R"({"doseAndRate": [{"doseRange": {"low": {"value": 20, "code": "mg"}}}]})", 20},
      {R"({"doseAndRate": [{"doseQuantity": {"value": 2, "unit": "tablet"}}]})", std::nullopt},
      {R"({"doseAndRate": [{"doseQuantity": {"value": 40}}]})", std::nullopt},
      {R"({"doseAndRate": [{"doseQuantity": {"value": 0, "code": "mg"}}]})", std::nullopt},
      {R"({"text": "40 mg daily"})", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.dosage_json);
    EXPECT_EQ(DoseMg(ParseDosageJson(c.dosage_json), std::nullopt), c.mg);
  }
}

TEST(DosesPerDay, TimingFrequencyPeriodTimeOfDayWhenCodeAndText) {
  struct Case {
    const char* dosage_json;
    std::optional<double> per_day;
  };
  const Case cases[] = {
      {R"({"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}})", 1},
      {R"({"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}})", 2},
      {R"({"timing": {"repeat": {"frequency": 1, "period": 8, "periodUnit": "h"}}})", 3},
      {R"({"timing": {"repeat": {"frequency": 1, "period": 12, "periodUnit": "h"}}})", 2},
      {R"({"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "wk"}}})", 1.0 / 7},
      {R"({"timing": {"repeat": {"frequency": 1, "period": 2, "periodUnit": "d"}}})", 0.5},
      // The higher of frequency and frequencyMax: conservative for infection risk.
      {R"({"timing": {"repeat": {"frequency": 1, "frequencyMax": 3, "period": 1,
                                 "periodUnit": "d"}}})",
       3},
      {R"({"timing": {"repeat": {"timeOfDay": ["08:00", "20:00"]}}})", 2},
      {R"({"timing": {"repeat": {"when": ["MORN", "AFT", "EVE"]}}})", 3},
      {R"({"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d",
                                 "timeOfDay": ["08:00", "20:00"]}}})",
       2},
      {R"({"timing": {"code": {"coding": [{"code": "BID"}]}}})", 2},
      {R"({"timing": {"code": {"coding": [{"code": "QD"}]}}})", 1},
      {R"({"timing": {"repeat": {"count": 1}}})", 1},
      {R"({"text": "40 mg orally once daily"})", 1},
      {R"({"text": "200 mg oral 2 times daily"})", 2},
      {R"({"text": "take three times a day"})", 3},
      {R"({"text": "once weekly"})", 1.0 / 7},
      {R"({"timing": {"event": ["2026-11-25", "2026-11-26"]}})", 1},
      {R"({"timing": {"repeat": {"frequency": 1, "period": 1}}})", std::nullopt},  // no unit
      {R"({"text": "as directed"})", std::nullopt},
      {R"({})", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.dosage_json);
    std::optional<double> per_day = DosesPerDay(ParseDosageJson(c.dosage_json));
    ASSERT_EQ(per_day.has_value(), c.per_day.has_value());
    if (per_day) {
      EXPECT_DOUBLE_EQ(*per_day, *c.per_day);
    }
  }
}

TEST(PrednisoneEquivalent, EveryIngredientConvertsByItsEquivalence) {
  struct Case {
    const char* ingredient;
    double dose_mg;
    double doses_per_day;
    double prednisone_mg;
  };
  const Case cases[] = {
      {"prednisone", 40, 1, 40},
      {"prednisolone", 20, 2, 40},
      {"methylprednisolone", 1000, 1, 1250},
      {"methylprednisolone", 32, 1, 40},
      {"hydrocortisone", 20, 3, 15},
      {"cortisone", 25, 2, 10},
      {"triamcinolone", 8, 1, 10},
      {"dexamethasone", 6, 1, 40},
      {"betamethasone", 1.5, 2, 20},
      {"deflazacort", 30, 1, 25},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.ingredient);
    const Ingredient* ingredient = EmbeddedValueSets().FindIngredient(c.ingredient);
    ASSERT_NE(ingredient, nullptr);
    std::optional<double> equivalent =
        PrednisoneEquivalentDailyMg(c.dose_mg, c.doses_per_day, ingredient);
    ASSERT_TRUE(equivalent.has_value());
    EXPECT_NEAR(*equivalent, c.prednisone_mg, 1e-9);
  }
}

TEST(PrednisoneEquivalent, UnknownIngredientOrEquivalentIsUnknown) {
  EXPECT_FALSE(PrednisoneEquivalentDailyMg(40, 1, nullptr).has_value());
  EXPECT_FALSE(
      PrednisoneEquivalentDailyMg(40, 1, EmbeddedValueSets().FindIngredient("paramethasone"))
          .has_value());
}

TEST(MethylprednisoloneEquivalent, IsFourFifthsOfPrednisone) {
  EXPECT_DOUBLE_EQ(MethylprednisoloneEquivalentMg(1250), 1000);
  EXPECT_DOUBLE_EQ(MethylprednisoloneEquivalentMg(40), 32);
}

}  // namespace
}  // namespace steroid_advisor::cards
