// Indicator names round-trip.
#include "cards/card.h"

#include "gtest/gtest.h"

namespace steroid_advisor::cards {
namespace {

TEST(Indicator, NamesRoundTrip) {
  const Indicator indicators[] = {Indicator::kCritical, Indicator::kWarning, Indicator::kInfo};
  for (Indicator indicator : indicators) {
    SCOPED_TRACE(std::string(IndicatorName(indicator)));
    EXPECT_EQ(ParseIndicator(IndicatorName(indicator)), indicator);
  }
  EXPECT_FALSE(ParseIndicator("Critical").has_value());
  EXPECT_FALSE(ParseIndicator("").has_value());
}

}  // namespace
}  // namespace steroid_advisor::cards
