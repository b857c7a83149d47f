// Rule steroid-premedication: missing, low-dose, too-few-days, and the cases without a card.
#include <string>

#include "cards/card.h"
#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::Alemtuzumab;
using testing::CardOf;
using testing::DayOf;
using testing::Methylprednisolone;
using testing::OrderBuilder;
using testing::TestRequest;

constexpr char kRule[] = "steroid-premedication";

TEST(SteroidPremedicationRule, AlemtuzumabAloneGivesMissingWarningWithPremedicationSuggestion) {
  TestRequest request;
  request.UnderReview(Alemtuzumab());
  std::vector<Card> cards = request.Evaluate();
  std::optional<Card> card = CardOf(cards, kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "missing");
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  EXPECT_EQ(card->summary, "steroid-premedication/missing");
  EXPECT_NE(card->detail.find("drug=alemtuzumab 12 mg/day IV (Lemtrada);"), std::string::npos);
  EXPECT_NE(card->detail.find("label_dose_mg=1000;"), std::string::npos);
  EXPECT_EQ(card->order_references, std::vector<std::string>{"MedicationRequest/alem"});
  ASSERT_EQ(card->suggestions.size(), 1u);
  const Suggestion& suggestion = card->suggestions[0];
  EXPECT_EQ(suggestion.label, "label:add-premedication");
  ASSERT_EQ(suggestion.actions.size(), 1u);
  const Action& action = suggestion.actions[0];
  EXPECT_EQ(action.type, Action::Type::kCreate);
  ASSERT_TRUE(action.create.has_value());
  EXPECT_EQ(action.create->medication.code, "6902");
  EXPECT_EQ(action.create->route.code, "47625008");
  EXPECT_EQ(action.create->dose_value, 1000);
  EXPECT_EQ(action.create->frequency, 1);
  EXPECT_EQ(action.create->start, DayOf("2026-11-25"));  // the first infusion day
  EXPECT_EQ(action.create->end, DayOf("2026-11-27"));
  EXPECT_EQ(action.create->subject_reference, "Patient/p1");
}

TEST(SteroidPremedicationRule, SuggestionStartsTodayWhenTheInfusionDayIsNotStated) {
  TestRequest request;
  request.UnderReview(OrderBuilder("alem").Drug("Lemtrada").Intravenous().Dose(12).Daily());
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  ASSERT_EQ(card->suggestions.size(), 1u);
  EXPECT_EQ(card->suggestions[0].actions[0].create->start, DayOf(testing::kToday));
}

TEST(SteroidPremedicationRule, AdequatePremedicationGivesNoCard) {
  struct Case {
    const char* name;
    OrderBuilder steroid;
  };
  const Case cases[] = {
      {"methylprednisolone 1000 mg x3", Methylprednisolone("mp", 1000, "2026-11-25", "2026-11-27")},
      {"1 g written in grams", OrderBuilder("mp")
                                   .Drug("Solu-Medrol")
                                   .Intravenous()
                                   .Dose(1, "g")
                                   .Daily()
                                   .Bounds("2026-11-25", "2026-11-27")},
      {"prednisone 1250 mg is 1000 mg methylprednisolone", OrderBuilder("p")
                                                               .Drug("prednisone", "8640")
                                                               .Oral()
                                                               .Dose(1250)
                                                               .Daily()
                                                               .Bounds("2026-11-25", "2026-11-29")},
      {"500 mg twice daily", OrderBuilder("mp")
                                 .Drug("methylprednisolone", "6902")
                                 .Intravenous()
                                 .Dose(500)
                                 .Every(2, 1, "d")
                                 .Bounds("2026-11-25", "2026-11-27")},
      {"count 3 once daily", OrderBuilder("mp")
                                 .Drug("methylprednisolone", "6902")
                                 .Intravenous()
                                 .Dose(1000)
                                 .Daily()
                                 .Count(3)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TestRequest request;
    request.UnderReview(Alemtuzumab()).OtherDraft(c.steroid);
    EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
  }
}

TEST(SteroidPremedicationRule, SteroidUnderReviewAlongsideCountsAsPremedication) {
  TestRequest request;  // order-sign: every draft is under review
  request.UnderReview(Alemtuzumab())
      .UnderReview(Methylprednisolone("mp", 1000, "2026-11-25", "2026-11-27"));
  EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
}

TEST(SteroidPremedicationRule, LowDoseMethylprednisoloneGivesWarning) {
  TestRequest request;
  request.UnderReview(Alemtuzumab())
      .UnderReview(Methylprednisolone("mp", 500, "2026-11-25", "2026-11-27"));
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "low-dose");
  EXPECT_NE(card->detail.find("steroid=methylprednisolone;"), std::string::npos);
  EXPECT_NE(card->detail.find("dose_mg=500;"), std::string::npos);
  EXPECT_NE(card->detail.find("equivalent_mg=500;"), std::string::npos);
  EXPECT_NE(card->detail.find("label_dose_mg=1000;"), std::string::npos);
  EXPECT_TRUE(card->suggestions.empty());
  EXPECT_EQ(card->order_references,
            (std::vector<std::string>{"MedicationRequest/alem", "MedicationRequest/mp"}));
}

