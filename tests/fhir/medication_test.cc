// ParseMedication and ParseMedicationSource: the Medication resource and the medication[x]
// choice of the three resources that carry one.
#include "fhir/medication.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

using fixtures::LoadFixture;
using fixtures::ParseOrDie;

TEST(Medication, ReadsCodeFormIngredientsAndTheirStrength) {
  rapidjson::Document json = LoadFixture("medication/acyclovir_tablet_with_ingredients.json");
  std::optional<Medication> medication = ParseMedication(json);
  ASSERT_TRUE(medication.has_value());
  EXPECT_EQ(medication->id, "acyclovir-200");
  ASSERT_TRUE(medication->code.has_value());
  EXPECT_EQ(medication->code->coding.at(0).code, "281");
  EXPECT_EQ(DisplayName(*medication->code), "acyclovir 200 mg tablet");
  ASSERT_TRUE(medication->form.has_value());
  EXPECT_EQ(medication->form->coding.at(0).code, "385055001");
  // A string ingredient is skipped; an itemReference or a string itemCodeableConcept leaves the
  // item empty.
  ASSERT_EQ(medication->ingredients.size(), 4u);
  const MedicationIngredient& acyclovir = medication->ingredients[0];
  ASSERT_TRUE(acyclovir.item.has_value());
  EXPECT_EQ(acyclovir.item->coding.at(0).code, "281");
  EXPECT_EQ(acyclovir.is_active, true);
  ASSERT_TRUE(acyclovir.strength.has_value());
  ASSERT_TRUE(acyclovir.strength->numerator.has_value());
  EXPECT_EQ(acyclovir.strength->numerator->value, 200.0);
  EXPECT_EQ(acyclovir.strength->numerator->code, "mg");
  ASSERT_TRUE(acyclovir.strength->denominator.has_value());
  EXPECT_EQ(acyclovir.strength->denominator->value, 1.0);
  EXPECT_EQ(acyclovir.strength->denominator->unit, "TAB");
  EXPECT_FALSE(medication->ingredients[1].item.has_value());  // itemReference
  EXPECT_FALSE(medication->ingredients[1].strength.has_value());
  EXPECT_FALSE(medication->ingredients[2].item.has_value());  // string itemCodeableConcept
  ASSERT_TRUE(medication->ingredients[3].item.has_value());
  EXPECT_EQ(medication->ingredients[3].item->text, "microcrystalline cellulose");
  EXPECT_FALSE(medication->ingredients[3].is_active.has_value());
}

TEST(Medication, MembersOfTheWrongTypeReadAsAbsent) {
  rapidjson::Document json = LoadFixture("medication/hostile_wrong_types.json");
  std::optional<Medication> medication = ParseMedication(json);
  ASSERT_TRUE(medication.has_value());
  EXPECT_EQ(medication->id, "");
  EXPECT_FALSE(medication->code.has_value());
  EXPECT_FALSE(medication->form.has_value());
  for (const MedicationIngredient& ingredient : medication->ingredients) {
    EXPECT_FALSE(ingredient.item.has_value());
    EXPECT_FALSE(ingredient.strength.has_value());
  }
}

TEST(Medication, OtherResourceTypesAndNonObjectsAreNotMedications) {
  rapidjson::Document substance = LoadFixture("medication/hostile_resource_type_mismatch.json");
  EXPECT_FALSE(ParseMedication(substance).has_value());
  for (const char* text : {"null", "[]", "\"Medication\"", "{}", R"({"resourceType": 1})"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseMedication(ParseOrDie(text)).has_value());
  }
}

TEST(MedicationSource, ReadsACodeableConcept) {
  rapidjson::Document json =
      ParseOrDie(R"({"medicationCodeableConcept": {"coding": [{"code": "6902"}], "text": "MP"}})");
  MedicationSource source = ParseMedicationSource(json);
  ASSERT_TRUE(source.coded.has_value());
  EXPECT_EQ(source.coded->text, "MP");
  EXPECT_EQ(source.reference, "");
  EXPECT_FALSE(source.empty());
}

TEST(MedicationSource, ReadsAReferenceAndItsDisplay) {
  rapidjson::Document json =
      ParseOrDie(R"({"medicationReference": {"reference": "Medication/mp", "display": "MP 1 g"}})");
  MedicationSource source = ParseMedicationSource(json);
  EXPECT_FALSE(source.coded.has_value());
  EXPECT_EQ(source.reference, "Medication/mp");
  EXPECT_EQ(source.reference_display, "MP 1 g");
  EXPECT_FALSE(source.empty());
}

TEST(MedicationSource, ADisplayAloneIsNotEmpty) {
  rapidjson::Document json = ParseOrDie(R"({"medicationReference": {"display": "MP 1 g"}})");
  EXPECT_FALSE(ParseMedicationSource(json).empty());
}

TEST(MedicationSource, KeepsOnlyContainedMedications) {
  rapidjson::Document json = ParseOrDie(R"({"contained": [
      {"resourceType": "Medication", "id": "a"}, {"resourceType": "Substance", "id": "b"},
      null, 3, [], {"resourceType": "Medication", "id": "c"}]})");
  MedicationSource source = ParseMedicationSource(json);
  ASSERT_EQ(source.contained.size(), 2u);
  EXPECT_EQ(source.contained[0].id, "a");
  EXPECT_EQ(source.contained[1].id, "c");
  EXPECT_TRUE(source.empty());  // contained Medications alone say nothing about medication[x]
}

TEST(MedicationSource, UnreadableInputIsEmpty) {
  for (const char* text : {"null", "[]", "{}", R"({"medicationCodeableConcept": "MP"})",
                           R"({"medicationReference": "Medication/mp"})",
                           R"({"medicationReference": {"reference": 1, "display": null}})",
                           R"({"contained": {"resourceType": "Medication"}})"}) {
    SCOPED_TRACE(text);
    MedicationSource source = ParseMedicationSource(ParseOrDie(text));
    EXPECT_TRUE(source.empty());
    EXPECT_TRUE(source.contained.empty());
  }
}

}  // namespace
}  // namespace steroid_advisor::fhir
