// What a medication[x] names: codes, words, referenced Medications, ingredient, display name.
#include "cards/medication_match.h"

#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::OrderBuilder;
using testing::TestRequest;

MedicationFacts MatchFirst(const TestRequest& request) {
  return MatchMedication(request.input().under_review.front().medication,
                         request.input().medications, EmbeddedValueSets());
}

TEST(MatchMedication, CodingMatchesWithoutText) {
  TestRequest request;
  request.UnderReview(OrderBuilder("a").Drug("", "6902"));
  MedicationFacts facts = MatchFirst(request);
  EXPECT_TRUE(facts.Is(ValueSetId::kSystemicCorticosteroids));
  ASSERT_NE(facts.ingredient, nullptr);
  EXPECT_EQ(facts.ingredient->name, "methylprednisolone");
}

TEST(MatchMedication, TextMatchesWhenNoCodingDoes) {
  TestRequest request;
  request.UnderReview(OrderBuilder("a").Drug("Lemtrada 12 mg", "1594659"));
  MedicationFacts facts = MatchFirst(request);
  EXPECT_EQ(facts.sets, MaskOf(ValueSetId::kAlemtuzumab));
  EXPECT_EQ(facts.display, "Lemtrada 12 mg");
}

TEST(MatchMedication, MatchingCodesAreTrustedOverWordsInTheText) {
  TestRequest request;
  request.UnderReview(OrderBuilder("a").Drug("Solu-Medrol 1 g before Lemtrada", "6902"));
  EXPECT_EQ(MatchFirst(request).sets, MaskOf(ValueSetId::kSystemicCorticosteroids));
}

TEST(MatchMedication, AtcClassCodeTakesItsIngredientFromTheText) {
  TestRequest request;
  request.UnderReview(
      OrderBuilder("a").Drug("Decadron 4 mg", "H02AB99", "http://www.whocc.no/atc"));
  MedicationFacts facts = MatchFirst(request);
  EXPECT_EQ(facts.sets, MaskOf(ValueSetId::kSystemicCorticosteroids));
  ASSERT_NE(facts.ingredient, nullptr);
  EXPECT_EQ(facts.ingredient->name, "dexamethasone");
}

TEST(MatchMedication, CodedIngredientWinsOverText) {
  TestRequest request;
  // Coded prednisolone, text naming a brand of another steroid: the coding is more reliable.
  request.UnderReview(OrderBuilder("a").Drug("Medrol", "8638"));
  MedicationFacts facts = MatchFirst(request);
  ASSERT_NE(facts.ingredient, nullptr);
  EXPECT_EQ(facts.ingredient->name, "prednisolone");
}

TEST(MatchMedication, ContainedMedicationIsResolved) {
  TestRequest request;
  request.UnderReview(OrderBuilder("a").DrugReference("#med").Contained(
      R"({"resourceType": "Medication", "id": "med", "code": {"coding": [
          {"system": "http://www.whocc.no/atc", "code": "H02AB07"}], "text": "Deltasone 20 mg"}})"));
  MedicationFacts facts = MatchFirst(request);
  EXPECT_TRUE(facts.Is(ValueSetId::kSystemicCorticosteroids));
  ASSERT_NE(facts.ingredient, nullptr);
  EXPECT_EQ(facts.ingredient->name, "prednisone");
  EXPECT_EQ(facts.display, "Deltasone 20 mg");
}

TEST(MatchMedication, IndexedMedicationIsResolvedAndItsIngredientsCount) {
  TestRequest request;
  request.RecordJson(R"({"resourceType": "Medication", "id": "combo", "code": {"text": "Pack A"},
      "ingredient": [{"itemCodeableConcept": {"coding": [
          {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "281"}]}}]})");
  request.UnderReview(OrderBuilder("a").DrugReference("Medication/combo"));
  EXPECT_TRUE(MatchFirst(request).Is(ValueSetId::kHerpesAntiviralProphylaxis));
}

TEST(MatchMedication, ReferenceDisplayIsReadWhenTheMedicationIsUnknown) {
  TestRequest request;
  request.UnderReview(OrderBuilder("a").DrugReference("Medication/elsewhere", "Valtrex 500 mg"));
  MedicationFacts facts = MatchFirst(request);
  EXPECT_TRUE(facts.Is(ValueSetId::kHerpesAntiviralProphylaxis));
  EXPECT_EQ(facts.display, "Valtrex 500 mg");
}

TEST(MatchMedication, CorticosteroidStrengthComesFromIngredientStrengthElseTheNames) {
  struct Case {
    const char* label;
    const char* medication_json;  // "" for none
    OrderBuilder order;
    std::optional<Strength> strength;
  };
  const char* const kCombination = R"({"resourceType": "Medication", "id": "m",
      "code": {"text": "prednisone 20 MG Oral Tablet"},
      "ingredient": [
        {"itemCodeableConcept": {"text": "prednisone"},
         "strength": {"numerator": {"value": 5, "code": "mg"},
                      "denominator": {"value": 1, "unit": "tablet"}}},
        {"itemCodeableConcept": {"text": "lactose"},
         "strength": {"numerator": {"value": 80, "code": "mg"},
                      "denominator": {"value": 1, "unit": "tablet"}}}]})";
  const char* const kInactiveOnly = R"({"resourceType": "Medication", "id": "m",
      "code": {"text": "prednisone 20 MG Oral Tablet"},
      "ingredient": [{"itemCodeableConcept": {"text": "lactose"}, "isActive": false,
         "strength": {"numerator": {"value": 80, "code": "mg"},
                      "denominator": {"value": 1, "unit": "tablet"}}}]})";
  const std::vector<Case> cases = {
      {"name of the inline concept", "", OrderBuilder("a").Drug("Prednisone 20 MG Oral Tablet"),
       Strength{20, Strength::Per::kUnit}},
      {"the corticosteroid ingredient's strength wins over the name", kCombination,
       OrderBuilder("a").DrugReference("Medication/m"), Strength{5, Strength::Per::kUnit}},
      {"an inactive ingredient is skipped, the name decides", kInactiveOnly,
       OrderBuilder("a").DrugReference("Medication/m"), Strength{20, Strength::Per::kUnit}},
      {"reference display", "",
       OrderBuilder("a").DrugReference("Medication/x", "dexamethasone 4 MG/ML Injectable Solution"),
       Strength{4, Strength::Per::kMilliliter}},
      {"not a corticosteroid", "", OrderBuilder("a").Drug("acyclovir 400 MG Oral Tablet"),
       std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    TestRequest request;
    if (*c.medication_json != '\0') request.RecordJson(c.medication_json);
    request.UnderReview(c.order);
    EXPECT_EQ(MatchFirst(request).strength, c.strength);
  }
}

TEST(MatchMedication, MissingMedicationMatchesNothing) {
  TestRequest request;
  request.UnderReview(OrderBuilder("a"));
  EXPECT_EQ(MatchFirst(request).sets, 0u);
}

}  // namespace
}  // namespace steroid_advisor::cards
