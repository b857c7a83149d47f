#include "cards/card_builder.h"

#include <algorithm>
#include <utility>

namespace steroid_advisor::cards {

std::optional<Card> BuildCard(std::string_view rule_id, const RuleConfig& config,
                              std::string_view variant, const TemplateValues& values) {
  auto text = config.variants.find(std::string(variant));
  if (text == config.variants.end()) return std::nullopt;
  Card card;
  card.rule_id = std::string(rule_id);
  card.topic_display = config.title;
  card.variant = std::string(variant);
  card.indicator = text->second.indicator;
  card.summary = RenderTemplate(text->second.summary, values);
  card.detail = RenderTemplate(text->second.detail, values);
  card.source_label = config.source_label;
  card.source_url = config.source_url;
  card.links = config.links;
  card.override_reasons = config.override_reasons;
  return card;
}

std::optional<Suggestion> BuildSuggestion(const RuleConfig& config, std::string_view suggestion_id,
                                          std::vector<Action> actions, bool is_recommended) {
  auto label = config.suggestion_labels.find(std::string(suggestion_id));
  if (label == config.suggestion_labels.end() || label->second.empty() || actions.empty()) {
    return std::nullopt;
  }
  Suggestion suggestion;
  suggestion.label = label->second;
  suggestion.is_recommended = is_recommended;
  for (Action& action : actions) {
    if (action.description.empty()) action.description = label->second;
  }
  suggestion.actions = std::move(actions);
  return suggestion;
}

std::string JoinDisplayNames(const std::vector<const OrderFacts*>& orders) {
  std::vector<std::string_view> names;
  std::string joined;
  for (const OrderFacts* order : orders) {
    std::string_view name = order->medication.display;
    if (name.empty() || std::find(names.begin(), names.end(), name) != names.end()) continue;
    names.push_back(name);
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

std::vector<std::string> OrderReferences(const std::vector<const OrderFacts*>& orders) {
  std::vector<std::string> references;
  for (const OrderFacts* order : orders) {
    if (order->reference.empty() ||
        std::find(references.begin(), references.end(), order->reference) != references.end()) {
      continue;
    }
    references.push_back(order->reference);
  }
  return references;
}

}  // namespace steroid_advisor::cards
