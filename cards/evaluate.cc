#include "cards/evaluate.h"

#include <algorithm>
#include <string>

#include "cards/request_facts.h"
#include "cards/rules/registry.h"
#include "cards/value_sets.h"

namespace steroid_advisor::cards {
namespace {

// The rule's config when it is present and enabled, else nullptr (a rule missing from the
// config is off: config validation requires every rule, so this only guards hand-built configs).
const RuleConfig* EnabledConfig(const CardsConfig& config, const Rule& rule) {
  auto it = config.rules.find(std::string(rule.id()));
  if (it == config.rules.end() || !it->second.enabled) return nullptr;
  return &it->second;
}

}  // namespace

std::vector<Card> EvaluateRules(const RuleInput& input, const CardsConfig& config) {
  std::vector<Card> cards;
  if (input.under_review.empty()) return cards;
  RequestFacts facts = BuildRequestFacts(input, config.thresholds, EmbeddedValueSets());
  for (const Rule* rule : AllRules()) {
    const RuleConfig* rule_config = EnabledConfig(config, *rule);
    if (rule_config == nullptr) continue;
    if (std::optional<Card> card = rule->Evaluate(facts, *rule_config)) {
      cards.push_back(std::move(*card));
    }
  }
  // Registry order is RULES.md order, so a stable sort by indicator keeps it as the tie-break.
  std::stable_sort(cards.begin(), cards.end(), [](const Card& a, const Card& b) {
    return static_cast<int>(a.indicator) < static_cast<int>(b.indicator);
  });
  return cards;
}

bool RecordNeeded(const RuleInput& input, const CardsConfig& config) {
  if (input.under_review.empty()) return false;
  RequestFacts facts =
      BuildRequestFacts(input, config.thresholds, EmbeddedValueSets(), /*with_record=*/false);
  for (const Rule* rule : AllRules()) {
    if (EnabledConfig(config, *rule) != nullptr && rule->ReadsRecord(facts)) return true;
  }
  return false;
}

}  // namespace steroid_advisor::cards
