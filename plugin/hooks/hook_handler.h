// POST /cds-services/{id}: one CDS Hooks 2.0 service call. Parses and validates the body, takes
// the patient's record from prefetch (and, for the keys prefetch did not carry, from the EHR's
// FHIR server through the RecordFetcher when fhirServer is given, together with the Medications
// that references in the orders and record point to and nobody sent), runs the rules and writes
// the cards. Answers 400 for a malformed or invalid request (naming the JSON path), 412 when the
// orders under review need the record and no part of it can be had, 503 with Retry-After when
// the FHIR server's bulkhead is full, else 200 (possibly `{"cards":[]}`).
// Asynchronous: no thread ever waits on the FHIR server; `respond` is called exactly once, on
// the caller's thread when nothing is fetched, else on the thread the fetch completes on.
// Thread-safety: stateless; safe from many threads (the fetcher must be too).
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_HOOK_HANDLER_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_HOOK_HANDLER_H_

#include <memory>

#include "plugin/config/services.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

void HandleHook(const HttpRequest& request, const ServiceDefinition& service,
                std::shared_ptr<const HandlerContext> context, Respond respond);

// The same call answered from what the request carries alone, never fetching (whatever
// context.fetcher is): the admin page's preview.
HttpResponse HandleHookOffline(const HttpRequest& request, const ServiceDefinition& service,
                               const HandlerContext& context);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_HOOK_HANDLER_H_
