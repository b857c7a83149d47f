// Planned days of an order: bounds, durations, counts, supply, unknown.
#include "cards/planned_days.h"

#include "fhir/medication_request.h"
#include "gtest/gtest.h"
#include "tests/cards/rule_test_util.h"

namespace steroid_advisor::cards {
namespace {

using testing::DayOf;
using testing::OrderBuilder;
using testing::TestRequest;

TEST(PlannedDays, FromBoundsDurationCountSupplyOrUnknown) {
  struct Case {
    const char* name;
    OrderBuilder order;
    std::optional<int> days;
  };
  const Case cases[] = {
      {"boundsPeriod inclusive", OrderBuilder("a").Daily().Bounds("2026-11-24", "2027-01-04"), 42},
      {"boundsPeriod one day", OrderBuilder("a").Daily().Bounds("2026-11-24", "2026-11-24"), 1},
      {"boundsPeriod dateTimes",
       OrderBuilder("a").Daily().Bounds("2026-11-25T08:00:00Z", "2026-11-27T09:00:00Z"), 3},
      {"boundsPeriod end before start",
       OrderBuilder("a").Daily().Bounds("2026-11-24", "2026-11-20"), std::nullopt},
      {"boundsPeriod unreadable end", OrderBuilder("a").Daily().Bounds("2026-11-24", "soon"),
       std::nullopt},
      {"boundsDuration days", OrderBuilder("a").Daily().BoundsDuration(10, "d"), 10},
      {"boundsDuration weeks", OrderBuilder("a").Daily().BoundsDuration(6, "wk"), 42},
      {"boundsDuration months", OrderBuilder("a").Daily().BoundsDuration(1, "mo"), 30},
      {"boundsDuration half days round up", OrderBuilder("a").Daily().BoundsDuration(36, "h"), 2},
      {"count 1 no bounds", OrderBuilder("a").Count(1), 1},
      {"count with daily frequency", OrderBuilder("a").Daily().Count(5), 5},
      {"count with twice daily", OrderBuilder("a").Every(2, 1, "d").Count(9), 5},
      {"count every 8 hours", OrderBuilder("a").Every(1, 8, "h").Count(9), 3},
      {"count weekly", OrderBuilder("a").Every(1, 1, "wk").Count(3), 21},
      {"count with text frequency", OrderBuilder("a").Count(3).Text("1000 mg iv once daily"), 3},
      {"count without any frequency", OrderBuilder("a").Count(3), std::nullopt},
      {"expectedSupplyDuration", OrderBuilder("a").Daily().ExpectedSupply(14, "d"), 14},
      {"bounds start only falls back to supply",
       OrderBuilder("a").Daily().Bounds("2026-11-24", "").ExpectedSupply(2, "wk"), 14},
      {"unknown", OrderBuilder("a").Daily(), std::nullopt},
      {"no dosage", OrderBuilder("a"), std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TestRequest request;
    request.UnderReview(c.order);
    const fhir::MedicationRequest& parsed = request.input().under_review.front();
    EXPECT_EQ(PlannedDays(parsed.dosage_instructions, parsed.expected_supply_duration), c.days);
  }
}

TEST(PlannedDays, TaperStepsAddUpOrSpanTheirBounds) {
  TestRequest request;
  request.UnderReviewJson(R"({"resourceType": "MedicationRequest", "id": "taper",
    "dosageInstruction": [
      {"sequence": 1, "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d",
                                            "boundsDuration": {"value": 7, "code": "d"}}}},
      {"sequence": 2, "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d",
                                            "boundsDuration": {"value": 7, "code": "d"}}}}]})");
  request.UnderReviewJson(R"({"resourceType": "MedicationRequest", "id": "bounded",
    "dosageInstruction": [
      {"timing": {"repeat": {"boundsPeriod": {"start": "2026-11-24", "end": "2026-11-30"}}}},
      {"timing": {"repeat": {"boundsPeriod": {"start": "2026-12-01", "end": "2026-12-07"}}}}]})");
  const auto& orders = request.input().under_review;
  EXPECT_EQ(PlannedDays(orders[0].dosage_instructions, std::nullopt), 14);
  EXPECT_EQ(PlannedDays(orders[1].dosage_instructions, std::nullopt), 14);
  EXPECT_EQ(BoundsStart(orders[1].dosage_instructions), DayOf("2026-11-24"));
  EXPECT_EQ(BoundsEnd(orders[1].dosage_instructions), DayOf("2026-12-07"));
}

}  // namespace
}  // namespace steroid_advisor::cards
