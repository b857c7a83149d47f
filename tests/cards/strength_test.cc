// Product strength: countable dose units, Medication.ingredient.strength Ratios, the strength in
// RxNorm clinical drug names, and the dose in mg they give (issue #13).
#include "cards/strength.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace steroid_advisor::cards {
namespace {

constexpr char kUcum[] = "http://unitsofmeasure.org";
constexpr char kDrugForm[] = "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm";
constexpr char kSnomed[] = "http://snomed.info/sct";

fhir::Quantity Make(std::optional<double> value, std::string unit, std::string system,
                    std::string code) {
  fhir::Quantity quantity;
  quantity.value = value;
  quantity.unit = std::move(unit);
  quantity.system = std::move(system);
  quantity.code = std::move(code);
  return quantity;
}

constexpr Strength PerUnit(double mg) { return Strength{mg, Strength::Per::kUnit}; }
constexpr Strength PerMl(double mg) { return Strength{mg, Strength::Per::kMilliliter}; }

void ExpectStrength(const std::optional<Strength>& got, const std::optional<Strength>& want) {
  ASSERT_EQ(got.has_value(), want.has_value());
  if (!want) return;
  EXPECT_EQ(got->per, want->per);
  EXPECT_NEAR(got->mg, want->mg, 1e-9);
}

TEST(IsCountOfUnits, ReadsUcumAnnotationsAndUnitTextsOfTabletsCapsulesAndVials) {
  struct Case {
    const char* label;
    fhir::Quantity quantity;
    bool count;
  };
  const std::vector<Case> cases = {
      {"sandbox {pill}", Make(2, "", kUcum, "{pill}"), true},
      {"{tbl}", Make(2, "tablet", kUcum, "{tbl}"), true},
      {"{tablet} any case", Make(1, "", kUcum, "{Tablet}"), true},
      {"{capsule}", Make(1, "", kUcum, "{capsule}"), true},
      {"{vial}", Make(1, "vial", kUcum, "{vial}"), true},
      {"annotation without system", Make(1, "", "", "{vial}"), true},
      {"unit text tablet", Make(2, "tablet", "", ""), true},
      {"unit text plural", Make(2, "Tablets", "", ""), true},
      {"unit text capsule", Make(1, "capsule", "", ""), true},
      {"unit text vial", Make(1, "vial", "", ""), true},
      {"snomed tablet code with text", Make(1, "Tablet", kSnomed, "385055001"), true},
      {"other annotation", Make(1, "dose", kUcum, "{dose}"), false},
      {"ucum mass code overrules the text", Make(2, "tablet", kUcum, "mg"), false},
      {"mg", Make(40, "mg", kUcum, "mg"), false},
      {"mL", Make(5, "mL", kUcum, "mL"), false},
      {"no unit", Make(40, "", "", ""), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(IsCountOfUnits(c.quantity), c.count);
  }
}

TEST(StrengthFromName, ReadsTheStrengthOfRxNormSystemicCorticosteroidNames) {
  struct Case {
    const char* name;
    std::optional<Strength> strength;
  };
  const std::vector<Case> cases = {
      // Tablets: mg per tablet.
      {"Prednisone 20 MG Oral Tablet", PerUnit(20)},
      {"prednisone 5 MG Oral Tablet [Deltasone]", PerUnit(5)},
      {"predniSONE 10 MG Oral Tablet", PerUnit(10)},
      {"predniSONE 5 MG Delayed Release Oral Tablet [Rayos]", PerUnit(5)},
      {"prednisolone 5 MG Oral Tablet", PerUnit(5)},
      {"methylprednisolone 4 MG Oral Tablet [Medrol]", PerUnit(4)},
      {"{21 (methylprednisolone 4 MG Oral Tablet) } Pack [Medrol]", PerUnit(4)},
      {"dexamethasone 0.5 MG Oral Tablet", PerUnit(0.5)},
      {"dexamethasone 1.5 MG Oral Tablet [Decadron]", PerUnit(1.5)},
      {"hydrocortisone 10 MG Oral Tablet [Cortef]", PerUnit(10)},
      {"cortisone acetate 25 MG Oral Tablet", PerUnit(25)},
      {"deflazacort 6 MG Oral Tablet [Emflaza]", PerUnit(6)},
      {"triamcinolone 4 MG Oral Tablet", PerUnit(4)},
      // Oral solutions: mg per mL, whatever volume the name states.
      {"prednisoLONE 3 MG/ML Oral Solution", PerMl(3)},
      {"prednisolone sodium phosphate 15 MG/5ML Oral Solution [Orapred]", PerMl(3)},
      {"prednisolone 15 MG/5 ML Oral Solution", PerMl(3)},
      {"prednisolone 15 MG in 5 mL Oral Solution", PerMl(3)},
      {"predniSONE 5 MG/ML Oral Solution", PerMl(5)},
      {"dexamethasone 0.5 MG/5ML Oral Solution", PerMl(0.1)},
      // Injections: a strength without volume is per vial; one per mL needs a volume dose.
      {"methylprednisolone sodium succinate 1000 MG Injection", PerUnit(1000)},
      {"methylprednisolone sodium succinate 125 MG Injection [Solu-Medrol]", PerUnit(125)},
      {"hydrocortisone sodium succinate 100 MG Injection [Solu-Cortef]", PerUnit(100)},
      {"methylprednisolone acetate 40 MG/ML Injectable Suspension [Depo-Medrol]", PerMl(40)},
      {"1 ML methylprednisolone acetate 40 MG/ML Injection", PerMl(40)},
      {"dexamethasone sodium phosphate 4 MG/ML Injectable Solution", PerMl(4)},
      {"triamcinolone acetonide 40 MG/ML Injectable Suspension [Kenalog]", PerMl(40)},
      // MG vs MCG vs G.
      {"dexamethasone 500 MCG Oral Tablet", PerUnit(0.5)},
      {"betamethasone 600 MCG/5ML Oral Solution", PerMl(0.12)},
      {"Solu-Medrol 1 g injection", PerUnit(1000)},
      {"Betamethasone 500microgram soluble tablets", PerUnit(0.5)},  // UK dm+d name
      {"Prednisone 20mg tablet", PerUnit(20)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectStrength(StrengthFromName(c.name), c.strength);
  }
}

TEST(StrengthFromName, IsUnknownWithoutExactlyOneUsableStrength) {
  const char* const names[] = {
      // No strength.
      "prednisone",
      "Methylprednisolone Oral Tablet",
      "Kenalog-40 Injection",
      "",
      // Combination products: which strength is the steroid's is not read.
      "betamethasone acetate 3 MG/ML / betamethasone sodium phosphate 3 MG/ML Injectable "
      "Suspension [Celestone Soluspan]",
      "neomycin 3.5 MG/ML / polymyxin B 10000 UNT/ML / dexamethasone 1 MG/ML Ophthalmic "
      "Suspension",
      "prednisolone acetate 10 MG/ML / sulfacetamide sodium 100 MG/ML Ophthalmic Suspension",
      // Strengths that are neither per unit nor per mL.
      "hydrocortisone 1 % Topical Cream",
      "fluticasone propionate 0.05 MG/ACTUAT Nasal Spray",
      "triamcinolone acetonide 0.055 MG/ACTUAT Metered Dose Nasal Spray",
  };
  for (const char* name : names) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(StrengthFromName(name).has_value());
  }
}

TEST(StrengthFromName, DigitsInsideWordsAreNotStrengths) {
  // "B12" and "Kenalog-40" carry digits; only "1000 MCG" is a strength.
  ExpectStrength(StrengthFromName("vitamin B12 1000 MCG Oral Tablet"), PerUnit(1));
}

TEST(StrengthFromNames, NamesThatAgreeOrStateNothingGiveTheStrength) {
  struct Case {
    const char* label;
    std::vector<std::string_view> names;
    std::optional<Strength> strength;
  };
  const std::vector<Case> cases = {
      {"text and display agree",
       {"Prednisone 20 MG Oral Tablet", "prednisone 20 mg oral tablet"},
       PerUnit(20)},
      {"a plain name is skipped", {"prednisone", "Prednisone 20 MG Oral Tablet"}, PerUnit(20)},
      {"names disagree",
       {"Prednisone 20 MG Oral Tablet", "prednisone 5 MG Oral Tablet"},
       std::nullopt},
      {"one name is a combination",
       {"betamethasone", "betamethasone acetate 3 MG/ML / betamethasone sodium phosphate 3 MG/ML"},
       std::nullopt},
      {"no name states one", {"prednisone", "Deltasone"}, std::nullopt},
      {"no names", {}, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    ExpectStrength(StrengthFromNames(c.names), c.strength);
  }
}

TEST(StrengthFromRatio, ReadsMassPerUnitOrPerMlOfIngredientStrength) {
  struct Case {
    const char* label;
    fhir::Ratio ratio;
    std::optional<Strength> strength;
  };
  const std::vector<Case> cases = {
      {"5 mg per TAB (orderableDrugForm)",
       {Make(5, "", kUcum, "mg"), Make(1, "", kDrugForm, "TAB")},
       PerUnit(5)},
      {"200 mg per unit text TAB",
       {Make(200, "mg", kUcum, "mg"), Make(1, "TAB", "", "")},
       PerUnit(200)},
      {"0.25 mg per SNOMED tablet",
       {Make(0.25, "", kUcum, "mg"), Make(1, "Tablet", kSnomed, "385055001")},
       PerUnit(0.25)},
      {"1 g per vial", {Make(1, "g", kUcum, "g"), Make(1, "vial", kUcum, "{vial}")}, PerUnit(1000)},
      {"40 mg per UCUM 1", {Make(40, "", kUcum, "mg"), Make(1, "", kUcum, "1")}, PerUnit(40)},
      {"12 mg per 1.2 mL", {Make(12, "", kUcum, "mg"), Make(1.2, "", kUcum, "mL")}, PerMl(10)},
      {"15 mg per 5 mL", {Make(15, "", kUcum, "mg"), Make(5, "", kUcum, "mL")}, PerMl(3)},
      {"units per mL", {Make(100, "", kUcum, "U"), Make(1, "", kUcum, "mL")}, std::nullopt},
      {"g per 100 g of cream", {Make(1, "", kUcum, "g"), Make(100, "", kUcum, "g")}, std::nullopt},
      {"zero denominator",
       {Make(20, "", kUcum, "mg"), Make(0, "", kDrugForm, "TAB")},
       std::nullopt},
      {"no denominator", {Make(20, "", kUcum, "mg"), std::nullopt}, std::nullopt},
      {"no numerator value",
       {Make(std::nullopt, "", kUcum, "mg"), Make(1, "", kDrugForm, "TAB")},
       std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    ExpectStrength(StrengthFromRatio(c.ratio), c.strength);
  }
}

TEST(DoseInMg, CountsAndVolumesConvertWithAStrengthThatFitsThem) {
  struct Case {
    const char* label;
    fhir::Quantity dose;
    std::optional<Strength> strength;
    std::optional<double> mg;
  };
  const std::vector<Case> cases = {
      {"sandbox: 2 {pill} of 20 mg", Make(2, "", kUcum, "{pill}"), PerUnit(20), 40},
      {"1 vial of 1000 mg", Make(1, "vial", kUcum, "{vial}"), PerUnit(1000), 1000},
      {"half a tablet", Make(0.5, "tablet", "", ""), PerUnit(5), 2.5},
      {"10 mL of 3 mg/mL", Make(10, "mL", kUcum, "mL"), PerMl(3), 30},
      {"mass needs no strength", Make(40, "mg", kUcum, "mg"), std::nullopt, 40},
      {"mass wins over strength", Make(250, "mcg", kUcum, "ug"), PerUnit(20), 0.25},
      {"a count without strength", Make(2, "", kUcum, "{tbl}"), std::nullopt, std::nullopt},
      {"vials of a per-mL product", Make(1, "", kUcum, "{vial}"), PerMl(40), std::nullopt},
      {"mL of a per-unit product", Make(5, "mL", kUcum, "mL"), PerUnit(20), std::nullopt},
      {"no unit", Make(2, "", "", ""), PerUnit(20), std::nullopt},
      {"no value", Make(std::nullopt, "", kUcum, "{pill}"), PerUnit(20), std::nullopt},
      {"negative count", Make(-2, "", kUcum, "{pill}"), PerUnit(20), std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    std::optional<double> mg = DoseInMg(c.dose, c.strength);
    ASSERT_EQ(mg.has_value(), c.mg.has_value());
    if (mg) {
      EXPECT_DOUBLE_EQ(*mg, *c.mg);
    }
  }
}

}  // namespace
}  // namespace steroid_advisor::cards
