// Rule overlapping-immunosuppression: both directions, and what does not count.
#include <string>

#include "cards/card.h"
#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::Alemtuzumab;
using testing::CardOf;
using testing::OrderBuilder;
using testing::TestRequest;

constexpr char kRule[] = "overlapping-immunosuppression";

OrderBuilder PastAlemtuzumab() {
  return OrderBuilder("hist-alem").Status("completed").Drug("Lemtrada").Authored("2026-05-02");
}

TEST(OverlappingImmunosuppressionRule, ImmunosuppressantAfterAlemtuzumabGivesWarning) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(OrderBuilder("ocr").Drug("Ocrevus 600 mg IV").Intravenous().Dose(600));
  std::optional<Card> card = CardOf(request.Evaluate(), kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "default");
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  EXPECT_EQ(card->detail.rfind("drug=Ocrevus 600 mg IV;", 0), 0u);  // detail starts with drug
  EXPECT_NE(card->detail.find("other_drug=Ocrevus 600 mg IV;"), std::string::npos);
  EXPECT_NE(card->detail.find("last_alemtuzumab_date=2026-05-02;"), std::string::npos);
  EXPECT_EQ(card->order_references, std::vector<std::string>{"MedicationRequest/ocr"});
}

TEST(OverlappingImmunosuppressionRule, AlemtuzumabWhileImmunosuppressantActiveGivesWarning) {
  struct Case {
    const char* name;
    bool in_record;
    const char* status;
    bool card;
  };
  const Case cases[] = {
      {"active in the record", true, "active", true},
      {"on hold in the record", true, "on-hold", true},
      {"stopped in the record", true, "stopped", false},
      {"drafted alongside", false, "draft", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TestRequest request;
    OrderBuilder fingolimod =
        OrderBuilder("fty").Status(c.status).Drug("fingolimod", "1012892").Oral().Dose(0.5);
    request.UnderReview(Alemtuzumab());
    if (c.in_record) {
      request.Record(fingolimod);
    } else {
      request.OtherDraft(fingolimod);
    }
    std::optional<Card> card = CardOf(request.Evaluate(), kRule);
    ASSERT_EQ(card.has_value(), c.card);
    if (!card.has_value()) continue;
    EXPECT_NE(card->detail.find("drug=alemtuzumab 12 mg/day IV (Lemtrada);"), std::string::npos);
    EXPECT_NE(card->detail.find("other_drug=fingolimod;"), std::string::npos);
    EXPECT_NE(card->detail.find("last_alemtuzumab_date=today;"), std::string::npos);
    EXPECT_EQ(card->order_references, std::vector<std::string>{"MedicationRequest/alem"});
  }
}

TEST(OverlappingImmunosuppressionRule, NoExposureNoCard) {
  TestRequest request;
  request.UnderReview(OrderBuilder("ocr").Drug("ocrelizumab", "1876366"));
  EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
}

TEST(OverlappingImmunosuppressionRule, AlemtuzumabCodedInTheL04ClassIsNotAnotherImmunosuppressant) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(OrderBuilder("alem").Drug("", "L04AG06", "http://www.whocc.no/atc"));
  EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
}

TEST(OverlappingImmunosuppressionRule, AtcClassMatchesImmunosuppressants) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(OrderBuilder("aza").Drug("", "L04AX01", "http://www.whocc.no/atc"));
  EXPECT_TRUE(CardOf(request.Evaluate(), kRule).has_value());
}

}  // namespace
}  // namespace steroid_advisor::cards
