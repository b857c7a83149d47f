#include "cards/strength.h"

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "cards/text_match.h"

namespace steroid_advisor::cards {
namespace {

constexpr char kOrderableDrugFormSystem[] =
    "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm";

// Words for one unit of a product, as UCUM annotations ({tbl}) and unit texts write them.
constexpr std::string_view kCountWords[] = {
    "pill", "pills", "tbl",     "tab",      "tabs", "tablet", "tablets",
    "cap",  "caps",  "capsule", "capsules", "vial", "vials",
};

bool IsCountWord(std::string_view lower) {
  for (std::string_view word : kCountWords) {
    if (lower == word) return true;
  }
  return false;
}

std::string Trimmed(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  std::size_t end = text.find_last_not_of(" \t");
  return LowerAscii(text.substr(begin, end - begin + 1));
}

// ---- names ----

// mg per unit of a mass word in a product name; nullopt for any other word.
std::optional<double> MassFactor(std::string_view unit) {
  if (unit == "mg" || unit == "milligram" || unit == "milligrams") return 1.0;
  if (unit == "mcg" || unit == "ug" || unit == "\xc2\xb5g" || unit == "microgram" ||
      unit == "micrograms") {
    return 0.001;
  }
  if (unit == "g" || unit == "gm" || unit == "gram" || unit == "grams") return 1000.0;
  return std::nullopt;
}

// Words that make a number a strength of something other than a mass: they count towards "more
// than one strength" but give no mg.
bool IsOtherStrengthUnit(std::string_view unit) {
  return unit == "unt" || unit == "unit" || unit == "units" || unit == "iu" || unit == "meq" ||
         unit == "mmol" || unit == "%";
}

bool IsVolumeWord(std::string_view unit) {
  return unit == "ml" || unit == "milliliter" || unit == "millilitre";
}

// A scanner over a lower-cased name, one position at a time.
class NameScanner {
 public:
  explicit NameScanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return position_ >= text_.size(); }
  std::size_t position() const { return position_; }
  void Seek(std::size_t position) { position_ = position; }
  char Peek() const { return AtEnd() ? '\0' : text_[position_]; }
  void SkipSpaces() {
    while (!AtEnd() && text_[position_] == ' ') ++position_;
  }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++position_;
    return true;
  }
  // A number starting here ("20", "0.5", ".5") that is not the tail of a word ("b12").
  std::optional<double> Number() {
    std::size_t start = position_;
    if (start > 0 && (IsWordChar(text_[start - 1]) || text_[start - 1] == '.')) return std::nullopt;
    std::size_t end = start;
    bool digits = false;
    bool point = false;
    while (end < text_.size()) {
      char c = text_[end];
      if (c >= '0' && c <= '9') {
        digits = true;
      } else if (c == '.' && !point && end + 1 < text_.size() && text_[end + 1] >= '0' &&
                 text_[end + 1] <= '9') {
        point = true;
      } else {
        break;
      }
      ++end;
    }
    if (!digits) return std::nullopt;
    double value = std::strtod(std::string(text_.substr(start, end - start)).c_str(), nullptr);
    if (!std::isfinite(value)) return std::nullopt;
    position_ = end;
    return value;
  }
  // A unit word: letters (µ included) or "%".
  std::string_view Unit() {
    std::size_t start = position_;
    if (Consume('%')) return text_.substr(start, 1);
    while (!AtEnd()) {
      unsigned char c = static_cast<unsigned char>(text_[position_]);
      bool letter = (c >= 'a' && c <= 'z') || c == 0xc2 || c == 0xb5;
      if (!letter) break;
      ++position_;
    }
    return text_.substr(start, position_ - start);
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

// After a mass: "/ML", "/5ML", "/5 ML", " in 5 ML", " per 5 mL" make it per mL; "/ACTUAT",
// "/HR" or "/G" make it a strength of another kind (nullopt); anything else leaves it per unit.
std::optional<Strength> ReadPer(NameScanner& scanner, double mg) {
  std::size_t after_mass = scanner.position();
  scanner.SkipSpaces();
  bool slash = scanner.Consume('/');
  if (!slash) {
    std::string_view word = scanner.Unit();
    if (word != "in" && word != "per") {
      scanner.Seek(after_mass);
      return Strength{mg, Strength::Per::kUnit};
    }
  }
  scanner.SkipSpaces();
  double volume = scanner.Number().value_or(1.0);
  scanner.SkipSpaces();
  std::string_view unit = scanner.Unit();
  if (IsVolumeWord(unit) && volume > 0) return Strength{mg / volume, Strength::Per::kMilliliter};
  if (slash) return std::nullopt;  // mg per something that is neither a unit nor a volume
  scanner.Seek(after_mass);        // "20 MG in 1 Pack": still per unit
  return Strength{mg, Strength::Per::kUnit};
}

// Every strength the name states, in order; nullopt entries for those that give no mg per unit
// or per mL.
std::vector<std::optional<Strength>> StatedStrengths(std::string_view lower) {
  std::vector<std::optional<Strength>> strengths;
  NameScanner scanner(lower);
  while (!scanner.AtEnd()) {
    std::size_t start = scanner.position();
    std::optional<double> value = scanner.Number();
    if (!value) {
      scanner.Seek(start + 1);
      continue;
    }
    std::size_t after_number = scanner.position();
    scanner.SkipSpaces();
    std::string_view unit = scanner.Unit();
    if (std::optional<double> factor = MassFactor(unit)) {
      strengths.push_back(ReadPer(scanner, *value * *factor));
    } else if (IsOtherStrengthUnit(unit)) {
      strengths.push_back(std::nullopt);
    } else {
      scanner.Seek(after_number);  // a count or a volume ("21", "1 ML"), not a strength
    }
  }
  return strengths;
}

// `lower` without bracketed parts: RxNorm puts the brand there ("[Deltasone]").
std::string WithoutBrackets(std::string_view lower) {
  std::string out;
  int depth = 0;
  for (char c : lower) {
    if (c == '[') {
      ++depth;
    } else if (c == ']' && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out.push_back(c);
    }
  }
  return out;
}

bool IsCountDenominator(const fhir::Quantity& denominator) {
  if (IsCountOfUnits(denominator)) return true;
  if (denominator.system == kOrderableDrugFormSystem && !denominator.code.empty()) return true;
  return denominator.system == fhir::kUcumSystem && denominator.code == "1";
}

}  // namespace

bool IsCountOfUnits(const fhir::Quantity& quantity) {
  const bool ucum_or_no_system = quantity.system.empty() || quantity.system == fhir::kUcumSystem;
  if (!quantity.code.empty() && ucum_or_no_system) {
    std::string code = Trimmed(quantity.code);
    if (code.size() > 2 && code.front() == '{' && code.back() == '}') {
      return IsCountWord(std::string_view(code).substr(1, code.size() - 2));
    }
    if (IsCountWord(code)) return true;
    // Any other UCUM code ("mg", "mL") says what the unit is, whatever the text says.
    if (quantity.system == fhir::kUcumSystem && code != "1") return false;
  }
  return IsCountWord(Trimmed(quantity.unit));
}

std::optional<Strength> StrengthFromRatio(const fhir::Ratio& ratio) {
  if (!ratio.numerator || !ratio.denominator) return std::nullopt;
  std::optional<double> mg = fhir::MassInMg(*ratio.numerator);
  if (!mg || *mg <= 0) return std::nullopt;
  const fhir::Quantity& denominator = *ratio.denominator;
  if (std::optional<double> ml = fhir::VolumeInMl(denominator)) {
    if (*ml <= 0) return std::nullopt;
    return Strength{*mg / *ml, Strength::Per::kMilliliter};
  }
  if (!denominator.value || !(*denominator.value > 0) || !IsCountDenominator(denominator)) {
    return std::nullopt;
  }
  return Strength{*mg / *denominator.value, Strength::Per::kUnit};
}

std::optional<Strength> StrengthFromName(std::string_view name) {
  std::vector<std::optional<Strength>> strengths =
      StatedStrengths(WithoutBrackets(LowerAscii(name)));
  if (strengths.size() != 1 || !strengths.front() || !(strengths.front()->mg > 0)) {
    return std::nullopt;
  }
  return strengths.front();
}

std::optional<Strength> StrengthFromNames(const std::vector<std::string_view>& names) {
  std::optional<Strength> agreed;
  for (std::string_view name : names) {
    std::vector<std::optional<Strength>> strengths =
        StatedStrengths(WithoutBrackets(LowerAscii(name)));
    if (strengths.empty()) continue;
    std::optional<Strength> strength = StrengthFromName(name);
    if (!strength || (agreed && *agreed != *strength)) return std::nullopt;
    agreed = strength;
  }
  return agreed;
}

std::optional<double> DoseInMg(const fhir::Quantity& dose,
                               const std::optional<Strength>& strength) {
  if (std::optional<double> mg = fhir::MassInMg(dose)) return mg;
  if (!strength || !dose.value || !(*dose.value >= 0)) return std::nullopt;
  double amount = 0;
  if (strength->per == Strength::Per::kUnit && IsCountOfUnits(dose)) {
    amount = *dose.value;
  } else if (strength->per == Strength::Per::kMilliliter) {
    std::optional<double> ml = fhir::VolumeInMl(dose);
    if (!ml) return std::nullopt;
    amount = *ml;
  } else {
    return std::nullopt;
  }
  double mg = amount * strength->mg;
  if (!std::isfinite(mg)) return std::nullopt;
  return mg;
}

}  // namespace steroid_advisor::cards
