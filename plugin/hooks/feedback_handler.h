// POST /cds-services/{id}/feedback: CDS Hooks 2.0 feedback (which cards were accepted or
// overridden). Validates the body: `feedback` a non-empty array of {card (uuid), outcome
// (accepted | overridden), outcomeTimestamp, acceptedSuggestions [{id}] when accepted,
// overrideReason {reason Coding, userComment} optional}. Answers 200 with an empty body (the spec
// defines no response body) and logs one line per entry with only the card uuid, the outcome and
// the accepted suggestion uuids: user comments and override reasons may hold patient details.
// Thread-safety: stateless, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_FEEDBACK_HANDLER_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_FEEDBACK_HANDLER_H_

#include "fhir/json_access.h"
#include "fhir/status.h"
#include "plugin/config/services.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

// OK, or InvalidArgument naming the JSON path of the first problem.
Status ValidateFeedback(const fhir::JsonValue& body);

HttpResponse HandleFeedback(const HttpRequest& request, const ServiceDefinition& service,
                            const HandlerContext& context);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_FEEDBACK_HANDLER_H_
