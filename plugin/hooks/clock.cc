#include "plugin/hooks/clock.h"

#include <ctime>

namespace steroid_advisor::plugin {

fhir::Day TodayUtc() { return static_cast<fhir::Day>(std::time(nullptr) / (24 * 60 * 60)); }

int64_t NowSecondsUtc() { return static_cast<int64_t>(std::time(nullptr)); }

}  // namespace steroid_advisor::plugin
