// A CDS Hooks 2.0 service request as this service sees it: parsing and validating the request
// body (hook, hookInstance, context, draft orders, selections, prefetch, fhirServer,
// fhirAuthorization), and turning it into the cards' RuleInput (orders under review per RULES.md
// "Orders under review", other drafts, the record from prefetch Bundles or fetched pages, the
// Medications that references resolve to).
// Owns: strings it copies; every JsonValue pointer borrows from the request document (and the
// fetched pages), which must outlive the HookRequest and the RuleInput built from it.
// Thread-safety: stateless functions over const inputs, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_HOOK_REQUEST_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_HOOK_REQUEST_H_

#include <optional>
#include <string>
#include <vector>

#include "cards/rule_input.h"
#include "fhir/date.h"
#include "fhir/json_access.h"
#include "fhir/status.h"
#include "plugin/config/services.h"

namespace steroid_advisor::plugin {

struct FhirAuthorization {
  std::string access_token;  // never logged, never in a message
  std::string token_type;    // "Bearer"
  std::string scope;
  std::string subject;
};

struct HookRequest {
  const ServiceDefinition* service = nullptr;
  std::string hook;
  std::string hook_instance;
  std::string fhir_server;  // "" when absent
  std::optional<FhirAuthorization> fhir_authorization;
  std::string user_id;
  std::string patient_id;
  std::string encounter_id;                       // "" when absent
  const fhir::JsonValue* draft_orders = nullptr;  // a Bundle (order-select, order-sign)
  std::vector<std::string> selections;            // order-select
  const fhir::JsonValue* medications = nullptr;   // a Bundle or an array (medication-prescribe)
  const fhir::JsonValue* prefetch = nullptr;      // an object, or nullptr when absent
};

// Validates `body` for `service`. InvalidArgument naming the JSON path of the first problem
// ("context.patientId: required", "context.draftOrders: expected a Bundle, got an array"),
// never echoing a value that was sent.
StatusOr<HookRequest> ParseHookRequest(const fhir::JsonValue& body,
                                       const ServiceDefinition& service);

// The pages (searchset Bundles) of one part of the patient's record, and whether it could be had.
struct RecordPartPages {
  RecordPart part;
  bool available = false;
  std::vector<const fhir::JsonValue*> pages;
};

// One entry per RecordPrefetchKeys(), in that order: available with one page when prefetch holds
// a Bundle under the key; available and empty when the key is null (CDS Hooks 2.0: the client
// has no data for it); not available when the key is absent (not prefetched: fetched from
// fhirServer when there is one) or anything else (an OperationOutcome: CDS Hooks 2.0 lets
// clients send one when their prefetch failed).
std::vector<RecordPartPages> RecordFromPrefetch(const HookRequest& request);

// The rules' view of the request. Orders under review: order-select, the draft MedicationRequests
// named in context.selections ("MedicationRequest/<id>", or the entry's fullUrl); order-sign, all
// draft MedicationRequests; medication-prescribe, context.medications. The other drafts count as
// active medications. Record MedicationRequests that are one of the drafts (same type/id) are
// left out, so an EHR that also lists the draft in the searchset does not make it count twice.
// Medications come from the drafts first (they win on a name clash), then the record pages.
cards::RuleInput BuildRuleInput(const HookRequest& request,
                                const std::vector<RecordPartPages>& record, fhir::Day today);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_HOOK_REQUEST_H_
