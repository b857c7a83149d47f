// Rule prolonged-steroid: warning, critical, critical with PJP prophylaxis active, continuous
// courses, and the cases without a card.
#include <algorithm>
#include <string>

#include "cards/card.h"
#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::Alemtuzumab;
using testing::CardOf;
using testing::DayOf;
using testing::OrderBuilder;
using testing::Prednisone;
using testing::TestRequest;

constexpr char kRule[] = "prolonged-steroid";

// Alemtuzumab given 4 months before kToday.
OrderBuilder PastAlemtuzumab() {
  return Alemtuzumab("hist-alem")
      .Status("completed")
      .Authored("2026-07-26")
      .Bounds("2026-07-27", "2026-07-31");
}

bool DetailHas(const Card& card, const std::string& text) {
  return card.detail.find(text) != std::string::npos;
}

// The headline case (examples/order-sign-prednisone-6-weeks-after-alemtuzumab.json).
TEST(ProlongedSteroidRule, PrednisoneFortyMgForSixWeeksAfterAlemtuzumabIsCritical) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(Prednisone("draft-pred", 40, "2026-11-24", "2027-01-04"));
  std::vector<Card> cards = request.Evaluate();
  std::optional<Card> card = CardOf(cards, kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "critical");
  EXPECT_EQ(card->indicator, Indicator::kCritical);
  EXPECT_TRUE(DetailHas(*card, "drug=prednisone;"));
  EXPECT_TRUE(DetailHas(*card, "dose_mg=40;"));
  EXPECT_TRUE(DetailHas(*card, "equivalent_mg=40;"));
  EXPECT_TRUE(DetailHas(*card, ";days=42;"));
  EXPECT_TRUE(DetailHas(*card, "threshold_days=21;"));
  EXPECT_TRUE(DetailHas(*card, "high_dose_mg=20;"));
  EXPECT_TRUE(DetailHas(*card, "high_dose_days=28;"));
  EXPECT_TRUE(DetailHas(*card, "last_alemtuzumab_date=2026-07-31;"));
  EXPECT_TRUE(DetailHas(*card, "window_months=12;"));
  EXPECT_EQ(card->order_references, std::vector<std::string>{"MedicationRequest/draft-pred"});

  ASSERT_EQ(card->suggestions.size(), 2u);
  const Suggestion& shorten = card->suggestions[0];
  EXPECT_EQ(shorten.label, "label:shorten-course");
  ASSERT_EQ(shorten.actions.size(), 1u);
  EXPECT_EQ(shorten.actions[0].type, Action::Type::kUpdate);
  EXPECT_EQ(shorten.actions[0].update_source, request.input().under_review[0].json);
  EXPECT_EQ(shorten.actions[0].new_start, DayOf("2026-11-24"));
  EXPECT_EQ(shorten.actions[0].new_end, DayOf("2026-12-14"));  // 21 days

  const Suggestion& pjp = card->suggestions[1];
  EXPECT_EQ(pjp.label, "label:add-pjp-prophylaxis");
  ASSERT_EQ(pjp.actions.size(), 1u);
  const std::optional<ProposedMedicationRequest>& order = pjp.actions[0].create;
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(order->medication.system, "http://www.whocc.no/atc");
  EXPECT_EQ(order->medication.code, "J01EE01");
  EXPECT_EQ(order->dose_value, 960);
  EXPECT_EQ(order->route.code, "26643006");
  EXPECT_EQ(order->start, DayOf("2026-11-24"));
  EXPECT_EQ(order->subject_reference, "Patient/p1");
}

