// Rule `steroid-premedication` (RULES.md 1): an alemtuzumab order is under review and no
// corticosteroid premedication covers the infusion.
// Variants: `missing` (no systemic corticosteroid among active medications and drafts; suggests
// `add-premedication`), `low-dose` (methylprednisolone-equivalent daily dose below the label
// dose, default 1000 mg), `too-few-days` (fewer than the first `premedicationDays` infusion days
// covered). Placeholders: drug steroid dose_mg equivalent_mg label_dose_mg days covered_days
// required_days.
// Decisions where RULES.md is silent:
// - Any active or drafted systemic corticosteroid is a candidate. If one has an adequate dose,
//   the infusion days are counted over all adequate ones together (a day-1 order plus a day-2..3
//   order cover 3 days); if none has, `low-dose` names the highest one.
// - A covered day is a day of the steroid's boundsPeriod within the first `required_days` days
//   from the alemtuzumab boundsPeriod.start; when either start is not stated, the steroid is taken
//   to start with the infusion.
// - Unknown dose (no candidate adequate, one unreadable) or unknown days of an adequate one: no
//   card, as RULES.md says for unreadable data. Without the record's MedicationRequests the rule
//   cannot know what is active: no card.
// Thread-safety: stateless; safe from many threads.
#ifndef STEROID_ADVISOR_CARDS_RULES_STEROID_PREMEDICATION_H_
#define STEROID_ADVISOR_CARDS_RULES_STEROID_PREMEDICATION_H_

#include "cards/rule.h"

namespace steroid_advisor::cards {

class SteroidPremedicationRule : public Rule {
 public:
  std::string_view id() const override { return "steroid-premedication"; }
  bool ReadsRecord(const RequestFacts& facts) const override;
  std::optional<Card> Evaluate(const RequestFacts& facts, const RuleConfig& config) const override;
};

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_RULES_STEROID_PREMEDICATION_H_
