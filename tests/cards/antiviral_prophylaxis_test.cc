// Rule antiviral-prophylaxis: missing antiviral with alemtuzumab, and what counts as present.
#include <string>

#include "cards/card.h"
#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::Acyclovir;
using testing::Alemtuzumab;
using testing::CardOf;
using testing::DayOf;
using testing::OrderBuilder;
using testing::TestRequest;

constexpr char kRule[] = "antiviral-prophylaxis";

TEST(AntiviralProphylaxisRule, AlemtuzumabWithoutAntiviralGivesWarningWithAcyclovirSuggestion) {
  TestRequest request;
  request.UnderReview(Alemtuzumab());
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "missing");
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  EXPECT_NE(card->detail.find("drug=alemtuzumab 12 mg/day IV (Lemtrada);"), std::string::npos);
  EXPECT_EQ(card->order_references, std::vector<std::string>{"MedicationRequest/alem"});
  ASSERT_EQ(card->suggestions.size(), 1u);
  EXPECT_EQ(card->suggestions[0].label, "label:add-antiviral");
  ASSERT_EQ(card->suggestions[0].actions.size(), 1u);
  const std::optional<ProposedMedicationRequest>& order = card->suggestions[0].actions[0].create;
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(order->medication.code, "281");
  EXPECT_EQ(order->route.code, "26643006");
  EXPECT_EQ(order->dose_value, 200);
  EXPECT_EQ(order->frequency, 2);
  EXPECT_EQ(order->start, DayOf("2026-11-25"));
  EXPECT_EQ(order->end, DayOf("2027-01-29"));  // 2 months after the last infusion day
}

TEST(AntiviralProphylaxisRule, WithoutAStatedCourseTheSuggestionRunsTwoMonths) {
  TestRequest request;
  request.UnderReview(OrderBuilder("alem").Drug("alemtuzumab", "117055"));
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  const std::optional<ProposedMedicationRequest>& order = card->suggestions[0].actions[0].create;
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(order->start, DayOf(testing::kToday));
  EXPECT_FALSE(order->end.has_value());
  EXPECT_EQ(order->duration_value, 2);
  EXPECT_EQ(order->duration_unit, "mo");
}

TEST(AntiviralProphylaxisRule, ActiveOrDraftedAntiviralGivesNoCard) {
  {
    TestRequest request;
    request.UnderReview(Alemtuzumab()).OtherDraft(Acyclovir());
    EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
  }
  {
    TestRequest request;
    request.UnderReview(Alemtuzumab())
        .Record(
            OrderBuilder("val").Status("active").Drug("Valtrex 500 mg tablet").Oral().Dose(500));
    EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
  }
  {
    TestRequest request;
    request.UnderReview(Alemtuzumab()).RecordJson(R"({"resourceType": "MedicationStatement",
        "id": "fam", "status": "active", "medicationCodeableConcept": {"coding": [
        {"system": "http://www.whocc.no/atc", "code": "J05AB09"}]}})");
    EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
  }
}

TEST(AntiviralProphylaxisRule, CompletedAntiviralInTheRecordDoesNotCount) {
  TestRequest request;
  request.UnderReview(Alemtuzumab()).Record(Acyclovir("old").Status("completed"));
  EXPECT_TRUE(CardOf(request.Evaluate(), kRule).has_value());
}

TEST(AntiviralProphylaxisRule, WithoutTheRecordNoCard) {
  TestRequest request;
  request.UnderReview(Alemtuzumab()).NoRecord();
  EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
}

}  // namespace
}  // namespace steroid_advisor::cards