TEST(ProlongedSteroidRule, VariantFollowsDoseDaysAndActivePjpProphylaxis) {
  struct Case {
    const char* name;
    OrderBuilder steroid;
    bool pjp_active;
    const char* variant;  // nullptr: no card
  };
  const Case cases[] = {
      {"21 days is not prolonged", Prednisone("p", 40, "2026-11-24", "2026-12-14"), false, nullptr},
      {"22 days at 40 mg: warning (under 28 days)", Prednisone("p", 40, "2026-11-24", "2026-12-15"),
       false, "warning"},
      {"28 days at 20 mg: critical", Prednisone("p", 20, "2026-11-24", "2026-12-21"), false,
       "critical"},
      {"42 days at 10 mg: warning", Prednisone("p", 10, "2026-11-24", "2027-01-04"), false,
       "warning"},
      {"19 mg is under the high dose", Prednisone("p", 19, "2026-11-24", "2027-01-04"), false,
       "warning"},
      {"dexamethasone 6 mg is prednisone 40 mg",
       OrderBuilder("d")
           .Drug("dexamethasone", "3264")
           .Oral()
           .Dose(6)
           .Daily()
           .BoundsDuration(6, "wk"),
       false, "critical"},
      {"critical with PJP prophylaxis active", Prednisone("p", 40, "2026-11-24", "2027-01-04"),
       true, "critical-pjp-active"},
      {"short course never", Prednisone("p", 60, "2026-11-24", "2026-11-28"), false, nullptr},
      {"unknown days", OrderBuilder("p").Drug("prednisone", "8640").Oral().Dose(40).Daily(), false,
       nullptr},
      {"dose without unit",
       OrderBuilder("p")
           .Drug("prednisone", "8640")
           .Oral()
           .Dose(40, "")
           .Daily()
           .Bounds("2026-11-24", "2027-01-04"),
       false, "dose-unknown"},
      {"tablets of a product without strength",
       OrderBuilder("p")
           .Drug("prednisone", "8640")
           .Oral()
           .Dose(2, "{tbl}")
           .Daily()
           .Bounds("2026-11-24", "2027-01-04"),
       false, "dose-unknown"},
      {"tablets of 5 mg: 4 a day is 20 mg",
       OrderBuilder("p")
           .Drug("prednisone 5 MG Oral Tablet [Deltasone]")
           .Oral()
           .Dose(4, "{tablet}")
           .Daily()
           .Bounds("2026-11-24", "2026-12-21"),
       false, "critical"},
      {"tablets of 5 mg: 3 a day is 15 mg",
       OrderBuilder("p")
           .Drug("prednisone 5 MG Oral Tablet [Deltasone]")
           .Oral()
           .Dose(3, "{tablet}")
           .Daily()
           .Bounds("2026-11-24", "2026-12-21"),
       false, "warning"},
      {"unknown dose with PJP prophylaxis active is still not critical",
       OrderBuilder("p")
           .Drug("prednisone", "8640")
           .Oral()
           .Dose(2, "{tbl}")
           .Daily()
           .Bounds("2026-11-24", "2027-01-04"),
       true, "dose-unknown"},
      {"topical",
       OrderBuilder("p")
           .Drug("hydrocortisone 1% cream")
           .Route(testing::kTopical)
           .Dose(40)
           .Daily()
           .Bounds("2026-11-24", "2027-01-04"),
       false, nullptr},
      {"inhaled by words",
       OrderBuilder("p")
           .Drug("prednisolone")
           .RouteText("inhalation")
           .Dose(40)
           .Daily()
           .Bounds("2026-11-24", "2027-01-04"),
       false, nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TestRequest request;
    request.Record(PastAlemtuzumab()).UnderReview(c.steroid);
    if (c.pjp_active) {
      request.Record(OrderBuilder("smx").Status("active").Drug("Bactrim DS").Oral().Dose(960));
    }
    std::vector<Card> cards = request.Evaluate();
    std::optional<Card> card = CardOf(cards, kRule);
    if (c.variant == nullptr) {
      EXPECT_FALSE(card.has_value());
      continue;
    }
    ASSERT_TRUE(card.has_value());
    EXPECT_EQ(card->variant, c.variant);
    bool has_pjp_suggestion = false;
    for (const Suggestion& suggestion : card->suggestions) {
      has_pjp_suggestion = has_pjp_suggestion || suggestion.label == "label:add-pjp-prophylaxis";
    }
    EXPECT_EQ(has_pjp_suggestion, std::string(c.variant) == "critical");
  }
}

// Issue #13: the CDS Hooks sandbox orders "Prednisone 20 MG Oral Tablet", 2 {pill} daily for 6
// weeks; the strength in the name makes that 40 mg a day.
TEST(ProlongedSteroidRule, SandboxPrednisoneTabletsAreConvertedWithTheStrengthInTheName) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(OrderBuilder("request-123")
                       .Drug("Prednisone 20 MG Oral Tablet", "312615")
                       .Dose(2, "{pill}")
                       .Daily()
                       .Bounds("2026-11-29", "2027-01-09"));
  std::vector<Card> cards = request.Evaluate();
  std::optional<Card> card = CardOf(cards, kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "critical");
  EXPECT_TRUE(DetailHas(*card, "dose_mg=40;"));
  EXPECT_TRUE(DetailHas(*card, "equivalent_mg=40;"));
  EXPECT_TRUE(DetailHas(*card, ";days=42;"));
}

