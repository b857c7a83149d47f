#include "cards/route.h"

#include <string>

namespace steroid_advisor::cards {
namespace {

constexpr ValueSetMask kSystemic = MaskOf(ValueSetId::kSystemicRoutes);
constexpr ValueSetMask kNonSystemic = MaskOf(ValueSetId::kNonSystemicRoutes);

RouteKind ClassifyGivenRoute(const fhir::CodeableConcept& route, const ValueSets& value_sets) {
  ValueSetMask coded = 0;
  for (const fhir::Coding& coding : route.coding) {
    coded |= value_sets.MatchCoding(coding.system, coding.code).sets;
  }
  // Codes outrank words; local outranks systemic when a route somehow carries both.
  if (coded & kNonSystemic) return RouteKind::kNonSystemic;
  if (coded & kSystemic) return RouteKind::kSystemic;
  std::string words = LowerAscii(route.text);
  for (const fhir::Coding& coding : route.coding) {
    words.push_back('\n');
    AppendLowerAscii(coding.display, words);
  }
  ValueSetMask by_text = value_sets.MatchText(words, kRouteValueSets).sets;
  if (by_text & kNonSystemic) return RouteKind::kNonSystemic;
  return RouteKind::kSystemic;
}

}  // namespace

RouteKind ClassifyRoute(const std::vector<fhir::Dosage>& dosages, const MedicationFacts& medication,
                        const ValueSets& value_sets) {
  for (const fhir::Dosage& dosage : dosages) {
    // An empty route object states nothing; read it as no route.
    if (dosage.route && (!dosage.route->coding.empty() || !dosage.route->text.empty())) {
      return ClassifyGivenRoute(*dosage.route, value_sets);
    }
  }
  std::string words = medication.lower_names;
  words.push_back('\n');
  words += medication.lower_form;
  for (const fhir::Dosage& dosage : dosages) {
    words.push_back('\n');
    AppendLowerAscii(dosage.text, words);
  }
  ValueSetMask by_text = value_sets.MatchText(words, kNonSystemic).sets;
  return (by_text & kNonSystemic) ? RouteKind::kNonSystemic : RouteKind::kSystemic;
}

}  // namespace steroid_advisor::cards
