// ParseMedicationStatement on complete, partial and hostile statements
// (tests/data/fhir/medication_statement/).
#include "fhir/medication_statement.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

struct Loaded {
  rapidjson::Document document;
  std::optional<MedicationStatement> statement;
};

Loaded Load(const std::string& name) {
  Loaded loaded;
  loaded.document = fixtures::LoadFixture("medication_statement/" + name);
  loaded.statement = ParseMedicationStatement(loaded.document);
  return loaded;
}

TEST(MedicationStatement, ReadsACompleteStatement) {
  Loaded loaded = Load("prednisone_10mg_daily_active.json");
  ASSERT_TRUE(loaded.statement.has_value());
  const MedicationStatement& statement = *loaded.statement;
  EXPECT_EQ(statement.id, "pred-taking");
  EXPECT_EQ(statement.status, "active");
  EXPECT_EQ(statement.subject_reference, "Patient/pat-1001");
  EXPECT_EQ(statement.json, &loaded.document);
  ASSERT_TRUE(statement.medication.coded.has_value());
  EXPECT_EQ(statement.medication.coded->coding.at(0).code, "8640");
  ASSERT_TRUE(statement.effective.has_value());
  EXPECT_EQ(statement.effective->start, ParseFhirDate("2026-09-01"));
  EXPECT_EQ(statement.effective->end, ParseFhirDate("2026-12-01"));
  EXPECT_EQ(statement.date_asserted, ParseFhirDate("2026-11-20"));
  ASSERT_EQ(statement.dosage.size(), 2u);
  ASSERT_TRUE(statement.dosage[0].dose_quantity.has_value());
  EXPECT_EQ(MassInMg(*statement.dosage[0].dose_quantity), 10.0);
  EXPECT_EQ(statement.dosage[0].timing->repeat->period_unit, "d");
  EXPECT_EQ(statement.dosage[1].as_needed, true);
}

TEST(MedicationStatement, PartialStatementLeavesTheRestEmpty) {
  Loaded loaded = Load("partial_resource_type_only.json");
  ASSERT_TRUE(loaded.statement.has_value());
  EXPECT_EQ(loaded.statement->id, "");
  EXPECT_TRUE(loaded.statement->medication.empty());
  EXPECT_FALSE(loaded.statement->effective.has_value());
  EXPECT_FALSE(loaded.statement->date_asserted.has_value());
  EXPECT_TRUE(loaded.statement->dosage.empty());
}

TEST(MedicationStatement, MembersOfTheWrongTypeReadAsAbsent) {
  Loaded loaded = Load("hostile_wrong_types.json");
  ASSERT_TRUE(loaded.statement.has_value());
  const MedicationStatement& statement = *loaded.statement;
  EXPECT_EQ(statement.id, "");
  EXPECT_EQ(statement.status, "");
  EXPECT_EQ(statement.subject_reference, "");
  EXPECT_TRUE(statement.medication.empty());
  EXPECT_FALSE(statement.effective.has_value());
  EXPECT_FALSE(statement.date_asserted.has_value());
  EXPECT_TRUE(statement.dosage.empty());  // an object, not an array of Dosage
}

TEST(MedicationStatement, NullsReadAsAbsentAndNullDatesAsUnreadable) {
  Loaded loaded = Load("hostile_nulls.json");
  ASSERT_TRUE(loaded.statement.has_value());
  EXPECT_EQ(loaded.statement->id, "");
  EXPECT_TRUE(loaded.statement->medication.empty());
  EXPECT_FALSE(loaded.statement->date_asserted.has_value());
  EXPECT_TRUE(loaded.statement->dosage.empty());
  ASSERT_TRUE(loaded.statement->effective.has_value());
  EXPECT_TRUE(loaded.statement->effective->start_unreadable);
}

TEST(MedicationStatement, OtherResourceTypesAreNotStatements) {
  EXPECT_FALSE(Load("hostile_resource_type_mismatch.json").statement.has_value());
  rapidjson::Document text = fixtures::ParseOrDie("\"MedicationStatement\"");
  EXPECT_FALSE(ParseMedicationStatement(text).has_value());
}

}  // namespace
}  // namespace steroid_advisor::fhir
