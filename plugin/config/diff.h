// What changed between two versions of the service configuration, by JSON path, so the audit
// trail can say "rules.steroid-premedication.variants.missing.summary: old -> new".
// Owns: nothing; results own their strings. Thread-safety: stateless functions, safe from any
// thread.
#ifndef STEROID_ADVISOR_PLUGIN_CONFIG_DIFF_H_
#define STEROID_ADVISOR_PLUGIN_CONFIG_DIFF_H_

#include <string>
#include <string_view>
#include <vector>

#include "fhir/status.h"

namespace steroid_advisor::plugin {

// One changed leaf. Paths use the config validator's spelling: members joined by ".", array
// elements as "[i]" ("rules.prolonged-steroid.links[1].url"); the root is "".
struct ConfigChange {
  std::string path;
  std::string old_json;  // compact JSON text of the old value; "null" when it did not exist
  std::string new_json;  // compact JSON text of the new value; "null" when it was removed
};

// The leaves (strings, numbers, booleans, nulls, empty objects and arrays) that differ between
// the two JSON texts: changed and removed ones in the old text's order, then added ones in the
// new text's order. Formatting and member order do not count as changes. InvalidArgument when
// either text is not JSON or nests deeper than `max_depth`.
StatusOr<std::vector<ConfigChange>> DiffConfigJson(std::string_view old_text,
                                                   std::string_view new_text, int max_depth);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_CONFIG_DIFF_H_
