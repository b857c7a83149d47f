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

TEST(MatchMedication, MissingMedicationMatchesNothing) {
  TestRequest request;
  request.UnderReview(OrderBuilder("a"));
  EXPECT_EQ(MatchFirst(request).sets, 0u);
}

}  // namespace
}  // namespace steroid_advisor::cards
