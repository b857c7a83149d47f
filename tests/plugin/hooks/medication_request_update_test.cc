// Tests for plugin/hooks/medication_request_update.h: the shortened draft a suggestion sends
// back is valid FHIR R4 whatever shape the client's draft had.
#include "plugin/hooks/medication_request_update.h"

#include <string>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "gtest/gtest.h"

namespace steroid_advisor::plugin {
namespace {

rapidjson::Document Parse(const std::string& text) {
  rapidjson::Document document;
  EXPECT_TRUE(fhir::ParseJson(text, 64, document).ok());
  return document;
}

TEST(MedicationRequestUpdate, CategorySentAsAnObjectComesBackAsAnArray) {
  // As the CDS Hooks sandbox sends it (issue 13).
  rapidjson::Document draft = Parse(R"({"resourceType":"MedicationRequest","id":"d1",
      "category":{"coding":[{"code":"outpatient"}]},"dosageInstruction":[{}]})");
  std::optional<rapidjson::Document> updated = UpdatedMedicationRequest(draft, 20000, 20020);
  ASSERT_TRUE(updated.has_value());
  const fhir::JsonValue* category = fhir::FindArray(*updated, "category");
  ASSERT_NE(category, nullptr);
  ASSERT_EQ(category->Size(), 1u);
  EXPECT_NE(fhir::FindArray((*category)[0], "coding"), nullptr);
}

TEST(MedicationRequestUpdate, CategoryOfAnotherTypeIsDropped) {
  rapidjson::Document draft = Parse(R"({"resourceType":"MedicationRequest","category":"x"})");
  std::optional<rapidjson::Document> updated = UpdatedMedicationRequest(draft, 20000, 20020);
  ASSERT_TRUE(updated.has_value());
  EXPECT_FALSE(updated->HasMember("category"));
}

TEST(MedicationRequestUpdate, CategoryArrayIsKeptAsItIs) {
  rapidjson::Document draft =
      Parse(R"({"resourceType":"MedicationRequest","category":[{"text":"a"},{"text":"b"}]})");
  std::optional<rapidjson::Document> updated = UpdatedMedicationRequest(draft, 20000, 20020);
  ASSERT_TRUE(updated.has_value());
  const fhir::JsonValue* category = fhir::FindArray(*updated, "category");
  ASSERT_NE(category, nullptr);
  EXPECT_EQ(category->Size(), 2u);
}

}  // namespace
}  // namespace steroid_advisor::plugin
