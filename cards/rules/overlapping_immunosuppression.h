// Rule `overlapping-immunosuppression` (RULES.md 4): the patient has alemtuzumab exposure and a
// `non-steroid-immunosuppressants` medication is under review, or an alemtuzumab order is under
// review while such a medication is active (record or another draft). Variant: `default`
// (warning). Placeholders: drug (the orders under review the card concerns: alemtuzumab and
// immunosuppressant orders), other_drug (the immunosuppressants under review, else the active
// ones), last_alemtuzumab_date, window_months. The card names every such order under review.
// Thread-safety: stateless; safe from many threads.
#ifndef STEROID_ADVISOR_CARDS_RULES_OVERLAPPING_IMMUNOSUPPRESSION_H_
#define STEROID_ADVISOR_CARDS_RULES_OVERLAPPING_IMMUNOSUPPRESSION_H_

#include "cards/rule.h"

namespace steroid_advisor::cards {

class OverlappingImmunosuppressionRule : public Rule {
 public:
  std::string_view id() const override { return "overlapping-immunosuppression"; }
  bool ReadsRecord(const RequestFacts& facts) const override;
  std::optional<Card> Evaluate(const RequestFacts& facts, const RuleConfig& config) const override;
};

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_RULES_OVERLAPPING_IMMUNOSUPPRESSION_H_
