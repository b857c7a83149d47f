// Rule `relapse-steroid-course` (RULES.md 5): a short systemic corticosteroid course (planned
// days <= `shortCourseDays`) is under review, the record shows alemtuzumab exposure within the
// window, and no alemtuzumab order is among the request's draft orders (then the steroid is
// premedication). Variants: `default` (info): steroids stay first-line for relapses; keep the
// course short, no extended taper, watch for infection; `dose-unknown` (info), the same advice
// when no such order has a readable dose (RULES.md 5: the card does not need the dose).
// Unknown planned days: no card. Placeholders: drug (every such order), steroid dose_mg
// equivalent_mg (prednisone-equivalent daily; not in `dose-unknown`) days of the first order with
// a readable dose (else the first), short_course_days, last_alemtuzumab_date.
// Thread-safety: stateless; safe from many threads.
#ifndef STEROID_ADVISOR_CARDS_RULES_RELAPSE_STEROID_COURSE_H_
#define STEROID_ADVISOR_CARDS_RULES_RELAPSE_STEROID_COURSE_H_

#include "cards/rule.h"

namespace steroid_advisor::cards {

class RelapseSteroidCourseRule : public Rule {
 public:
  std::string_view id() const override { return "relapse-steroid-course"; }
  bool ReadsRecord(const RequestFacts& facts) const override;
  std::optional<Card> Evaluate(const RequestFacts& facts, const RuleConfig& config) const override;
};

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_RULES_RELAPSE_STEROID_COURSE_H_
