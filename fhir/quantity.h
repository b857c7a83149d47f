// FHIR R4 Quantity and Ratio, and the UCUM units the rules need: mass (doses, strengths),
// volume (liquid doses, concentrations) and time (durations).
// Owns: its strings. Thread-safety: value type; functions are stateless.
#ifndef STEROID_ADVISOR_FHIR_QUANTITY_H_
#define STEROID_ADVISOR_FHIR_QUANTITY_H_

#include <optional>
#include <string>

#include "fhir/json_access.h"

namespace steroid_advisor::fhir {

inline constexpr char kUcumSystem[] = "http://unitsofmeasure.org";

struct Quantity {
  std::optional<double> value;
  std::string comparator;  // "<", "<=", ">=", ">" or empty
  std::string unit;        // human text
  std::string system;
  std::string code;
};

// nullopt when `json` is not an object. A missing or non-numeric value leaves `value` empty.
std::optional<Quantity> ParseQuantity(const JsonValue& json);

// A Ratio (e.g. Medication.ingredient.strength: 20 mg per 1 tablet, 15 mg per 5 mL). A side that
// is absent or not an object stays empty.
struct Ratio {
  std::optional<Quantity> numerator;
  std::optional<Quantity> denominator;
};

// nullopt when `json` is not an object.
std::optional<Ratio> ParseRatio(const JsonValue& json);

// The quantity in milligrams when it is a mass (UCUM code or unit text mg, g, kg, ug, mcg,
// "µg"), else nullopt: "1 tablet" or "2 vial" are not masses. A code with system UCUM decides
// alone: "mg/kg" with the text "mg" is not a mass. nullopt, too, for a negative mass or
// one too large for a double.
std::optional<double> MassInMg(const Quantity& quantity);

// The quantity in millilitres when it is a volume (UCUM code or unit text mL, L, dL, cL,
// "milliliter"), else nullopt; the same reading of code and text as MassInMg.
std::optional<double> VolumeInMl(const Quantity& quantity);

// The quantity in days when it is a time (UCUM min, h, d, wk, mo, a). A month counts as 30 days
// and a year as 365, the convention of prescription lengths. nullopt otherwise, and for a negative
// or overflowing duration.
std::optional<double> DurationInDays(const Quantity& quantity);

// Days in one UCUM time unit (the periodUnit of Timing): s, min, h, d, wk, mo, a. nullopt for
// anything else.
std::optional<double> DaysPerTimeUnit(std::string_view unit);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_QUANTITY_H_
