// POST /cds-services/{id}/feedback: CDS Hooks 2.0 feedback (which cards were accepted or
// overridden). Validates the body: `feedback` a non-empty array of {card (uuid), outcome
// (accepted | overridden), outcomeTimestamp, acceptedSuggestions [{id}] when accepted,
// overrideReason {reason Coding, userComment} optional}. Logs one line per entry with only the
// card uuid, the outcome and the accepted suggestion uuids: user comments and override reasons
// may hold patient details. With a FeedbackRecorder in the context the entries are stored, and
// the answer (200, empty body: the spec defines none) is given only once they are committed;
// 503 with Retry-After when the store is down or its queue is full.
// Thread-safety: stateless, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_FEEDBACK_HANDLER_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_FEEDBACK_HANDLER_H_

#include <functional>

#include "fhir/json_access.h"
#include "fhir/status.h"
#include "plugin/config/services.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

// OK, or InvalidArgument naming the JSON path of the first problem.
Status ValidateFeedback(const fhir::JsonValue& body);

// Seconds a client is asked to wait (Retry-After) when feedback cannot be stored now.
inline constexpr int kFeedbackRetryAfterSeconds = 5;

// Calls `respond` exactly once: at once for a bad request or without a recorder, else from the
// recorder once the entries are committed or refused (possibly on the recorder's thread).
// `respond` must not rely on `request` or `context` outliving this call.
void HandleFeedback(const HttpRequest& request, const ServiceDefinition& service,
                    const HandlerContext& context, std::function<void(HttpResponse)> respond);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_FEEDBACK_HANDLER_H_
