// FHIR R4 Bundle reading: the entries of a searchset or collection, and paging links.
// Owns: nothing; entries point into the caller's document.
// Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_FHIR_BUNDLE_H_
#define STEROID_ADVISOR_FHIR_BUNDLE_H_

#include <optional>
#include <string_view>
#include <vector>

#include "fhir/json_access.h"

namespace steroid_advisor::fhir {

struct BundleEntry {
  const JsonValue* resource = nullptr;  // never null in a returned entry
  std::string_view full_url;            // "" when absent
};

bool IsBundle(const JsonValue& json);

// `Bundle.type` (searchset, collection, ...) when present.
std::optional<std::string_view> BundleType(const JsonValue& bundle);

// The entries that carry an object `resource`, in order; none when `bundle` is not a Bundle.
// Searchset entries with search.mode "outcome" (an OperationOutcome about the search) are
// skipped: they are not matches.
std::vector<BundleEntry> BundleEntries(const JsonValue& bundle);

// The url of the link with relation "next", when present.
std::optional<std::string_view> NextLink(const JsonValue& bundle);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_BUNDLE_H_
