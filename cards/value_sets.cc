#include "cards/value_sets.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>
#include <utility>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"

namespace steroid_advisor::cards {

extern const std::string_view kEmbeddedValueSetsJson;

namespace {

constexpr std::string_view kValueSetNames[kValueSetCount] = {
    "alemtuzumab",         "systemic-corticosteroids",       "herpes-antiviral-prophylaxis",
    "pjp-prophylaxis",     "non-steroid-immunosuppressants", "systemic-routes",
    "non-systemic-routes",
};

// valuesets.json notes: "inhal" is a word prefix (inhaled, inhalation); "nebul" is the same
// kind of stem (nebuliser, nebulized). Every other pattern is a whole word.
constexpr std::string_view kWordPrefixPatterns[] = {"inhal", "nebul"};

// Brand names among the corticosteroid textPatterns name no ingredient themselves; these are
// their (US) ingredients, so a dose written against a brand can still be converted.
constexpr std::pair<std::string_view, std::string_view> kBrandIngredients[] = {
    {"solu-medrol", "methylprednisolone"}, {"medrol", "methylprednisolone"},
    {"deltasone", "prednisone"},           {"orapred", "prednisolone"},
    {"decadron", "dexamethasone"},         {"solu-cortef", "hydrocortisone"},
    {"cortef", "hydrocortisone"},          {"celestone", "betamethasone"},
    {"kenalog", "triamcinolone"},          {"emflaza", "deflazacort"},
};

// Maximum patterns indexable by uint16_t positions.
constexpr size_t kMaxPatterns = 65535;

bool IsWordPrefixPattern(std::string_view pattern) {
  return std::find(std::begin(kWordPrefixPatterns), std::end(kWordPrefixPatterns), pattern) !=
         std::end(kWordPrefixPatterns);
}

std::string_view BrandIngredient(std::string_view pattern) {
  for (const auto& [brand, ingredient] : kBrandIngredients) {
    if (brand == pattern) return ingredient;
  }
  return {};
}

}  // namespace

std::string_view ValueSetName(ValueSetId id) { return kValueSetNames[static_cast<int>(id)]; }

int ValueSets::IngredientIndex(std::string_view name) const {
  for (size_t i = 0; i < ingredients_.size(); ++i) {
    if (ingredients_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int ValueSets::AddIngredient(std::string_view name) {
  int index = IngredientIndex(name);
  if (index >= 0) return index;
  ingredients_.push_back(Ingredient{std::string(name), std::nullopt});
  return static_cast<int>(ingredients_.size() - 1);
}

const Ingredient* ValueSets::IngredientAt(int index) const {
  return index < 0 ? nullptr : &ingredients_[static_cast<size_t>(index)];
}

const Ingredient* ValueSets::FindIngredient(std::string_view name) const {
  return IngredientAt(IngredientIndex(name));
}

StatusOr<ValueSets> ValueSets::Parse(std::string_view json_text) {
  rapidjson::Document document;
  RETURN_IF_ERROR(fhir::ParseJson(json_text, fhir::kDefaultMaxJsonDepth, document));
  const fhir::JsonValue* value_sets = fhir::FindObject(document, "valueSets");
  if (value_sets == nullptr) return InvalidArgumentError("valueSets: expected an object");

  ValueSets result;
  result.version_ = std::string(fhir::FindString(document, "version").value_or(""));
  std::vector<std::pair<int, std::string>> pattern_ingredients;  // resolved after all codes

  for (int i = 0; i < kValueSetCount; ++i) {
    ValueSetId id = static_cast<ValueSetId>(i);
    std::string path = "valueSets." + std::string(ValueSetName(id));
    const fhir::JsonValue* set = fhir::FindObject(*value_sets, ValueSetName(id));
    if (set == nullptr) return InvalidArgumentError(path + ": missing");
    int entry_index = 0;
    for (const fhir::JsonValue& entry : fhir::Elements(*set, "codes")) {
      std::string entry_path = path + ".codes[" + std::to_string(entry_index++) + "]";
      std::optional<std::string_view> system = fhir::FindString(entry, "system");
      if (!system) return InvalidArgumentError(entry_path + ".system: expected a string");
      std::optional<std::string_view> code = fhir::FindString(entry, "code");
      std::optional<std::string_view> prefix = fhir::FindString(entry, "prefix");
      if (code) {
        int ingredient = -1;
        if (std::optional<std::string_view> name = fhir::FindString(entry, "ingredient")) {
          ingredient = result.AddIngredient(*name);
        }
        result.codes_.push_back(
            CodeEntry{std::string(*code), std::string(*system), id, ingredient});
      } else if (prefix) {
        PrefixEntry prefix_entry{std::string(*system), std::string(*prefix), {}, id};
        for (const fhir::JsonValue& except : fhir::Elements(entry, "exceptCodes")) {
          if (std::optional<std::string_view> text = fhir::AsString(except)) {
            prefix_entry.except_codes.emplace_back(*text);
          }
        }
        result.prefixes_.push_back(std::move(prefix_entry));
      } else {
        return InvalidArgumentError(entry_path + ": expected a code or a prefix");
      }
    }
    for (const fhir::JsonValue& pattern : fhir::Elements(*set, "textPatterns")) {
      std::optional<std::string_view> text = fhir::AsString(pattern);
      if (!text || text->empty()) continue;
      std::string lower = LowerAscii(*text);
      PatternEnd end =
          IsWordPrefixPattern(lower) ? PatternEnd::kWordPrefix : PatternEnd::kWholeWord;
      if (id == ValueSetId::kSystemicCorticosteroids) {
        std::string_view brand = BrandIngredient(lower);
        pattern_ingredients.emplace_back(static_cast<int>(result.patterns_.size()),
                                         brand.empty() ? lower : std::string(brand));
      }
      result.patterns_.push_back(TextPattern{std::move(lower), end, id, -1});
    }
  }
  if (result.patterns_.size() > kMaxPatterns) {
    return InvalidArgumentError("valueSets: too many textPatterns");
  }

  // A generic pattern ("prednisone") is its own ingredient; it is one when a code names it or it
  // has an equivalent, so "medrol"-style brands resolve through kBrandIngredients only.
  const fhir::JsonValue* equivalents = fhir::FindObject(document, "prednisoneEquivalentMg");
  if (equivalents == nullptr) {
    return InvalidArgumentError("prednisoneEquivalentMg: expected an object");
  }
  for (const auto& [pattern_index, name] : pattern_ingredients) {
    if (result.IngredientIndex(name) < 0 && !fhir::FindNumber(*equivalents, name)) continue;
    result.patterns_[static_cast<size_t>(pattern_index)].ingredient = result.AddIngredient(name);
  }
  for (Ingredient& ingredient : result.ingredients_) {
    std::optional<double> mg = fhir::FindNumber(*equivalents, ingredient.name);
    if (mg && *mg > 0) ingredient.prednisone_equivalent_mg = *mg;
  }

  std::sort(result.codes_.begin(), result.codes_.end(), [](const CodeEntry& a, const CodeEntry& b) {
    return std::tie(a.code, a.system) < std::tie(b.code, b.system);
  });
  for (size_t i = 0; i < result.patterns_.size(); ++i) {
    unsigned char first = static_cast<unsigned char>(result.patterns_[i].text[0]);
    result.patterns_by_first_byte_[first].push_back(static_cast<uint16_t>(i));
  }
  return result;
}

ValueSetMatch ValueSets::MatchCoding(std::string_view system, std::string_view code) const {
  ValueSetMatch match;
  if (code.empty()) return match;
  auto first = std::lower_bound(codes_.begin(), codes_.end(), code,
                                [](const CodeEntry& entry, std::string_view value) {
                                  return std::string_view(entry.code) < value;
                                });
  for (auto it = first; it != codes_.end() && it->code == code; ++it) {
    if (it->system != system) continue;
    match.sets |= MaskOf(it->set);
    if (match.ingredient == nullptr) match.ingredient = IngredientAt(it->ingredient);
  }
  for (const PrefixEntry& prefix : prefixes_) {
    if (prefix.system != system || code.substr(0, prefix.prefix.size()) != prefix.prefix) continue;
    if (std::find(prefix.except_codes.begin(), prefix.except_codes.end(), code) !=
        prefix.except_codes.end()) {
      continue;
    }
    match.sets |= MaskOf(prefix.set);
  }
  return match;
}

ValueSetMatch ValueSets::MatchText(std::string_view lower_text, ValueSetMask among) const {
  ValueSetMatch match;
  for (size_t i = 0; i < lower_text.size(); ++i) {
    if (i > 0 && IsWordChar(lower_text[i - 1])) continue;  // only word starts
    for (uint16_t index : patterns_by_first_byte_[static_cast<unsigned char>(lower_text[i])]) {
      const TextPattern& pattern = patterns_[index];
      ValueSetMask bit = MaskOf(pattern.set);
      if ((among & bit) == 0) continue;
      bool wants_ingredient = match.ingredient == nullptr && pattern.ingredient >= 0;
      if ((match.sets & bit) != 0 && !wants_ingredient) continue;
      if (!MatchesWordAt(lower_text, i, pattern.text, pattern.end)) continue;
      match.sets |= bit;
      if (wants_ingredient) match.ingredient = IngredientAt(pattern.ingredient);
    }
  }
  return match;
}

const ValueSets& EmbeddedValueSets() {
  static const ValueSets* const value_sets = [] {
    StatusOr<ValueSets> parsed = ValueSets::Parse(kEmbeddedValueSetsJson);
    if (!parsed.ok()) {
      std::fprintf(stderr, "embedded valuesets.json: %s\n", parsed.status().ToString().c_str());
      std::abort();
    }
    return new ValueSets(std::move(*parsed));
  }();
  return *value_sets;
}

}  // namespace steroid_advisor::cards
