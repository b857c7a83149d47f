// Rule relapse-steroid-course: a short course after alemtuzumab, not when it is premedication.
#include <string>

#include "cards/card.h"
#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::Alemtuzumab;
using testing::CardOf;
using testing::FindCard;
using testing::Methylprednisolone;
using testing::OrderBuilder;
using testing::TestRequest;

constexpr char kRule[] = "relapse-steroid-course";

OrderBuilder PastAlemtuzumab() {
  return OrderBuilder("hist-alem")
      .Status("completed")
      .Drug("alemtuzumab", "117055")
      .Authored("2026-02-10");
}

TEST(RelapseSteroidCourseRule, ShortCourseAfterAlemtuzumabGivesInfo) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(Methylprednisolone("mp", 1000, "2026-11-24", "2026-11-28"));
  std::vector<Card> cards = request.Evaluate();
  std::optional<Card> card = CardOf(cards, kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "default");
  EXPECT_EQ(card->indicator, Indicator::kInfo);
  EXPECT_NE(card->detail.find("steroid=methylprednisolone;"), std::string::npos);
  EXPECT_NE(card->detail.find("dose_mg=1000;"), std::string::npos);
  EXPECT_NE(card->detail.find("equivalent_mg=1250;"), std::string::npos);
  EXPECT_NE(card->detail.find(";days=5;"), std::string::npos);
  EXPECT_NE(card->detail.find("short_course_days=5;"), std::string::npos);
  EXPECT_NE(card->detail.find("last_alemtuzumab_date=2026-02-10;"), std::string::npos);
  EXPECT_EQ(card->order_references, std::vector<std::string>{"MedicationRequest/mp"});
  EXPECT_EQ(FindCard(cards, "prolonged-steroid"), nullptr);
}

TEST(RelapseSteroidCourseRule, VialsOfAnInjectionCountWithTheStrengthInItsName) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(OrderBuilder("mp")
                       .Drug("methylprednisolone sodium succinate 1000 MG Injection")
                       .Intravenous()
                       .Dose(1, "{vial}")
                       .Daily()
                       .Bounds("2026-11-24", "2026-11-26"));
  std::vector<Card> cards = request.Evaluate();
  std::optional<Card> card = CardOf(cards, kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "default");
  EXPECT_NE(card->detail.find("dose_mg=1000;"), std::string::npos);
}

// RULES.md 5: the relapse card does not need the dose.
TEST(RelapseSteroidCourseRule, UnreadableDoseStillGivesTheInfoCardWithoutADose) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(OrderBuilder("mp")
                       .Drug("methylprednisolone", "6902")
                       .Intravenous()
                       .Dose(1, "{vial}")
                       .Daily()
                       .Bounds("2026-11-24", "2026-11-26"));
  std::vector<Card> cards = request.Evaluate();
  std::optional<Card> card = CardOf(cards, kRule);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->variant, "dose-unknown");
  EXPECT_EQ(card->indicator, Indicator::kInfo);
  EXPECT_NE(card->detail.find("steroid=methylprednisolone;"), std::string::npos);
  EXPECT_NE(card->detail.find("dose_mg=;"), std::string::npos);
  EXPECT_NE(card->detail.find(";days=3;"), std::string::npos);
}

TEST(RelapseSteroidCourseRule, NoCardWhenNotAShortRelapseCourseAfterAlemtuzumab) {
  struct Case {
    const char* name;
    bool past_alemtuzumab;
    bool alemtuzumab_drafted;
    OrderBuilder steroid;
  };
  const Case cases[] = {
      {"premedication: alemtuzumab drafted", true, true,
       Methylprednisolone("mp", 1000, "2026-11-25", "2026-11-27")},
      {"six days is not short", true, false,
       Methylprednisolone("mp", 1000, "2026-11-24", "2026-11-29")},
      {"no exposure", false, false, Methylprednisolone("mp", 1000, "2026-11-24", "2026-11-28")},
      {"unknown days", true, false,
       OrderBuilder("mp").Drug("methylprednisolone", "6902").Intravenous().Dose(1000).Daily()},
      {"eye drops", true, false,
       OrderBuilder("pf")
           .Drug("prednisolone acetate 1% eye drops")
           .Dose(1)
           .Daily()
           .Bounds("2026-11-24", "2026-11-28")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TestRequest request;
    if (c.past_alemtuzumab) request.Record(PastAlemtuzumab());
    if (c.alemtuzumab_drafted) request.OtherDraft(Alemtuzumab());
    request.UnderReview(c.steroid);
    EXPECT_FALSE(CardOf(request.Evaluate(), kRule).has_value());
  }
}

}  // namespace
}  // namespace steroid_advisor::cards
