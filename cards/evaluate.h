// Running the rules: every enabled rule of the registry over one RuleInput, and the cards in
// their stable order (critical, warning, info; then RULES.md rule order).
// Thread-safety: stateless functions; safe from many threads on shared const inputs.
#ifndef STEROID_ADVISOR_CARDS_EVALUATE_H_
#define STEROID_ADVISOR_CARDS_EVALUATE_H_

#include <vector>

#include "cards/card.h"
#include "cards/config.h"
#include "cards/rule_input.h"

namespace steroid_advisor::cards {

std::vector<Card> EvaluateRules(const RuleInput& input, const CardsConfig& config);

// True when some order under review is one the record matters for (alemtuzumab, a systemic
// corticosteroid, a non-steroid immunosuppressant) and an enabled rule would read the record.
// The CDS Hooks edge answers 412 when this is true and no part of the record can be had.
bool RecordNeeded(const RuleInput& input, const CardsConfig& config);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_EVALUATE_H_
