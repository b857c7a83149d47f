#include "fhir/bundle.h"

#include "fhir/resource.h"

namespace steroid_advisor::fhir {

bool IsBundle(const JsonValue& json) { return IsResourceOfType(json, "Bundle"); }

std::optional<std::string_view> BundleType(const JsonValue& bundle) {
  if (!IsBundle(bundle)) return std::nullopt;
  return FindString(bundle, "type");
}

std::vector<BundleEntry> BundleEntries(const JsonValue& bundle) {
  std::vector<BundleEntry> entries;
  if (!IsBundle(bundle)) return entries;
  ArrayView elements = Elements(bundle, "entry");
  entries.reserve(elements.size());
  for (const JsonValue& entry : elements) {
    const JsonValue* resource = FindObject(entry, "resource");
    if (resource == nullptr) continue;
    if (const JsonValue* search = FindObject(entry, "search")) {
      if (FindString(*search, "mode") == std::optional<std::string_view>("outcome")) continue;
    }
    entries.push_back({resource, FindString(entry, "fullUrl").value_or("")});
  }
  return entries;
}

std::optional<std::string_view> NextLink(const JsonValue& bundle) {
  for (const JsonValue& link : Elements(bundle, "link")) {
    if (FindString(link, "relation") != std::optional<std::string_view>("next")) continue;
    // A next link without a readable url is skipped, not taken as the end of paging.
    if (std::optional<std::string_view> url = FindString(link, "url")) return url;
  }
  return std::nullopt;
}

}  // namespace steroid_advisor::fhir
