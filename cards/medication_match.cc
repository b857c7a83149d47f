#include "cards/medication_match.h"

#include <string_view>
#include <vector>

#include "fhir/codeable_concept.h"

namespace steroid_advisor::cards {
namespace {

// Separates names so that the end of one and the start of the next are word boundaries.
constexpr char kNameSeparator = '\n';

void AppendName(std::string_view name, std::string& lower_names) {
  if (name.empty()) return;
  if (!lower_names.empty()) lower_names.push_back(kNameSeparator);
  AppendLowerAscii(name, lower_names);
}

void AppendConceptNames(const fhir::CodeableConcept& concept_value, std::string& lower_names) {
  AppendName(concept_value.text, lower_names);
  for (const fhir::Coding& coding : concept_value.coding) AppendName(coding.display, lower_names);
}

void MatchCodings(const fhir::CodeableConcept& concept_value, const ValueSets& value_sets,
                  ValueSetMatch& match) {
  for (const fhir::Coding& coding : concept_value.coding) {
    ValueSetMatch coded = value_sets.MatchCoding(coding.system, coding.code);
    match.sets |= coded.sets & kMedicationValueSets;
    if (match.ingredient == nullptr) match.ingredient = coded.ingredient;
  }
}

// The strength of the Medication's corticosteroid ingredient; of its only ingredient with a
// readable strength when no ingredient is recognisably a corticosteroid (an itemReference).
std::optional<Strength> IngredientStrength(const fhir::Medication& medication,
                                           const ValueSets& value_sets) {
  std::vector<Strength> readable;
  std::vector<Strength> corticosteroid;
  for (const fhir::MedicationIngredient& ingredient : medication.ingredients) {
    if (ingredient.is_active == false || !ingredient.strength) continue;
    std::optional<Strength> strength = StrengthFromRatio(*ingredient.strength);
    if (!strength) continue;
    readable.push_back(*strength);
    if (!ingredient.item) continue;
    ValueSetMatch match;
    MatchCodings(*ingredient.item, value_sets, match);
    if (match.sets == 0) {
      std::string names;
      AppendConceptNames(*ingredient.item, names);
      match = value_sets.MatchText(names, kMedicationValueSets);
    }
    if (match.sets & MaskOf(ValueSetId::kSystemicCorticosteroids)) {
      corticosteroid.push_back(*strength);
    }
  }
  if (corticosteroid.size() == 1) return corticosteroid.front();
  if (corticosteroid.empty() && readable.size() == 1) return readable.front();
  return std::nullopt;  // a combination: which strength is the steroid's is not known
}

// Each name in `lower_names` (kNameSeparator between them).
std::vector<std::string_view> SplitNames(std::string_view lower_names) {
  std::vector<std::string_view> names;
  while (!lower_names.empty()) {
    std::size_t end = lower_names.find(kNameSeparator);
    names.push_back(lower_names.substr(0, end));
    if (end == std::string_view::npos) break;
    lower_names.remove_prefix(end + 1);
  }
  return names;
}

}  // namespace

MedicationFacts MatchMedication(const fhir::MedicationSource& source,
                                const fhir::MedicationIndex& index, const ValueSets& value_sets) {
  MedicationFacts facts;
  ValueSetMatch match;
  const fhir::Medication* medication = fhir::ResolveMedication(source, index);

  if (source.coded) {
    MatchCodings(*source.coded, value_sets, match);
    AppendConceptNames(*source.coded, facts.lower_names);
    facts.display = fhir::DisplayName(*source.coded);
  }
  if (medication != nullptr) {
    if (medication->code) {
      MatchCodings(*medication->code, value_sets, match);
      AppendConceptNames(*medication->code, facts.lower_names);
      if (facts.display.empty()) facts.display = fhir::DisplayName(*medication->code);
    }
    for (const fhir::MedicationIngredient& ingredient : medication->ingredients) {
      if (ingredient.item) MatchCodings(*ingredient.item, value_sets, match);
    }
    if (medication->form) AppendConceptNames(*medication->form, facts.lower_form);
  }
  AppendName(source.reference_display, facts.lower_names);
  if (facts.display.empty()) facts.display = source.reference_display;

  // RULES.md: by code, or "when no coding matches", by text. Codes that place the medication in
  // a value set are trusted alone, so a premedication written "Solu-Medrol 1 g before Lemtrada"
  // but coded as methylprednisolone is not also an alemtuzumab order. Text may still name the
  // ingredient that an ATC class code (H02AB) leaves open.
  bool coded = match.sets != 0;
  if (!facts.lower_names.empty() && (!coded || match.ingredient == nullptr)) {
    ValueSetMatch by_text = value_sets.MatchText(facts.lower_names, kMedicationValueSets);
    if (!coded) match.sets = by_text.sets;
    if (match.ingredient == nullptr) match.ingredient = by_text.ingredient;
  }
  facts.sets = match.sets;
  // An ingredient only matters for a corticosteroid (a combination product could carry both).
  if (!facts.Is(ValueSetId::kSystemicCorticosteroids))
    facts.ingredient = nullptr;
  else
    facts.ingredient = match.ingredient;
  if (facts.Is(ValueSetId::kSystemicCorticosteroids)) {
    if (medication != nullptr) facts.strength = IngredientStrength(*medication, value_sets);
    if (!facts.strength) facts.strength = StrengthFromNames(SplitNames(facts.lower_names));
  }
  return facts;
}

}  // namespace steroid_advisor::cards
