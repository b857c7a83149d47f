// Product strength (RULES.md "Doses counted in units of the product"): how many mg one countable
// unit (tablet, capsule, vial) or one mL of a product holds, read from Medication.ingredient
// .strength or from the one strength in the product's name, and the dose in mg it gives.
// Unreadable or ambiguous is unknown (std::nullopt), never a guess.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread. Never: I/O, throwing.
#ifndef STEROID_ADVISOR_CARDS_STRENGTH_H_
#define STEROID_ADVISOR_CARDS_STRENGTH_H_

#include <optional>
#include <string_view>
#include <vector>

#include "fhir/quantity.h"

namespace steroid_advisor::cards {

// A Strength is mg of the ingredient per one countable unit or per one mL of the product.
struct Strength {
  enum class Per { kUnit, kMilliliter };
  double mg = 0;
  Per per = Per::kUnit;

  bool operator==(const Strength& other) const { return mg == other.mg && per == other.per; }
  bool operator!=(const Strength& other) const { return !(*this == other); }
};

// True for a dose counted in units of the product: the UCUM annotations {pill}, {tbl}, {tab},
// {tablet}, {capsule}, {cap}, {vial} (plurals too, any case), or, when no UCUM code says
// otherwise, the unit text tablet, tab, pill, capsule, cap or vial (plurals too).
bool IsCountOfUnits(const fhir::Quantity& quantity);

// mg per unit from a Ratio: a mass numerator over a positive denominator that is a count of
// units (as IsCountOfUnits, a v3-orderableDrugForm code such as TAB, or UCUM "1") or a volume.
// nullopt otherwise (units/mL, mg/g of a cream, a missing side).
std::optional<Strength> StrengthFromRatio(const fhir::Ratio& ratio);

// The one strength a product name states, as RxNorm clinical drug names write it:
// "Prednisone 20 MG Oral Tablet" (20 mg per unit), "prednisolone 15 MG/5ML Oral Solution" and
// "dexamethasone 4 MG/ML Injectable Solution" (per mL), MCG, G and spelled-out units
// ("500microgram", as UK dm+d names write them) converted; a brand in brackets
// is ignored. nullopt when the name states no strength, more than one (combination products),
// or one that is neither per unit nor per mL ("0.05 MG/ACTUAT", "1 %").
std::optional<Strength> StrengthFromName(std::string_view name);

// The strength several names of one product agree on (medicationCodeableConcept.text, coding
// displays, the Medication's names): names that state no strength are skipped. nullopt when
// none states one, one states several or an unusable one, or two names disagree.
std::optional<Strength> StrengthFromNames(const std::vector<std::string_view>& names);

// The dose in mg: a mass as it is; a count of units times the strength per unit; mL times the
// strength per mL. nullopt for anything else, or when the strength does not fit the dose
// (tablets of a product known only per mL).
std::optional<double> DoseInMg(const fhir::Quantity& dose, const std::optional<Strength>& strength);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_STRENGTH_H_
