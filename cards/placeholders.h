// The placeholder catalogue: every {{name}} a card template may use, the longest value it can
// render to, and which rules fill it. Config validation and the renderer both read it, so a
// summary that passes validation cannot grow past 140 characters at run time.
// Owns: static tables only. Thread-safety: stateless functions over constants, safe from any
// thread.
#ifndef STEROID_ADVISOR_CARDS_PLACEHOLDERS_H_
#define STEROID_ADVISOR_CARDS_PLACEHOLDERS_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace steroid_advisor::cards {

struct Placeholder {
  std::string_view name;     // as written between {{ and }}
  std::size_t max_chars;     // rendered values longer than this are cut, ending in "…"
  std::string_view meaning;  // one line, for documentation
};

// Every placeholder, in documentation order.
const std::vector<Placeholder>& AllPlaceholders();

// The catalogue entry for `name`; nullptr when there is none.
const Placeholder* FindPlaceholder(std::string_view name);

// True when rule `rule_id` fills placeholder `name`; false for an unknown rule or name.
bool RuleFillsPlaceholder(std::string_view rule_id, std::string_view name);

// True when rule `rule_id` fills placeholder `name` in its variant `variant`: what the rule fills,
// less what that variant cannot know (a `dose-unknown` card has no dose_mg or equivalent_mg).
bool VariantFillsPlaceholder(std::string_view rule_id, std::string_view variant,
                             std::string_view name);

// Names of the placeholders rule `rule_id` fills (empty for an unknown rule).
std::vector<std::string_view> PlaceholdersOfRule(std::string_view rule_id);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_PLACEHOLDERS_H_