// RULES.md 3: the duration decides; an unreadable dose leaves the card a warning that says so.
TEST(ProlongedSteroidRule, UnreadableDoseStillWarnsWithoutADose) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(OrderBuilder("p")
                       .Drug("prednisone", "8640")
                       .Oral()
                       .Dose(2, "{pill}")
                       .Daily()
                       .Bounds("2026-11-24", "2027-01-04"));
  std::vector<Card> cards = request.Evaluate();
  std::optional<Card> card = CardOf(cards, kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "dose-unknown");
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  EXPECT_TRUE(DetailHas(*card, "steroid=prednisone;"));
  EXPECT_TRUE(DetailHas(*card, "dose_mg=;"));
  EXPECT_TRUE(DetailHas(*card, "equivalent_mg=;"));
  EXPECT_TRUE(DetailHas(*card, ";days=42;"));
  ASSERT_EQ(card->suggestions.size(), 1u);
  EXPECT_EQ(card->suggestions[0].label, "label:shorten-course");
}

TEST(ProlongedSteroidRule, ReferencedMedicationIngredientStrengthConvertsTablets) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .RecordJson(R"({"resourceType": "Medication", "id": "pred-10",
          "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                               "code": "8640", "display": "prednisone"}]},
          "ingredient": [{"itemCodeableConcept": {"text": "prednisone"}, "isActive": true,
              "strength": {"numerator": {"value": 10, "system": "http://unitsofmeasure.org",
                                         "code": "mg"},
                           "denominator": {"value": 1, "code": "TAB", "system":
                               "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm"}}}]})")
      .UnderReview(OrderBuilder("p")
                       .DrugReference("Medication/pred-10")
                       .Oral()
                       .Dose(3, "{tbl}")
                       .Daily()
                       .Bounds("2026-11-24", "2027-01-04"));
  std::vector<Card> cards = request.Evaluate();
  std::optional<Card> card = CardOf(cards, kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "critical");
  EXPECT_TRUE(DetailHas(*card, "dose_mg=30;"));
}

TEST(ProlongedSteroidRule, NeedsAlemtuzumabExposureWithinTheWindow) {
  struct Case {
    const char* name;
    const char* authored;
    bool card;
  };
  const Case cases[] = {
      {"4 months ago", "2026-07-26", true},
      {"exactly 12 months ago", "2025-11-24", true},
      {"12 months and a day ago", "2025-11-23", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TestRequest request;
    request.Record(OrderBuilder("alem").Status("completed").Drug("Lemtrada").Authored(c.authored))
        .UnderReview(Prednisone("p", 40, "2026-11-24", "2027-01-04"));
    EXPECT_EQ(CardOf(request.Evaluate(), kRule).has_value(), c.card);
  }
}

TEST(ProlongedSteroidRule, ExposureFromAdministrationsStatementsAndDrafts) {
  {
    TestRequest request;
    request
        .RecordJson(R"({"resourceType": "MedicationAdministration", "id": "ma",
        "status": "completed", "medicationCodeableConcept": {"text": "Lemtrada"},
        "effectiveDateTime": "2026-06-01T10:00:00Z"})")
        .UnderReview(Prednisone("p", 40, "2026-11-24", "2027-01-04"));
    std::optional<Card> card = CardOf(request.Evaluate(), kRule);
    ASSERT_TRUE(card.has_value());
    EXPECT_TRUE(DetailHas(*card, "last_alemtuzumab_date=2026-06-01;"));
  }
  {
    TestRequest request;
    request
        .RecordJson(R"({"resourceType": "MedicationAdministration", "id": "ma",
        "status": "not-done", "medicationCodeableConcept": {"text": "Lemtrada"},
        "effectiveDateTime": "2026-06-01"})")
        .RecordJson(R"({"resourceType": "MedicationStatement", "id": "ms",
        "status": "entered-in-error", "medicationCodeableConcept": {"text": "alemtuzumab"},
        "effectiveDateTime": "2026-06-01"})")
        .UnderReview(Prednisone("p", 40, "2026-11-24", "2027-01-04"));
    EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
  }
  {
    TestRequest request;
    request
        .RecordJson(R"({"resourceType": "MedicationStatement", "id": "ms",
        "status": "completed", "medicationCodeableConcept": {"text": "alemtuzumab"},
        "dateAsserted": "2026-03-01"})")
        .UnderReview(Prednisone("p", 40, "2026-11-24", "2027-01-04"));
    EXPECT_TRUE(CardOf(request.Evaluate(), kRule).has_value());
  }
  {
    TestRequest request;  // alemtuzumab drafted in the same request
    request.OtherDraft(Alemtuzumab()).UnderReview(Prednisone("p", 40, "2026-11-24", "2027-01-04"));
    std::optional<Card> card = CardOf(request.Evaluate(), kRule);
    ASSERT_TRUE(card.has_value());
    EXPECT_TRUE(DetailHas(*card, "last_alemtuzumab_date=today;"));
  }
}

