// What every resource has: its type, id and references, read from any JSON value.
#include "fhir/resource.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

using fixtures::ParseOrDie;

TEST(Resource, ReadsTypeAndLocalReference) {
  rapidjson::Document json = ParseOrDie(R"({"resourceType": "MedicationRequest", "id": "mr-1",
                     "subject": {"reference": "Patient/pat-1001", "display": "Pat"}})");
  EXPECT_EQ(ResourceType(json), "MedicationRequest");
  EXPECT_TRUE(IsResourceOfType(json, "MedicationRequest"));
  EXPECT_FALSE(IsResourceOfType(json, "MedicationStatement"));
  EXPECT_FALSE(IsResourceOfType(json, "medicationrequest"));
  EXPECT_FALSE(IsResourceOfType(json, ""));
  EXPECT_EQ(LocalReference(json), "MedicationRequest/mr-1");
  EXPECT_EQ(ReadReference(json, "subject"), "Patient/pat-1001");
}

TEST(Resource, LocalReferenceNeedsBothTypeAndId) {
  for (const char* text :
       {R"({"resourceType": "Medication"})", R"({"id": "x"})",
        R"({"resourceType": "Medication", "id": ""})", R"({"resourceType": "", "id": "x"})",
        R"({"resourceType": "Medication", "id": 5})",
        R"({"resourceType": ["Medication"], "id": "x"})", "[]", "null"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(LocalReference(ParseOrDie(text)), "");
  }
}

TEST(Resource, UnreadableReferencesAreEmpty) {
  rapidjson::Document json = ParseOrDie(R"({
      "a": "Patient/x", "b": {"reference": 1}, "c": {"display": "Pat"}, "d": [{"reference": "x"}],
      "e": null, "f": {"reference": null}})");
  for (const char* key : {"a", "b", "c", "d", "e", "f", "missing"}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(ReadReference(json, key), "");
  }
}

TEST(Resource, NonObjectsHaveNoType) {
  for (const char* text : {"null", "[]", "\"Medication\"", "{}", R"({"resourceType": null})"}) {
    SCOPED_TRACE(text);
    rapidjson::Document json = ParseOrDie(text);
    EXPECT_FALSE(ResourceType(json).has_value());
    EXPECT_FALSE(IsResourceOfType(json, "Medication"));
  }
}

}  // namespace
}  // namespace steroid_advisor::fhir
