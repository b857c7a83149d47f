// Instants for the feedback records: ISO 8601 / FHIR dateTime text to milliseconds since the
// epoch, and the ISO 8601 week a day falls in ("2026-W48"), which the summary groups by.
// Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_FEEDBACK_TIMESTAMPS_H_
#define STEROID_ADVISOR_PLUGIN_FEEDBACK_TIMESTAMPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace steroid_advisor::plugin {

inline constexpr int64_t kMillisPerDay = 86'400'000;

// "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDThh:mm[:ss[.fff]][Z|+hh:mm|-hh:mm]" (no zone: UTC).
// nullopt for anything else or an impossible date or time.
std::optional<int64_t> ParseInstantMs(std::string_view text);

// True when `text` is a date alone ("YYYY-MM-DD"), no time of day.
bool IsDateOnly(std::string_view text);

// The ISO 8601 week of the day `days_since_epoch` falls in: "2026-W48".
std::string IsoWeek(int64_t days_since_epoch);

// Milliseconds since the epoch now (UTC).
int64_t NowMs();

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_FEEDBACK_TIMESTAMPS_H_