// Issue #13: premedication is often ordered in vials; the strength in the product name, or the
// Medication's ingredient.strength, makes them mg.
TEST(SteroidPremedicationRule, MethylprednisoloneVialsCountWithTheProductStrength) {
  struct Case {
    const char* name;
    OrderBuilder steroid;
    const char* variant;  // nullptr: no card
  };
  const char* const kSoluMedrol = R"({"resourceType": "Medication", "id": "solu-medrol-1g",
      "code": {"text": "Solu-Medrol"},
      "ingredient": [{"itemCodeableConcept": {"text": "methylprednisolone sodium succinate"},
          "strength": {"numerator": {"value": 1, "system": "http://unitsofmeasure.org",
                                     "code": "g"},
                       "denominator": {"value": 1, "system": "http://unitsofmeasure.org",
                                       "code": "{vial}"}}}]})";
  auto vials = [](const char* product, double count) {
    return OrderBuilder("mp")
        .Drug(product)
        .Intravenous()
        .Dose(count, "{vial}")
        .Daily()
        .Bounds("2026-11-25", "2026-11-27");
  };
  const Case cases[] = {
      {"1 vial of 1000 mg", vials("methylprednisolone sodium succinate 1000 MG Injection", 1),
       nullptr},
      {"2 vials of 500 mg", vials("methylprednisolone sodium succinate 500 MG Injection", 2),
       nullptr},
      {"1 vial of 500 mg",
       vials("methylprednisolone sodium succinate 500 MG Injection [Solu-Medrol]", 1), "low-dose"},
      {"a vial of a per-mL suspension is not read",
       vials("methylprednisolone acetate 40 MG/ML Injectable Suspension [Depo-Medrol]", 1),
       nullptr},
      {"1 vial of a Medication with ingredient.strength 1 g per vial",
       OrderBuilder("mp")
           .DrugReference("#solu-medrol-1g")
           .Contained(kSoluMedrol)
           .Intravenous()
           .Dose(1, "{vial}")
           .Daily()
           .Bounds("2026-11-25", "2026-11-27"),
       nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TestRequest request;
    request.UnderReview(Alemtuzumab()).UnderReview(c.steroid);
    std::optional<Card> card = CardOf(request.Evaluate(), kRule);
    if (c.variant == nullptr) {
      EXPECT_FALSE(card.has_value());
      continue;
    }
    ASSERT_TRUE(card.has_value());
    EXPECT_EQ(card->variant, c.variant);
    EXPECT_NE(card->detail.find("dose_mg=500;"), std::string::npos);
  }
}

TEST(SteroidPremedicationRule, DexamethasoneIsConvertedBeforeComparing) {
  TestRequest request;
  request.UnderReview(Alemtuzumab())
      .OtherDraft(OrderBuilder("dex")
                      .Drug("dexamethasone", "3264")
                      .Intravenous()
                      .Dose(20)
                      .Daily()
                      .Bounds("2026-11-25", "2026-11-27"));
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "low-dose");
  // 20 mg dexamethasone = 133.33 mg prednisone = 106.67 mg methylprednisolone.
  EXPECT_NE(card->detail.find("equivalent_mg=106.67;"), std::string::npos);
}

TEST(SteroidPremedicationRule, TooFewDaysGivesWarningNamingCoveredDays) {
  TestRequest request;
  request.UnderReview(Alemtuzumab())
      .OtherDraft(Methylprednisolone("mp", 1000, "2026-11-25", "2026-11-26"));
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "too-few-days");
  EXPECT_NE(card->detail.find("covered_days=2;"), std::string::npos);
  EXPECT_NE(card->detail.find("required_days=3;"), std::string::npos);
  EXPECT_NE(card->detail.find(";days=2;"), std::string::npos);
  // The steroid is another draft, not under review: only the alemtuzumab order is named.
  EXPECT_EQ(card->order_references, std::vector<std::string>{"MedicationRequest/alem"});
}

