#include "cards/rules/antiviral_prophylaxis.h"

#include <utility>
#include <vector>

#include "cards/card_builder.h"
#include "cards/proposed_orders.h"
#include "cards/template.h"

namespace steroid_advisor::cards {

bool AntiviralProphylaxisRule::ReadsRecord(const RequestFacts& facts) const {
  return facts.AnyUnderReview(ValueSetId::kAlemtuzumab);
}

std::optional<Card> AntiviralProphylaxisRule::Evaluate(const RequestFacts& facts,
                                                       const RuleConfig& config) const {
  std::vector<const OrderFacts*> alemtuzumab = facts.UnderReview(ValueSetId::kAlemtuzumab);
  if (alemtuzumab.empty() || !facts.input->record.requests_available) return std::nullopt;
  if (facts.AnyActive(ValueSetId::kHerpesAntiviralProphylaxis)) return std::nullopt;

  TemplateValues values;
  values.Set("drug", JoinDisplayNames(alemtuzumab));
  values.Set("required_days", std::to_string(facts.thresholds->premedication_days));
  std::optional<Card> card = BuildCard(id(), config, "missing", values);
  if (!card) return std::nullopt;

  Action action;
  action.type = Action::Type::kCreate;
  action.create = AntiviralOrder(facts.FirstInfusionDay().value_or(facts.input->today),
                                 facts.LastInfusionDay(), facts.input->patient_reference);
  if (std::optional<Suggestion> suggestion =
          BuildSuggestion(config, "add-antiviral", {std::move(action)}, true)) {
    card->suggestions.push_back(std::move(*suggestion));
  }
  card->order_references = OrderReferences(alemtuzumab);
  return card;
}

}  // namespace steroid_advisor::cards
