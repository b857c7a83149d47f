// Quantity and its UCUM units: masses (doses) and times (durations), UCUM code versus unit text,
// missing values, units that are neither, and values no dose or duration can have.
#include "fhir/quantity.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

using fixtures::ParseOrDie;

Quantity Make(double value, std::string unit, std::string system, std::string code) {
  Quantity quantity;
  quantity.value = value;
  quantity.unit = std::move(unit);
  quantity.system = std::move(system);
  quantity.code = std::move(code);
  return quantity;
}

TEST(ParseQuantity, ReadsEveryMember) {
  rapidjson::Document json = ParseOrDie(
      R"({"value": 500, "comparator": "<=", "unit": "mg", "system": "http://unitsofmeasure.org",
          "code": "mg"})");
  std::optional<Quantity> quantity = ParseQuantity(json);
  ASSERT_TRUE(quantity.has_value());
  EXPECT_EQ(quantity->value, 500.0);
  EXPECT_EQ(quantity->comparator, "<=");
  EXPECT_EQ(quantity->unit, "mg");
  EXPECT_EQ(quantity->system, kUcumSystem);
  EXPECT_EQ(quantity->code, "mg");
}

TEST(ParseQuantity, NonObjectsAreNotQuantities) {
  for (const char* text : {"500", "\"500 mg\"", "null", "[{\"value\": 1}]", "true"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseQuantity(ParseOrDie(text)).has_value());
  }
}

TEST(ParseQuantity, MembersOfTheWrongTypeAreAbsent) {
  rapidjson::Document json = ParseOrDie(
      R"({"value": "500", "comparator": 1, "unit": ["mg"], "system": {}, "code": null})");
  std::optional<Quantity> quantity = ParseQuantity(json);
  ASSERT_TRUE(quantity.has_value());
  EXPECT_FALSE(quantity->value.has_value());
  EXPECT_EQ(quantity->comparator, "");
  EXPECT_EQ(quantity->unit, "");
  EXPECT_EQ(quantity->system, "");
  EXPECT_EQ(quantity->code, "");
  EXPECT_FALSE(MassInMg(*quantity).has_value());
}

struct MassCase {
  std::string label;
  Quantity quantity;
  std::optional<double> mg;
};

TEST(MassInMg, ConvertsEveryMassUnit) {
  const std::string ucum = kUcumSystem;
  const std::vector<MassCase> cases = {
      {"mg code", Make(500, "mg", ucum, "mg"), 500},
      {"g code", Make(1, "g", ucum, "g"), 1000},
      {"g code decimal", Make(4.5, "g", ucum, "g"), 4500},
      {"kg code", Make(0.001, "kg", ucum, "kg"), 1000},
      {"ug code", Make(75, "ug", ucum, "ug"), 0.075},
      {"mcg code", Make(75, "mcg", ucum, "mcg"), 0.075},
      {"micro sign unit", Make(75, "\xc2\xb5g", "", ""), 0.075},
      {"unit text only", Make(40, "mg", "", ""), 40},
      {"unit text word", Make(2, "grams", "", ""), 2000},
      {"unit text upper case", Make(40, "MG", "", ""), 40},
      {"code without system", Make(40, "", "", "mg"), 40},
      {"zero", Make(0, "mg", ucum, "mg"), 0},
  };
  for (const MassCase& c : cases) {
    SCOPED_TRACE(c.label);
    std::optional<double> mg = MassInMg(c.quantity);
    ASSERT_TRUE(mg.has_value());
    EXPECT_DOUBLE_EQ(*mg, *c.mg);
  }
}

TEST(MassInMg, UcumCodeWinsOverUnitText) {
  // Human text is free; the UCUM code is what a system means.
  EXPECT_EQ(MassInMg(Make(1, "milligram", kUcumSystem, "g")), 1000.0);
  EXPECT_EQ(MassInMg(Make(1, "gram (local)", kUcumSystem, "mg")), 1.0);
}

