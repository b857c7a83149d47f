// What every rule's card shares: the config's texts rendered for one variant, source, links,
// override reasons, and suggestions labelled from the config. Rules decide; this assembles.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_CARDS_CARD_BUILDER_H_
#define STEROID_ADVISOR_CARDS_CARD_BUILDER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cards/card.h"
#include "cards/config.h"
#include "cards/order_facts.h"
#include "cards/template.h"

namespace steroid_advisor::cards {

// A card for `variant` of rule `rule_id`: indicator from the variant's CardText, summary and
// detail rendered with `values`, and the rule's title, source, links and override reasons.
// nullopt when the config has no such variant (config validation prevents it; a missing variant
// must not crash a request).
std::optional<Card> BuildCard(std::string_view rule_id, const RuleConfig& config,
                              std::string_view variant, const TemplateValues& values);

// A suggestion labelled with config.suggestion_labels[suggestion_id]; the actions' empty
// descriptions get the label too. nullopt when the label is missing or there is no action: an
// administrator removes a suggestion by removing its label.
std::optional<Suggestion> BuildSuggestion(const RuleConfig& config, std::string_view suggestion_id,
                                          std::vector<Action> actions, bool is_recommended);

// Display names of `orders`, each once, joined with ", " ({{drug}}).
std::string JoinDisplayNames(const std::vector<const OrderFacts*>& orders);

// "MedicationRequest/<id>" of the `orders` that have one, each once.
std::vector<std::string> OrderReferences(const std::vector<const OrderFacts*>& orders);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_CARD_BUILDER_H_
