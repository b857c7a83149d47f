// Rule `antiviral-prophylaxis` (RULES.md 2): an alemtuzumab order is under review and no
// anti-herpes antiviral (`herpes-antiviral-prophylaxis`) is active or drafted.
// Variant: `missing` (warning), suggestion `add-antiviral` (acyclovir 200 mg orally twice daily
// from the first infusion day, until 2 months after the course's last stated infusion day, else
// for 2 months). Placeholders: drug required_days.
// Without the record's MedicationRequests the rule cannot know what is active: no card.
// Thread-safety: stateless; safe from many threads.
#ifndef STEROID_ADVISOR_CARDS_RULES_ANTIVIRAL_PROPHYLAXIS_H_
#define STEROID_ADVISOR_CARDS_RULES_ANTIVIRAL_PROPHYLAXIS_H_

#include "cards/rule.h"

namespace steroid_advisor::cards {

class AntiviralProphylaxisRule : public Rule {
 public:
  std::string_view id() const override { return "antiviral-prophylaxis"; }
  bool ReadsRecord(const RequestFacts& facts) const override;
  std::optional<Card> Evaluate(const RequestFacts& facts, const RuleConfig& config) const override;
};

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_RULES_ANTIVIRAL_PROPHYLAXIS_H_
