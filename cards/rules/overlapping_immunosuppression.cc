#include "cards/rules/overlapping_immunosuppression.h"

#include <vector>

#include "cards/card_builder.h"
#include "cards/template.h"

namespace steroid_advisor::cards {
bool OverlappingImmunosuppressionRule::ReadsRecord(const RequestFacts& facts) const {
  return facts.AnyUnderReview(ValueSetId::kNonSteroidImmunosuppressants) ||
         facts.AnyUnderReview(ValueSetId::kAlemtuzumab);
}

std::optional<Card> OverlappingImmunosuppressionRule::Evaluate(const RequestFacts& facts,
                                                               const RuleConfig& config) const {
  std::vector<const OrderFacts*> alemtuzumab = facts.UnderReview(ValueSetId::kAlemtuzumab);
  std::vector<const OrderFacts*> immunosuppressants =
      facts.UnderReview(ValueSetId::kNonSteroidImmunosuppressants);
  std::vector<const OrderFacts*> concerned;
  std::vector<const OrderFacts*> other_drugs;
  if (!immunosuppressants.empty() && facts.exposure.any()) {
    other_drugs = immunosuppressants;
  } else if (!alemtuzumab.empty()) {
    facts.ForEachActive([&other_drugs](const OrderFacts& order) {
      if (order.Is(ValueSetId::kNonSteroidImmunosuppressants)) other_drugs.push_back(&order);
    });
  }
  if (other_drugs.empty()) return std::nullopt;
  concerned = alemtuzumab;
  concerned.insert(concerned.end(), immunosuppressants.begin(), immunosuppressants.end());

  TemplateValues values;
  values.Set("drug", JoinDisplayNames(concerned));
  values.Set("other_drug", JoinDisplayNames(other_drugs));
  values.Set("last_alemtuzumab_date", facts.exposure.LastDateText());
  values.Set("window_months", std::to_string(facts.thresholds->exposure_window_months));
  std::optional<Card> card = BuildCard(id(), config, "default", values);
  if (!card) return std::nullopt;
  card->order_references = OrderReferences(concerned);
  return card;
}

}  // namespace steroid_advisor::cards