TEST(MassInMg, UcumCodeThatIsNotAMassIsNotOverruledByUnitText) {
  // 30 mg/kg written with the text "mg" is not 30 mg: unknown beats a wrong dose.
  EXPECT_FALSE(MassInMg(Make(30, "mg", kUcumSystem, "mg/kg")).has_value());
  EXPECT_FALSE(MassInMg(Make(5, "mg", kUcumSystem, "mL")).has_value());
  EXPECT_FALSE(DurationInDays(Make(5, "days", kUcumSystem, "{dose}")).has_value());
  // Without a system the code may be anything, so the text still counts.
  EXPECT_EQ(MassInMg(Make(30, "mg", "", "258684004")), 30.0);
  EXPECT_EQ(DurationInDays(Make(5, "days", "", "258703001")), 5.0);
}

TEST(MassInMg, NonUcumCodeFallsBackToUnitText) {
  // SNOMED 258684004 is "milligram": we do not read SNOMED units, but the text says mg.
  EXPECT_EQ(MassInMg(Make(40, "mg", "http://snomed.info/sct", "258684004")), 40.0);
  EXPECT_FALSE(MassInMg(Make(40, "", "http://snomed.info/sct", "258684004")).has_value());
}

TEST(MassInMg, NonMassUnitsAreNotMasses) {
  const std::string ucum = kUcumSystem;
  const std::string form = "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm";
  const std::vector<MassCase> cases = {
      {"tablet", Make(2, "TAB", form, "TAB"), std::nullopt},
      {"mL", Make(5, "mL", ucum, "mL"), std::nullopt},
      {"mg/kg", Make(1.8, "mg/kg", ucum, "mg/kg"), std::nullopt},
      {"mg/m2", Make(1000, "mg/m2", ucum, "mg/m2"), std::nullopt},
      {"mEq", Make(20, "mEq", ucum, "mEq"), std::nullopt},
      {"units", Make(20, "U", ucum, "U"), std::nullopt},
      {"vial", Make(2, "vial", "", ""), std::nullopt},
      {"no unit", Make(2, "", "", ""), std::nullopt},
      {"mg code with other text", Make(2, "tablet", ucum, "{tbl}"), std::nullopt},
  };
  for (const MassCase& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_FALSE(MassInMg(c.quantity).has_value());
  }
}

TEST(MassInMg, MissingValueIsUnknown) {
  Quantity quantity = Make(0, "mg", kUcumSystem, "mg");
  quantity.value.reset();
  EXPECT_FALSE(MassInMg(quantity).has_value());
}

TEST(MassInMg, NegativeOrOverflowingMassesAreUnknown) {
  // A dose below zero is bad data, and 1e308 g overflows to infinity in mg; neither may reach
  // the dose arithmetic of the rules.
  EXPECT_FALSE(MassInMg(Make(-40, "mg", kUcumSystem, "mg")).has_value());
  EXPECT_FALSE(MassInMg(Make(1e308, "kg", kUcumSystem, "kg")).has_value());
  EXPECT_FALSE(MassInMg(Make(-1e308, "g", kUcumSystem, "g")).has_value());
  EXPECT_EQ(MassInMg(Make(1e300, "mg", kUcumSystem, "mg")), 1e300);
}

struct VolumeCase {
  std::string label;
  Quantity quantity;
  std::optional<double> ml;
};

TEST(VolumeInMl, ConvertsVolumesAndNothingElse) {
  const std::string ucum = kUcumSystem;
  const std::vector<VolumeCase> cases = {
      {"mL code", Make(5, "mL", ucum, "mL"), 5},
      {"L code", Make(0.5, "L", ucum, "L"), 500},
      {"dL code", Make(1, "dL", ucum, "dL"), 100},
      {"unit text ml", Make(10, "ml", "", ""), 10},
      {"unit text word", Make(2, "milliliters", "", ""), 2},
      {"snomed code with text", Make(5, "mL", "http://snomed.info/sct", "258773002"), 5},
      {"mass", Make(5, "mg", ucum, "mg"), std::nullopt},
      {"ucum mL/h is a rate", Make(5, "mL", ucum, "mL/h"), std::nullopt},
      {"tablet", Make(2, "tablet", ucum, "{tbl}"), std::nullopt},
      {"negative", Make(-5, "mL", ucum, "mL"), std::nullopt},
  };
  for (const VolumeCase& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(VolumeInMl(c.quantity), c.ml);
  }
}

