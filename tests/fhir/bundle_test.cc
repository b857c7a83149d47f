// Bundle reading (tests/data/fhir/bundle/): searchset and collection entries, entries without a
// usable resource, search.mode "outcome", the next link, and things that are not Bundles.
#include "fhir/bundle.h"

#include <string>
#include <vector>

#include "fhir/resource.h"
#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

using fixtures::LoadFixture;

// "Type/id" of each entry, so a test reads as a list of what a rule would see.
std::vector<std::string> Names(const std::vector<BundleEntry>& entries) {
  std::vector<std::string> names;
  for (const BundleEntry& entry : entries) {
    EXPECT_NE(entry.resource, nullptr);
    std::string name(ResourceType(*entry.resource).value_or("?"));
    name += "/";
    name += FindString(*entry.resource, "id").value_or("");
    names.push_back(name);
  }
  return names;
}

TEST(Bundle, SearchsetKeepsMatchesAndIncludesAndSkipsOutcomesAndEmptyEntries) {
  rapidjson::Document bundle = LoadFixture("bundle/searchset_with_include_and_outcome.json");
  EXPECT_TRUE(IsBundle(bundle));
  EXPECT_EQ(BundleType(bundle), "searchset");
  std::vector<BundleEntry> entries = BundleEntries(bundle);
  EXPECT_EQ(Names(entries),
            (std::vector<std::string>{"MedicationRequest/mr-1", "Medication/mp",
                                      "MedicationRequest/mr-2", "MedicationRequest/mr-3"}));
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].full_url, "https://ehr.example/fhir/MedicationRequest/mr-1");
  EXPECT_EQ(entries[1].full_url, "https://ehr.example/fhir/Medication/mp");
  EXPECT_EQ(entries[2].full_url, "");  // a number
}

TEST(Bundle, CollectionEntriesComeInOrderWithTheirFullUrls) {
  rapidjson::Document bundle = LoadFixture("bundle/collection_draft_orders.json");
  EXPECT_EQ(BundleType(bundle), "collection");
  std::vector<BundleEntry> entries = BundleEntries(bundle);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].full_url, "urn:uuid:0c3a2d8e-3f4b-4bb5-9b7e-1f0e2d3c4b5a");
  EXPECT_EQ(ResourceType(*entries[0].resource), "MedicationRequest");
  EXPECT_EQ(entries[3].full_url, "");
}

TEST(Bundle, NextLinkIsTheUrlOfRelationNext) {
  rapidjson::Document bundle = LoadFixture("bundle/searchset_with_include_and_outcome.json");
  EXPECT_EQ(NextLink(bundle), "https://ehr.example/fhir/MedicationRequest?patient=pat-1001&page=2");
  rapidjson::Document collection = LoadFixture("bundle/collection_draft_orders.json");
  EXPECT_FALSE(NextLink(collection).has_value());
}

TEST(Bundle, NextLinkSkipsANextLinkWithoutAReadableUrl) {
  rapidjson::Document bundle = LoadFixture("bundle/hostile_next_link_url_not_a_string.json");
  EXPECT_EQ(NextLink(bundle), "https://ehr.example/fhir/second-next");
}

TEST(Bundle, MembersOfTheWrongTypeGiveNothing) {
  rapidjson::Document bundle = LoadFixture("bundle/hostile_members_of_wrong_type.json");
  EXPECT_TRUE(IsBundle(bundle));
  EXPECT_FALSE(BundleType(bundle).has_value());
  EXPECT_TRUE(BundleEntries(bundle).empty());
  EXPECT_FALSE(NextLink(bundle).has_value());
}

TEST(Bundle, NonBundlesHaveNoEntries) {
  rapidjson::Document cases = LoadFixture("bundle/hostile_not_bundles.json");
  ASSERT_TRUE(cases.IsArray());
  int index = 0;
  for (const JsonValue& json : ArrayView(&cases)) {
    SCOPED_TRACE(index++);
    EXPECT_FALSE(IsBundle(json));
    EXPECT_FALSE(BundleType(json).has_value());
    EXPECT_TRUE(BundleEntries(json).empty());
  }
  EXPECT_EQ(index, 6);
}

}  // namespace
}  // namespace steroid_advisor::fhir
