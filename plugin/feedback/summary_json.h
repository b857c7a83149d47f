// Writes a FeedbackSummary as the JSON GET /admin/feedback/summary answers:
//   {"from": "...", "to": "...",
//    "rules": [{"rule", "shown", "accepted", "overridden",
//               "overrideReasons": [{"code", "display", "count"}],
//               "weeks": [{"week": "2026-W48", "accepted", "overridden"}]}],
//    "unknownCards": n}
// Thread-safety: stateless, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_FEEDBACK_SUMMARY_JSON_H_
#define STEROID_ADVISOR_PLUGIN_FEEDBACK_SUMMARY_JSON_H_

#include <cstdint>
#include <string>

#include "plugin/feedback/store.h"

namespace steroid_advisor::plugin {

// `from_ms`/`to_ms` are written as UTC instants ("2026-11-24T00:00:00.000Z").
std::string WriteFeedbackSummary(const FeedbackSummary& summary, int64_t from_ms, int64_t to_ms);

// "YYYY-MM-DDThh:mm:ss.fffZ".
std::string FormatInstantMs(int64_t ms);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_FEEDBACK_SUMMARY_JSON_H_
