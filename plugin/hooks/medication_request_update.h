// The resource of an update suggestion: a copy of the ordered MedicationRequest whose first
// dosageInstruction's timing.repeat bounds become boundsPeriod {start, end}. boundsDuration,
// boundsRange and count go, since they would contradict the new end (FHIR bounds[x] is a
// choice). Everything else (id, meta, extensions, other dosage lines) stays as the EHR sent it.
// This is the one place in plugin/ that edits RapidJSON values; each step checks the type first.
// Thread-safety: stateless, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_MEDICATION_REQUEST_UPDATE_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_MEDICATION_REQUEST_UPDATE_H_

#include <rapidjson/document.h>

#include <optional>

#include "fhir/date.h"
#include "fhir/json_access.h"

namespace steroid_advisor::plugin {

// nullopt when `original` is not an object. A missing dosageInstruction, timing or repeat is
// created; `start` absent keeps the original boundsPeriod.start, if any.
std::optional<rapidjson::Document> UpdatedMedicationRequest(const fhir::JsonValue& original,
                                                            std::optional<fhir::Day> start,
                                                            std::optional<fhir::Day> end);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_MEDICATION_REQUEST_UPDATE_H_
