#include "cards/card.h"

namespace steroid_advisor::cards {

std::string_view IndicatorName(Indicator indicator) {
  switch (indicator) {
    case Indicator::kCritical:
      return "critical";
    case Indicator::kWarning:
      return "warning";
    case Indicator::kInfo:
      return "info";
    default:
      return "info";
  }
}

std::optional<Indicator> ParseIndicator(std::string_view name) {
  if (name == "critical") return Indicator::kCritical;
  if (name == "warning") return Indicator::kWarning;
  if (name == "info") return Indicator::kInfo;
  return std::nullopt;
}

}  // namespace steroid_advisor::cards
