// Rule `prolonged-steroid` (RULES.md 3): a systemic corticosteroid order is under review, the
// patient has alemtuzumab exposure (drafted, or in the record within the window), and its days
// (planned days plus the days of an uninterrupted earlier course, continuous_use.h) exceed
// `prolongedDays`.
// Variants: `warning`; `critical` when the prednisone-equivalent daily dose is >=
// `highDosePrednisoneMg` for >= `highDoseDays` days (suggests `add-pjp-prophylaxis`);
// `critical-pjp-active` when, in that case, a `pjp-prophylaxis` medication is already active or
// drafted (no PJP suggestion); `dose-unknown` (a warning) when the order shown has a dose that
// cannot be read: the duration alone decides the card, the dose only the critical level (RULES.md
// 3). Every variant suggests `shorten-course`: each such order updated so that its boundsPeriod
// ends when the continuous course reaches `prolongedDays` (no update when the earlier course alone
// already reaches it). Never a card for: a short course (the order's own planned days <=
// `shortCourseDays`, even if it continues an earlier course), unknown planned days. Placeholders:
// drug (every such order) steroid dose_mg equivalent_mg (not in `dose-unknown`) days (continuous
// days) of the most severe order, threshold_days high_dose_mg high_dose_days
// last_alemtuzumab_date window_months. Thread-safety: stateless; safe from many threads.
#ifndef STEROID_ADVISOR_CARDS_RULES_PROLONGED_STEROID_H_
#define STEROID_ADVISOR_CARDS_RULES_PROLONGED_STEROID_H_

#include "cards/rule.h"

namespace steroid_advisor::cards {

class ProlongedSteroidRule : public Rule {
 public:
  std::string_view id() const override { return "prolonged-steroid"; }
  bool ReadsRecord(const RequestFacts& facts) const override;
  std::optional<Card> Evaluate(const RequestFacts& facts, const RuleConfig& config) const override;
};

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_RULES_PROLONGED_STEROID_H_
