// Rendering CDS Hooks 2.0 prefetch templates ("MedicationRequest?patient={{context.patientId}}")
// into the relative FHIR query the service fetches when the EHR did not prefetch it.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_FHIR_PREFETCH_TEMPLATE_H_
#define STEROID_ADVISOR_FHIR_PREFETCH_TEMPLATE_H_

#include <map>
#include <string>
#include <string_view>

#include "fhir/status.h"

namespace steroid_advisor::fhir {

// The hook's context values by name ("patientId", "encounterId", "userId").
using PrefetchContext = std::map<std::string, std::string>;

// Fills every token of `template_text`:
//   {{context.<name>}}      the context value <name> (patientId, encounterId, userId, ...);
//   {{userPractitionerId}}, {{userPractitionerRoleId}}, {{userPatientId}},
//   {{userRelatedPersonId}} the id part of context.userId when it is a reference of that type
//                           ("Practitioner/123" fills {{userPractitionerId}} with "123").
// Values are percent-encoded (RFC 3986: only unreserved characters stay as they are), so a
// value can never add a query parameter, a path segment or a fragment. Whitespace just inside
// the braces is ignored ("{{ context.patientId }}").
// Errors: NotFound when a token has no value (absent or empty context value, userId of another
// type): the key cannot be fetched, since a search without its filter would read other
// patients' records; InvalidArgument for an unknown token or a "{{" without "}}". Messages
// name the token, never a value.
StatusOr<std::string> RenderPrefetchTemplate(std::string_view template_text,
                                             const PrefetchContext& context);

// RFC 3986 percent-encoding of everything but ALPHA / DIGIT / "-" / "." / "_" / "~".
std::string PercentEncode(std::string_view value);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_PREFETCH_TEMPLATE_H_