TEST(ParseRatio, ReadsNumeratorAndDenominator) {
  rapidjson::Document json = ParseOrDie(R"({"numerator": {"value": 15, "code": "mg"},
                                            "denominator": {"value": 5, "code": "mL"}})");
  std::optional<Ratio> ratio = ParseRatio(json);
  ASSERT_TRUE(ratio.has_value());
  ASSERT_TRUE(ratio->numerator.has_value());
  EXPECT_EQ(ratio->numerator->value, 15.0);
  ASSERT_TRUE(ratio->denominator.has_value());
  EXPECT_EQ(ratio->denominator->code, "mL");
}

TEST(ParseRatio, SidesOfTheWrongTypeAreAbsentAndNonObjectsAreNotRatios) {
  rapidjson::Document json = ParseOrDie(R"({"numerator": 20, "denominator": ["TAB"]})");
  std::optional<Ratio> ratio = ParseRatio(json);
  ASSERT_TRUE(ratio.has_value());
  EXPECT_FALSE(ratio->numerator.has_value());
  EXPECT_FALSE(ratio->denominator.has_value());
  for (const char* text : {"20", "\"20 mg/tab\"", "null", "[]"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseRatio(ParseOrDie(text)).has_value());
  }
}

struct DurationCase {
  std::string label;
  Quantity quantity;
  double days;
};

TEST(DurationInDays, ConvertsEveryTimeUnit) {
  const std::string ucum = kUcumSystem;
  const std::vector<DurationCase> cases = {
      {"d", Make(21, "days", ucum, "d"), 21},
      {"wk", Make(6, "weeks", ucum, "wk"), 42},
      {"mo", Make(2, "months", ucum, "mo"), 60},
      {"a", Make(1, "year", ucum, "a"), 365},
      {"h", Make(36, "hours", ucum, "h"), 1.5},
      {"min", Make(720, "minutes", ucum, "min"), 0.5},
      {"unit text days", Make(10, "days", "", ""), 10},
      {"unit text week", Make(1, "week", "", ""), 7},
      {"snomed code with text", Make(3, "day", "http://snomed.info/sct", "258703001"), 3},
  };
  for (const DurationCase& c : cases) {
    SCOPED_TRACE(c.label);
    std::optional<double> days = DurationInDays(c.quantity);
    ASSERT_TRUE(days.has_value());
    EXPECT_DOUBLE_EQ(*days, c.days);
  }
}

TEST(DurationInDays, NonTimeUnitsAndMissingValuesAreUnknown) {
  EXPECT_FALSE(DurationInDays(Make(5, "mg", kUcumSystem, "mg")).has_value());
  EXPECT_FALSE(DurationInDays(Make(5, "doses", "", "")).has_value());
  Quantity no_value = Make(0, "d", kUcumSystem, "d");
  no_value.value.reset();
  EXPECT_FALSE(DurationInDays(no_value).has_value());
}

TEST(DurationInDays, NegativeOrOverflowingDurationsAreUnknown) {
  EXPECT_FALSE(DurationInDays(Make(-3, "d", kUcumSystem, "d")).has_value());
  EXPECT_FALSE(DurationInDays(Make(1e308, "a", kUcumSystem, "a")).has_value());
}

struct UnitCase {
  std::string unit;
  std::optional<double> days;
};

TEST(DaysPerTimeUnit, KnowsTheTimingPeriodUnits) {
  const std::vector<UnitCase> cases = {
      {"s", 1.0 / 86400},  {"min", 1.0 / 1440},  {"h", 1.0 / 24},      {"d", 1},
      {"wk", 7},           {"mo", 30},           {"a", 365},           {"", std::nullopt},
      {"x", std::nullopt}, {"dd", std::nullopt}, {"mg", std::nullopt},
  };
  for (const UnitCase& c : cases) {
    SCOPED_TRACE(c.unit);
    std::optional<double> days = DaysPerTimeUnit(c.unit);
    ASSERT_EQ(days.has_value(), c.days.has_value());
    if (days) {
      EXPECT_DOUBLE_EQ(*days, *c.days);
    }
  }
}

}  // namespace
}  // namespace steroid_advisor::fhir