TEST(ProlongedSteroidRule, ContinuousEarlierCourseAddsItsDays) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .Record(Prednisone("running", 10, "2026-11-10", "2026-11-23").Status("active"))
      .UnderReview(Prednisone("next", 10, "2026-11-24", "2026-12-03"));  // 10 days
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "warning");
  EXPECT_TRUE(DetailHas(*card, ";days=24;"));
  ASSERT_EQ(card->suggestions.size(), 1u);
  ASSERT_EQ(card->suggestions[0].actions.size(), 1u);
  // 14 days already taken: the new order may run 7 more to stay within 21.
  EXPECT_EQ(card->suggestions[0].actions[0].new_end, DayOf("2026-11-30"));
}

TEST(ProlongedSteroidRule, CoursesChainAndOverlap) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .Record(Prednisone("first", 30, "2026-11-01", "2026-11-10").Status("active"))
      .Record(Prednisone("second", 30, "2026-11-08", "2026-11-23").Status("on-hold"))
      .UnderReview(Prednisone("next", 30, "2026-11-24", "2026-12-01"));  // 8 days
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "critical");  // 23 + 8 = 31 days at 30 mg
  EXPECT_TRUE(DetailHas(*card, ";days=31;"));
  // The earlier courses alone exceed 21 days: no shortening can fix it, no update action.
  for (const Suggestion& suggestion : card->suggestions) {
    EXPECT_NE(suggestion.label, "label:shorten-course");
  }
}

TEST(ProlongedSteroidRule, AGapOrAFinishedCourseBreaksTheChain) {
  {
    TestRequest request;
    request.Record(PastAlemtuzumab())
        .Record(Prednisone("gap", 10, "2026-11-10", "2026-11-22").Status("active"))
        .UnderReview(Prednisone("next", 10, "2026-11-24", "2026-12-03"));
    EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
  }
  {
    TestRequest request;
    request.Record(PastAlemtuzumab())
        .Record(Prednisone("done", 10, "2026-11-10", "2026-11-23").Status("completed"))
        .UnderReview(Prednisone("next", 10, "2026-11-24", "2026-12-03"));
    EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
  }
}

TEST(ProlongedSteroidRule, ShortCourseContinuingAnotherIsStillShort) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .Record(Prednisone("running", 10, "2026-10-01", "2026-11-23").Status("active"))
      .UnderReview(Prednisone("next", 10, "2026-11-24", "2026-11-28"));
  EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
}

TEST(ProlongedSteroidRule, OneCardNamesEveryProlongedOrder) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(Prednisone("a", 10, "2026-11-24", "2027-01-04"))
      .UnderReview(OrderBuilder("b")
                       .Drug("methylprednisolone", "6902")
                       .Oral()
                       .Dose(32)
                       .Daily()
                       .BoundsDuration(6, "wk")
                       .Authored(testing::kToday));
  std::vector<Card> cards = request.Evaluate();
  ASSERT_EQ(std::count_if(cards.begin(), cards.end(),
                          [](const Card& card) { return card.rule_id == kRule; }),
            1);
  std::optional<Card> card = CardOf(cards, kRule);
  EXPECT_EQ(card->variant, "critical");  // b: 32 mg methylprednisolone = 40 mg prednisone
  EXPECT_TRUE(DetailHas(*card, "drug=prednisone, methylprednisolone;"));
  EXPECT_TRUE(DetailHas(*card, "steroid=methylprednisolone;"));
  EXPECT_EQ(card->order_references,
            (std::vector<std::string>{"MedicationRequest/a", "MedicationRequest/b"}));
  ASSERT_FALSE(card->suggestions.empty());
  EXPECT_EQ(card->suggestions[0].actions.size(), 2u);
}

}  // namespace
}  // namespace steroid_advisor::cards
