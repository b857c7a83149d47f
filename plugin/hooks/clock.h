// The wall clocks a hook call reads: today's date and the current time in seconds, both in UTC.
// Handlers never read them directly; the servers read them once per request into the
// HandlerContext (tests inject their own), and cards/ only ever sees the date it is given.
// Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_CLOCK_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_CLOCK_H_

#include <cstdint>

#include "fhir/date.h"

namespace steroid_advisor::plugin {

// Today's date in UTC, the default clock.
fhir::Day TodayUtc();

// Seconds since the epoch, the default clock for client JWT checks.
int64_t NowSecondsUtc();

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_CLOCK_H_
