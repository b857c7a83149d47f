// The value sets of clinical/valuesets.json (embedded in the binary as cards/data/valuesets.json):
// which codings and which words name alemtuzumab, systemic corticosteroids, anti-herpes and PJP
// prophylaxis, non-steroid immunosuppressants, and systemic / non-systemic routes; and the
// prednisone equivalents of the corticosteroid ingredients.
// Matching: a coding matches a value set by exact system + code, or by an ATC class `prefix`
// unless the code is one of its `exceptCodes`; text matches by textPatterns as text_match.h says
// ("inhal" and "nebul" are word prefixes, every other pattern a whole word).
// Owns: its tables. Thread-safety: immutable after Parse; const methods are safe from many
// threads. EmbeddedValueSets() is parsed once, on first use (function-local static).
#ifndef STEROID_ADVISOR_CARDS_VALUE_SETS_H_
#define STEROID_ADVISOR_CARDS_VALUE_SETS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cards/text_match.h"
#include "fhir/status.h"

namespace steroid_advisor::cards {

// The value sets the rules use, by their valuesets.json names.
enum class ValueSetId : uint8_t {
  kAlemtuzumab = 0,               // "alemtuzumab"
  kSystemicCorticosteroids,       // "systemic-corticosteroids"
  kHerpesAntiviralProphylaxis,    // "herpes-antiviral-prophylaxis"
  kPjpProphylaxis,                // "pjp-prophylaxis"
  kNonSteroidImmunosuppressants,  // "non-steroid-immunosuppressants"
  kSystemicRoutes,                // "systemic-routes"
  kNonSystemicRoutes,             // "non-systemic-routes"
};
inline constexpr int kValueSetCount = 7;

// A set of ValueSetIds, one bit each.
using ValueSetMask = uint32_t;
constexpr ValueSetMask MaskOf(ValueSetId id) { return ValueSetMask{1} << static_cast<int>(id); }
inline constexpr ValueSetMask kMedicationValueSets =
    MaskOf(ValueSetId::kAlemtuzumab) | MaskOf(ValueSetId::kSystemicCorticosteroids) |
    MaskOf(ValueSetId::kHerpesAntiviralProphylaxis) | MaskOf(ValueSetId::kPjpProphylaxis) |
    MaskOf(ValueSetId::kNonSteroidImmunosuppressants);
inline constexpr ValueSetMask kRouteValueSets =
    MaskOf(ValueSetId::kSystemicRoutes) | MaskOf(ValueSetId::kNonSystemicRoutes);

std::string_view ValueSetName(ValueSetId id);

// A corticosteroid ingredient and how many mg of it equal 5 mg prednisone (nullopt when
// valuesets.json gives no equivalent, e.g. paramethasone: its dose cannot be converted).
struct Ingredient {
  std::string name;
  std::optional<double> prednisone_equivalent_mg;
};

struct ValueSetMatch {
  ValueSetMask sets = 0;
  // The corticosteroid ingredient named by the matching coding's `ingredient`, or by the text
  // pattern that matched (brand names map to their ingredient); nullptr when none is known.
  const Ingredient* ingredient = nullptr;

  bool Has(ValueSetId id) const { return (sets & MaskOf(id)) != 0; }
};

class ValueSets {
 public:
  // Parses valuesets.json text. InvalidArgument naming the JSON path when a value set the rules
  // need is missing or malformed.
  static StatusOr<ValueSets> Parse(std::string_view json_text);

  ValueSets(ValueSets&&) = default;
  ValueSets& operator=(ValueSets&&) = default;
  ValueSets(const ValueSets&) = delete;
  ValueSets& operator=(const ValueSets&) = delete;

  // The value sets `system`|`code` belongs to, with the ingredient of the first exact code entry
  // that names one.
  ValueSetMatch MatchCoding(std::string_view system, std::string_view code) const;

  // The value sets among `among` with a text pattern in `lower_text` (already lower-case), and
  // the ingredient of the earliest-occurring pattern that names one.
  ValueSetMatch MatchText(std::string_view lower_text, ValueSetMask among) const;

  // nullptr when `name` (lower-case) is not a known ingredient.
  const Ingredient* FindIngredient(std::string_view name) const;

  std::string_view version() const { return version_; }

 private:
  struct CodeEntry {
    std::string code;
    std::string system;
    ValueSetId set;
    int ingredient;  // index into ingredients_, -1 when none
  };
  struct PrefixEntry {
    std::string system;
    std::string prefix;
    std::vector<std::string> except_codes;
    ValueSetId set;
  };
  struct TextPattern {
    std::string text;  // lower-case
    PatternEnd end;
    ValueSetId set;
    int ingredient;
  };

  ValueSets() = default;
  int IngredientIndex(std::string_view name) const;
  int AddIngredient(std::string_view name);
  const Ingredient* IngredientAt(int index) const;

  std::string version_;
  std::vector<Ingredient> ingredients_;
  std::vector<CodeEntry> codes_;  // sorted by (code, system)
  std::vector<PrefixEntry> prefixes_;
  std::vector<TextPattern> patterns_;
  // Indexes into patterns_ by the pattern's first byte, in valuesets.json order.
  std::array<std::vector<uint16_t>, 256> patterns_by_first_byte_;
};

// The embedded cards/data/valuesets.json, parsed on first use. The file is fixed at build time
// and a test parses it, so a parse failure here is a build bug: the process aborts.
const ValueSets& EmbeddedValueSets();

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_VALUE_SETS_H_