TEST(SteroidPremedicationRule, DaysOutsideTheFirstInfusionDaysDoNotCover) {
  TestRequest request;
  request.UnderReview(Alemtuzumab())
      .OtherDraft(Methylprednisolone("mp", 1000, "2026-11-27", "2026-11-29"));
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "too-few-days");
  EXPECT_NE(card->detail.find("covered_days=1;"), std::string::npos);
}

TEST(SteroidPremedicationRule, TwoOrdersTogetherCoverTheDays) {
  TestRequest request;
  request.UnderReview(Alemtuzumab())
      .OtherDraft(Methylprednisolone("day1", 1000, "2026-11-25", "2026-11-25"))
      .OtherDraft(Methylprednisolone("day23", 1000, "2026-11-26", "2026-11-27"));
  EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
}

TEST(SteroidPremedicationRule, ActiveRecordSteroidCountsAndHistoryDoesNot) {
  struct Case {
    const char* status;
    bool card;
  };
  const Case cases[] = {{"active", false},         {"on-hold", false}, {"draft", false},
                        {"completed", true},       {"stopped", true},  {"cancelled", true},
                        {"entered-in-error", true}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.status);
    TestRequest request;
    request.UnderReview(Alemtuzumab())
        .Record(Methylprednisolone("rec", 1000, "2026-11-25", "2026-11-27").Status(c.status));
    std::optional<Card> card = CardOf(request.Evaluate(), kRule);
    EXPECT_EQ(card.has_value(), c.card);
    if (card.has_value()) {
      EXPECT_EQ(card->variant, "missing");
    }
  }
}

TEST(SteroidPremedicationRule, ActiveMedicationStatementCounts) {
  TestRequest request;
  request.UnderReview(Alemtuzumab()).RecordJson(R"({"resourceType": "MedicationStatement",
      "id": "ms", "status": "active",
      "medicationCodeableConcept": {"text": "methylprednisolone"},
      "effectivePeriod": {"start": "2026-11-25", "end": "2026-11-27"},
      "dosage": [{"route": {"coding": [{"system": "http://snomed.info/sct", "code": "47625008"}]},
                  "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                  "doseAndRate": [{"doseQuantity": {"value": 1000, "code": "mg"}}]}]})");
  EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
}

TEST(SteroidPremedicationRule, LocalCorticosteroidIsNoPremedication) {
  TestRequest request;
  request.UnderReview(Alemtuzumab())
      .OtherDraft(OrderBuilder("cream")
                      .Drug("hydrocortisone 1% cream")
                      .Dose(1000)
                      .Daily()
                      .Bounds("2026-11-25", "2026-11-27"));
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "missing");
}

TEST(SteroidPremedicationRule, UnreadableDataGivesNoCard) {
  struct Case {
    const char* name;
    OrderBuilder steroid;
  };
  const Case cases[] = {
      {"dose without unit", OrderBuilder("mp")
                                .Drug("methylprednisolone", "6902")
                                .Intravenous()
                                .Dose(1000, "")
                                .Daily()
                                .Bounds("2026-11-25", "2026-11-27")},
      {"dose in tablets", OrderBuilder("mp")
                              .Drug("methylprednisolone", "6902")
                              .Oral()
                              .Dose(2, "tablet")
                              .Daily()
                              .Bounds("2026-11-25", "2026-11-27")},
      {"adequate dose, unknown days",
       OrderBuilder("mp").Drug("methylprednisolone", "6902").Intravenous().Dose(1000).Daily()},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TestRequest request;
    request.UnderReview(Alemtuzumab()).OtherDraft(c.steroid);
    EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
  }
}

TEST(SteroidPremedicationRule, WithoutTheRecordNoCard) {
  TestRequest request;
  request.UnderReview(Alemtuzumab()).NoRecord();
  EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
}

TEST(SteroidPremedicationRule, NoAlemtuzumabNoCard) {
  TestRequest request;
  request.UnderReview(Methylprednisolone("mp", 100, "2026-11-25", "2026-11-27"));
  EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
}

}  // namespace
}  // namespace steroid_advisor::cards
