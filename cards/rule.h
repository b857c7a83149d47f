// The Rule interface: one clinical rule of RULES.md, by its stable id. A rule reads the shared
// RequestFacts (orders, active medications, exposure, thresholds, all computed once per request)
// and its own RuleConfig (texts, labels), and answers at most one card.
// STYLE.md sketches Evaluate(const RuleInput&, const RuleConfig&); RequestFacts carries the
// RuleInput (facts.input) plus the per-order facts every rule would otherwise recompute, and the
// thresholds, which live in CardsConfig rather than RuleConfig.
// Owns: nothing. Thread-safety: rules are stateless; const methods are safe from many threads.
#ifndef STEROID_ADVISOR_CARDS_RULE_H_
#define STEROID_ADVISOR_CARDS_RULE_H_

#include <optional>
#include <string_view>

#include "cards/card.h"
#include "cards/config.h"
#include "cards/request_facts.h"

namespace steroid_advisor::cards {

class Rule {
 public:
  virtual ~Rule() = default;

  // The RULES.md id: card.source.topic.code and the key of its RuleConfig.
  virtual std::string_view id() const = 0;

  // True when, for the orders under review in `facts`, this rule would read the patient's
  // record (RecordNeeded: the edge answers 412 when no part of it can be had).
  virtual bool ReadsRecord(const RequestFacts& facts) const = 0;

  // This rule's card for the request, or nullopt: nothing to say, data it cannot read, or a
  // variant missing from `config`.
  virtual std::optional<Card> Evaluate(const RequestFacts& facts,
                                       const RuleConfig& config) const = 0;
};

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_RULE_H_
