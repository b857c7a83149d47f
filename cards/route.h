// Whether a corticosteroid order acts systemically (RULES.md "Systemic corticosteroid").
// - A route that is given decides: a coding in `non-systemic-routes` makes it local, one in
//   `systemic-routes` systemic; failing codings, the route's words (text, coding.display) do the
//   same; a given route that neither value set knows (transdermal, rectal...) counts as systemic,
//   because RULES.md excludes only routes in `non-systemic-routes`.
// - With no route, dose-form words (the non-systemic-routes patterns: cream, inhaler, drops,
//   nasal spray, eye...) in the medication's names, its Medication.form or the dosage text make it
//   local; otherwise it is systemic (a systemic dose form, or no form stated).
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_CARDS_ROUTE_H_
#define STEROID_ADVISOR_CARDS_ROUTE_H_

#include <vector>

#include "cards/medication_match.h"
#include "cards/value_sets.h"
#include "fhir/dosage.h"

namespace steroid_advisor::cards {

enum class RouteKind { kSystemic, kNonSystemic };

// The route of the first dosage instruction that states one decides; the dose-form rule reads
// every dosage text.
RouteKind ClassifyRoute(const std::vector<fhir::Dosage>& dosages, const MedicationFacts& medication,
                        const ValueSets& value_sets);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_ROUTE_H_
