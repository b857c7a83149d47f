// Mapping of Status codes to HTTP status codes: the one place that decides which HTTP status a
// failure becomes (STYLE.md table).
// Thread-safety: stateless, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_STATUS_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_STATUS_H_

#include "fhir/status.h"

namespace steroid_advisor::plugin {

// 400, 401, 403, 404, 412, 413, 503, 504; kOk is 200; anything else (internal) is 500.
int HttpStatusFor(StatusCode code);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_STATUS_H_
