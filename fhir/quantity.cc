#include "fhir/quantity.h"

#include <cmath>
#include <string_view>

#include "fhir/ascii.h"

namespace steroid_advisor::fhir {
namespace {

std::optional<double> MgPerUnit(std::string_view unit) {
  std::string u = AsciiLower(unit);
  if (u == "mg" || u == "milligram" || u == "milligrams") return 1.0;
  if (u == "g" || u == "gram" || u == "grams") return 1000.0;
  if (u == "kg") return 1e6;
  if (u == "ug" || u == "mcg" || u == "\xc2\xb5g" || u == "microgram" || u == "micrograms") {
    return 0.001;
  }
  return std::nullopt;
}

std::optional<double> MlPerUnit(std::string_view unit) {
  std::string u = AsciiLower(unit);
  if (u == "ml" || u == "milliliter" || u == "milliliters" || u == "millilitre" ||
      u == "millilitres") {
    return 1.0;
  }
  if (u == "l" || u == "liter" || u == "liters" || u == "litre" || u == "litres") return 1000.0;
  if (u == "dl") return 100.0;
  if (u == "cl") return 10.0;
  return std::nullopt;
}

// The code when it is UCUM (or no system is stated), else the unit text.
std::string_view UnitOf(const Quantity& quantity) {
  if (!quantity.code.empty() && (quantity.system.empty() || quantity.system == kUcumSystem)) {
    return quantity.code;
  }
  return quantity.unit;
}

// A code stated as UCUM says what the unit is; its human text must not overrule it.
bool HasUcumCode(const Quantity& quantity) {
  return !quantity.code.empty() && quantity.system == kUcumSystem;
}

// A mass or a duration is never negative, and a huge value times its unit factor can overflow
// to infinity; both are bad data, so the answer is "unknown" rather than a number the rules
// would compute with.
std::optional<double> Scaled(double value, double factor) {
  const double scaled = value * factor;
  if (!std::isfinite(scaled) || scaled < 0) return std::nullopt;
  return scaled;
}

}  // namespace

std::optional<Quantity> ParseQuantity(const JsonValue& json) {
  if (!json.IsObject()) return std::nullopt;
  Quantity quantity;
  quantity.value = FindNumber(json, "value");
  quantity.comparator = std::string(FindString(json, "comparator").value_or(""));
  quantity.unit = std::string(FindString(json, "unit").value_or(""));
  quantity.system = std::string(FindString(json, "system").value_or(""));
  quantity.code = std::string(FindString(json, "code").value_or(""));
  return quantity;
}

std::optional<Ratio> ParseRatio(const JsonValue& json) {
  if (!json.IsObject()) return std::nullopt;
  Ratio ratio;
  if (const JsonValue* numerator = FindObject(json, "numerator")) {
    ratio.numerator = ParseQuantity(*numerator);
  }
  if (const JsonValue* denominator = FindObject(json, "denominator")) {
    ratio.denominator = ParseQuantity(*denominator);
  }
  return ratio;
}

std::optional<double> MassInMg(const Quantity& quantity) {
  if (!quantity.value.has_value()) return std::nullopt;
  std::optional<double> factor = MgPerUnit(UnitOf(quantity));
  // A code without a system may be anything (a bare SNOMED id), so its unit text may still say
  // "mg"; a UCUM code that is not a mass ("mg/kg", "mL") is not one, whatever the text says.
  if (!factor.has_value() && !HasUcumCode(quantity)) factor = MgPerUnit(quantity.unit);
  if (!factor.has_value()) return std::nullopt;
  return Scaled(*quantity.value, *factor);
}

std::optional<double> VolumeInMl(const Quantity& quantity) {
  if (!quantity.value.has_value()) return std::nullopt;
  std::optional<double> factor = MlPerUnit(UnitOf(quantity));
  if (!factor.has_value() && !HasUcumCode(quantity)) factor = MlPerUnit(quantity.unit);
  if (!factor.has_value()) return std::nullopt;
  return Scaled(*quantity.value, *factor);
}

std::optional<double> DaysPerTimeUnit(std::string_view unit) {
  std::string u = AsciiLower(unit);
  if (u == "s") return 1.0 / 86400.0;
  if (u == "min") return 1.0 / 1440.0;
  if (u == "h") return 1.0 / 24.0;
  if (u == "d" || u == "day" || u == "days") return 1.0;
  if (u == "wk" || u == "week" || u == "weeks") return 7.0;
  if (u == "mo" || u == "month" || u == "months") return 30.0;
  if (u == "a" || u == "year" || u == "years") return 365.0;
  return std::nullopt;
}

std::optional<double> DurationInDays(const Quantity& quantity) {
  if (!quantity.value.has_value()) return std::nullopt;
  std::optional<double> factor = DaysPerTimeUnit(UnitOf(quantity));
  if (!factor.has_value() && !HasUcumCode(quantity)) factor = DaysPerTimeUnit(quantity.unit);
  if (!factor.has_value()) return std::nullopt;
  return Scaled(*quantity.value, *factor);
}

}  // namespace steroid_advisor::fhir
