// Systemic vs local corticosteroid orders: route codes, route words, dose-form words.
#include "cards/route.h"

#include "cards/medication_match.h"
#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::OrderBuilder;
using testing::TestRequest;

TEST(ClassifyRoute, RouteCodesWordsAndDoseForms) {
  struct Case {
    const char* name;
    OrderBuilder order;
    RouteKind kind;
  };
  const Case cases[] = {
      {"oral code", OrderBuilder("a").Drug("prednisone").Oral(), RouteKind::kSystemic},
      {"iv code", OrderBuilder("a").Drug("methylprednisolone").Intravenous(), RouteKind::kSystemic},
      {"topical code", OrderBuilder("a").Drug("hydrocortisone 1% cream").Route(testing::kTopical),
       RouteKind::kNonSystemic},
      {"nasal code", OrderBuilder("a").Drug("dexamethasone").Route(testing::kNasal),
       RouteKind::kNonSystemic},
      {"route text inhalation", OrderBuilder("a").Drug("beclomethasone").RouteText("Inhalation"),
       RouteKind::kNonSystemic},
      {"route text by mouth", OrderBuilder("a").Drug("prednisone").RouteText("by mouth"),
       RouteKind::kSystemic},
      {"unknown given route counts as systemic",
       OrderBuilder("a").Drug("dexamethasone").Route("37161004", "Rectal"), RouteKind::kSystemic},
      {"route code outranks dose form", OrderBuilder("a").Drug("prednisolone eye drops").Oral(),
       RouteKind::kSystemic},
      {"no route, no form", OrderBuilder("a").Drug("prednisone"), RouteKind::kSystemic},
      {"no route, tablet", OrderBuilder("a").Drug("prednisone 5 mg oral tablet"),
       RouteKind::kSystemic},
      {"no route, cream", OrderBuilder("a").Drug("hydrocortisone 1% cream"),
       RouteKind::kNonSystemic},
      {"no route, eye drops", OrderBuilder("a").Drug("prednisolone acetate 1% eye drops"),
       RouteKind::kNonSystemic},
      {"no route, nasal spray", OrderBuilder("a").Drug("triamcinolone nasal spray"),
       RouteKind::kNonSystemic},
      {"no route, dosage text", OrderBuilder("a").Drug("budesonide").Text("2 puffs inhaled bid"),
       RouteKind::kNonSystemic},
      {"no route, dosage text iv",
       OrderBuilder("a").Drug("methylprednisolone").Text("1 g iv daily"), RouteKind::kSystemic},
      {"no route, ivermectin is not iv nor local",
       OrderBuilder("a").Drug("dexamethasone").Text("with ivermectin"), RouteKind::kSystemic},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TestRequest request;
    request.UnderReview(c.order);
    const fhir::MedicationRequest& parsed = request.input().under_review.front();
    MedicationFacts medication =
        MatchMedication(parsed.medication, request.input().medications, EmbeddedValueSets());
    EXPECT_EQ(ClassifyRoute(parsed.dosage_instructions, medication, EmbeddedValueSets()), c.kind);
  }
}

TEST(ClassifyRoute, MedicationFormCountsAsDoseFormWithoutRoute) {
  TestRequest request;
  request.RecordJson(R"({"resourceType": "Medication", "id": "inh",
      "code": {"text": "fluticasone"}, "form": {"text": "Inhaler"}})");
  request.UnderReview(OrderBuilder("a").DrugReference("Medication/inh"));
  const fhir::MedicationRequest& parsed = request.input().under_review.front();
  MedicationFacts medication =
      MatchMedication(parsed.medication, request.input().medications, EmbeddedValueSets());
  EXPECT_EQ(ClassifyRoute(parsed.dosage_instructions, medication, EmbeddedValueSets()),
            RouteKind::kNonSystemic);
}

}  // namespace
}  // namespace steroid_advisor::cards
