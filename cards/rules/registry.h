// The registry: every rule, listed explicitly in RULES.md order (a static library drops
// self-registering files silently). A new rule is its file, one line here, and its test.
// Owns: the rule instances (static, stateless). Thread-safety: immutable; safe from any thread.
#ifndef STEROID_ADVISOR_CARDS_RULES_REGISTRY_H_
#define STEROID_ADVISOR_CARDS_RULES_REGISTRY_H_

#include <vector>

#include "cards/rule.h"

namespace steroid_advisor::cards {

// In RULES.md order, the tie-break when sorting cards of the same indicator.
const std::vector<const Rule*>& AllRules();

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_RULES_REGISTRY_H_
