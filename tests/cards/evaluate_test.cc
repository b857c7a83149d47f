// EvaluateRules and RecordNeeded: order of cards, disabled rules, shared card fields.
#include "cards/evaluate.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::Acyclovir;
using testing::Alemtuzumab;
using testing::CardOf;
using testing::Methylprednisolone;
using testing::OrderBuilder;
using testing::Prednisone;
using testing::TestCardsConfig;
using testing::TestRequest;

OrderBuilder PastAlemtuzumab() {
  return OrderBuilder("hist-alem").Status("completed").Drug("Lemtrada").Authored("2026-07-26");
}

TEST(EvaluateRules, CardsComeCriticalThenWarningThenInfo) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(Methylprednisolone("relapse", 1000, "2026-11-24", "2026-11-26"))  // info
      .UnderReview(OrderBuilder("ocr").Drug("ocrelizumab", "1876366"))               // warning
      .UnderReview(Prednisone("long", 40, "2026-11-24", "2027-01-04"));              // critical
  std::vector<Card> cards = request.Evaluate();
  std::vector<std::string> rules;
  for (const Card& card : cards) rules.push_back(card.rule_id);
  EXPECT_EQ(rules, (std::vector<std::string>{"prolonged-steroid", "overlapping-immunosuppression",
                                             "relapse-steroid-course"}));
}

TEST(EvaluateRules, SameIndicatorKeepsRulesMdOrder) {
  TestRequest request;
  request.UnderReview(Alemtuzumab());
  std::vector<Card> cards = request.Evaluate();
  ASSERT_EQ(cards.size(), 2u);
  EXPECT_EQ(cards[0].rule_id, "steroid-premedication");
  EXPECT_EQ(cards[1].rule_id, "antiviral-prophylaxis");
}

TEST(EvaluateRules, CardsCarryTheirRuleConfig) {
  TestRequest request;
  request.UnderReview(Alemtuzumab());
  std::optional<Card> card = CardOf(request.Evaluate(), "antiviral-prophylaxis");
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->topic_display, "title:antiviral-prophylaxis");
  EXPECT_EQ(card->source_label, "source:antiviral-prophylaxis");
  EXPECT_EQ(card->source_url, "https://example.org/antiviral-prophylaxis");
  ASSERT_EQ(card->links.size(), 1u);
  EXPECT_EQ(card->links[0].label, "link:antiviral-prophylaxis");
  ASSERT_EQ(card->override_reasons.size(), 1u);
  EXPECT_EQ(card->override_reasons[0].code, "clinician-judgement");
}

TEST(EvaluateRules, DisabledRuleMakesNoCard) {
  CardsConfig config = TestCardsConfig();
  config.rules["steroid-premedication"].enabled = false;
  TestRequest request;
  request.UnderReview(Alemtuzumab());
  std::vector<Card> cards = request.Evaluate(config);
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_EQ(cards[0].rule_id, "antiviral-prophylaxis");
}

TEST(EvaluateRules, MissingSuggestionLabelDropsOnlyTheSuggestion) {
  CardsConfig config = TestCardsConfig();
  config.rules["antiviral-prophylaxis"].suggestion_labels.clear();
  TestRequest request;
  request.UnderReview(Alemtuzumab());
  std::optional<Card> card = CardOf(request.Evaluate(config), "antiviral-prophylaxis");
  ASSERT_TRUE(card.has_value());
  EXPECT_TRUE(card->suggestions.empty());
}

TEST(EvaluateRules, ThresholdsComeFromTheConfig) {
  CardsConfig config = TestCardsConfig();
  config.thresholds.prolonged_days = 45;
  TestRequest request;
  request.Record(PastAlemtuzumab()).UnderReview(Prednisone("p", 40, "2026-11-24", "2027-01-04"));
  EXPECT_FALSE(CardOf(request.Evaluate(config), "prolonged-steroid").has_value());
  config.thresholds.prolonged_days = 21;
  config.thresholds.exposure_window_months = 3;  // alemtuzumab was 4 months ago
  EXPECT_FALSE(CardOf(request.Evaluate(config), "prolonged-steroid").has_value());
}

TEST(EvaluateRules, ExampleWithPremedicationAndAntiviralGivesNoCard) {
  // examples/order-select-alemtuzumab-with-premedication.json: alemtuzumab selected, the others
  // drafted alongside.
  TestRequest request;
  request.UnderReview(Alemtuzumab("draft-alem"))
      .OtherDraft(Methylprednisolone("draft-mp", 1000, "2026-11-25", "2026-11-27"))
      .OtherDraft(Acyclovir("draft-acy"));
  EXPECT_TRUE(request.Evaluate().empty());
}

TEST(EvaluateRules, NothingUnderReviewGivesNoCard) {
  TestRequest request;
  request.OtherDraft(Alemtuzumab());
  EXPECT_TRUE(request.Evaluate().empty());
}

TEST(RecordNeeded, OnlyForOrdersTheRecordMattersTo) {
  struct Case {
    const char* name;
    OrderBuilder order;
    bool needed;
  };
  const Case cases[] = {
      {"alemtuzumab", Alemtuzumab(), true},
      {"systemic corticosteroid", Prednisone("p", 40, "2026-11-24", "2026-12-01"), true},
      {"immunosuppressant", OrderBuilder("o").Drug("ocrelizumab"), true},
      {"acyclovir", Acyclovir(), false},
      {"topical corticosteroid", OrderBuilder("c").Drug("hydrocortisone cream"), false},
      {"unreadable order", OrderBuilder("x"), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TestRequest request;
    request.UnderReview(c.order).NoRecord();
    EXPECT_EQ(RecordNeeded(request.input(), TestCardsConfig()), c.needed);
  }
}

TEST(RecordNeeded, NotWhenTheRulesThatReadItAreOff) {
  CardsConfig config = TestCardsConfig();
  config.rules["prolonged-steroid"].enabled = false;
  config.rules["relapse-steroid-course"].enabled = false;
  TestRequest request;
  request.UnderReview(Prednisone("p", 40, "2026-11-24", "2026-12-01"));
  EXPECT_FALSE(RecordNeeded(request.input(), config));
}

}  // namespace
}  // namespace steroid_advisor::cards

namespace steroid_advisor::cards {
namespace {

// The built-in texts (deploy/config/default.json) fill in for the headline case.
TEST(EvaluateRules, DefaultConfigRendersTheHeadlineCard) {
  TestRequest request;
  request.Record(PastAlemtuzumab())
      .UnderReview(Prednisone("draft-pred", 40, "2026-11-24", "2027-01-04"));
  std::vector<Card> cards = request.Evaluate(DefaultCardsConfig());
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_EQ(cards[0].rule_id, "prolonged-steroid");
  EXPECT_EQ(cards[0].indicator, Indicator::kCritical);
  EXPECT_NE(cards[0].summary.find("42 days"), std::string::npos) << cards[0].summary;
  EXPECT_NE(cards[0].detail.find("40 mg"), std::string::npos) << cards[0].detail;
  EXPECT_EQ(cards[0].summary.find("{{"), std::string::npos);
  EXPECT_EQ(cards[0].suggestions.size(), 2u);
}

}  // namespace
}  // namespace steroid_advisor::cards
