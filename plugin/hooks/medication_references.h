// Medications that the orders and the record name by reference ("Medication/123") but that
// neither the request, nor prefetch, nor the fetched record pages carried: real EHRs send
// medicationReference and the Medication resources only when asked. The hook handler reads the
// missing ones from the EHR's FHIR server with one search, `Medication?_id=a,b,c`, so an
// alemtuzumab infusion recorded by reference still counts.
// Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_MEDICATION_REFERENCES_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_MEDICATION_REFERENCES_H_

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cards/rule_input.h"
#include "fhir/medication_index.h"

namespace steroid_advisor::plugin {

// The key the search is fetched (and cached, and logged) under.
inline constexpr std::string_view kReferencedMedicationsKey = "referencedMedications";

// At most this many ids go into one search (a URL stays well under 4 KiB).
inline constexpr size_t kMaxReferencedMedications = 50;

// The ids of Medications referenced by the orders under review, the other drafts and the record
// that `input.medications` cannot resolve, unique, in first-seen order, at most
// kMaxReferencedMedications. Only "Medication/<id>" (optionally "/_history/<v>") and absolute
// references under `fhir_server` count; contained ("#x") and other servers' references never
// do, and ids must be FHIR ids ([A-Za-z0-9.-]{1,64}), so nothing else reaches the URL.
std::vector<std::string> UnresolvedMedicationIds(const cards::RuleInput& input,
                                                 std::string_view fhir_server);

// "Medication?_id=a,b,c" (a FHIR search relative to the server base).
std::string MedicationSearch(const std::vector<std::string>& ids);

// Adds every Medication entry of the searchset Bundle `page` to `index`.
void AddMedications(const rapidjson::Value& page, fhir::MedicationIndex& index);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_MEDICATION_REFERENCES_H_
