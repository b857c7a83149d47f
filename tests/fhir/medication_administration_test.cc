// ParseMedicationAdministration and ParseEffective on complete, partial and hostile
// administrations (tests/data/fhir/medication_administration/).
#include "fhir/medication_administration.h"

#include <string>

#include "fhir/medication_index.h"
#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

struct Loaded {
  rapidjson::Document document;
  std::optional<MedicationAdministration> administration;
};

Loaded Load(const std::string& name) {
  Loaded loaded;
  loaded.document = fixtures::LoadFixture("medication_administration/" + name);
  loaded.administration = ParseMedicationAdministration(loaded.document);
  return loaded;
}

TEST(MedicationAdministration, ReadsACompleteAdministration) {
  Loaded loaded = Load("methylprednisolone_1g_iv_given.json");
  ASSERT_TRUE(loaded.administration.has_value());
  const MedicationAdministration& given = *loaded.administration;
  EXPECT_EQ(given.id, "mp-given");
  EXPECT_EQ(given.status, "completed");
  EXPECT_EQ(given.subject_reference, "Patient/pat-1001");
  EXPECT_EQ(given.json, &loaded.document);
  EXPECT_EQ(given.medication.reference, "#mp");
  const Medication* medication = ResolveMedication(given.medication, MedicationIndex());
  ASSERT_NE(medication, nullptr);
  EXPECT_EQ(DisplayName(*medication->code), "methylprednisolone");
  ASSERT_TRUE(given.effective.has_value());
  EXPECT_EQ(given.effective->start, ParseFhirDate("2026-11-25"));
  EXPECT_EQ(given.effective->end, ParseFhirDate("2026-11-25"));
  ASSERT_TRUE(given.route.has_value());
  EXPECT_EQ(given.route->coding.at(0).code, "47625008");
  ASSERT_TRUE(given.dose.has_value());
  EXPECT_EQ(MassInMg(*given.dose), 1000.0);
}

TEST(MedicationAdministration, EffectiveDateTimeIsAOneDayPeriodOnTheWrittenDay) {
  Loaded loaded = Load("effective_date_time.json");
  ASSERT_TRUE(loaded.administration.has_value());
  ASSERT_TRUE(loaded.administration->effective.has_value());
  EXPECT_EQ(loaded.administration->effective->start, ParseFhirDate("2026-06-01"));
  EXPECT_EQ(loaded.administration->effective->end, ParseFhirDate("2026-06-01"));
  EXPECT_FALSE(loaded.administration->effective->start_unreadable);
  EXPECT_EQ(loaded.administration->medication.coded->coding.at(0).code, "1594659");
  EXPECT_FALSE(loaded.administration->dose.has_value());
}

TEST(MedicationAdministration, PartialAdministrationLeavesTheRestEmpty) {
  Loaded loaded = Load("partial_resource_type_only.json");
  ASSERT_TRUE(loaded.administration.has_value());
  EXPECT_EQ(loaded.administration->id, "");
  EXPECT_EQ(loaded.administration->status, "");
  EXPECT_TRUE(loaded.administration->medication.empty());
  EXPECT_FALSE(loaded.administration->effective.has_value());
  EXPECT_FALSE(loaded.administration->route.has_value());
  EXPECT_FALSE(loaded.administration->dose.has_value());
}

TEST(MedicationAdministration, MembersOfTheWrongTypeReadAsAbsent) {
  Loaded loaded = Load("hostile_wrong_types.json");
  ASSERT_TRUE(loaded.administration.has_value());
  const MedicationAdministration& given = *loaded.administration;
  EXPECT_EQ(given.id, "");
  EXPECT_EQ(given.status, "");
  EXPECT_EQ(given.subject_reference, "");
  EXPECT_TRUE(given.medication.empty());
  EXPECT_FALSE(given.route.has_value());
  EXPECT_FALSE(given.dose.has_value());
  // effectiveDateTime is there but a number: a period whose bounds are unreadable.
  ASSERT_TRUE(given.effective.has_value());
  EXPECT_FALSE(given.effective->start.has_value());
  EXPECT_TRUE(given.effective->start_unreadable);
  EXPECT_TRUE(given.effective->end_unreadable);
}

TEST(MedicationAdministration, ArraysWhereObjectsBelongReadAsAbsent) {
  Loaded loaded = Load("hostile_arrays_for_objects.json");
  ASSERT_TRUE(loaded.administration.has_value());
  EXPECT_FALSE(loaded.administration->effective.has_value());
  EXPECT_FALSE(loaded.administration->dose.has_value());
  EXPECT_FALSE(loaded.administration->route.has_value());
  EXPECT_EQ(loaded.administration->subject_reference, "");
  EXPECT_TRUE(loaded.administration->medication.empty());
}

TEST(MedicationAdministration, NullsReadAsAbsentAndNullDatesAsUnreadable) {
  Loaded loaded = Load("hostile_nulls.json");
  ASSERT_TRUE(loaded.administration.has_value());
  EXPECT_EQ(loaded.administration->id, "");
  EXPECT_TRUE(loaded.administration->medication.empty());
  EXPECT_FALSE(loaded.administration->route.has_value());
  EXPECT_FALSE(loaded.administration->dose.has_value());
  ASSERT_TRUE(loaded.administration->effective.has_value());
  EXPECT_TRUE(loaded.administration->effective->start_unreadable);
}

TEST(MedicationAdministration, UnreadableDatesAreToldFromMissingOnes) {
  Loaded loaded = Load("hostile_unreadable_dates.json");
  ASSERT_TRUE(loaded.administration.has_value());
  ASSERT_TRUE(loaded.administration->effective.has_value());
  EXPECT_TRUE(loaded.administration->effective->start_unreadable);  // month 13
  EXPECT_TRUE(loaded.administration->effective->end_unreadable);    // an object
}

TEST(MedicationAdministration, OtherResourceTypesAreNotAdministrations) {
  EXPECT_FALSE(Load("hostile_resource_type_mismatch.json").administration.has_value());
  rapidjson::Document array = fixtures::ParseOrDie("[]");
  EXPECT_FALSE(ParseMedicationAdministration(array).has_value());
}

TEST(ParseEffective, DateTimeWinsOverPeriodAndAbsenceIsNullopt) {
  rapidjson::Document both = fixtures::ParseOrDie(
      R"({"effectiveDateTime": "2026-01-05", "effectivePeriod": {"start": "2026-02-01"}})");
  std::optional<Period> effective = ParseEffective(both);
  ASSERT_TRUE(effective.has_value());
  EXPECT_EQ(effective->start, ParseFhirDate("2026-01-05"));
  rapidjson::Document neither = fixtures::ParseOrDie(R"({"effectivePeriod": "2026"})");
  EXPECT_FALSE(ParseEffective(neither).has_value());
  rapidjson::Document not_object = fixtures::ParseOrDie(R"(["2026-01-05"])");
  EXPECT_FALSE(ParseEffective(not_object).has_value());
}

}  // namespace
}  // namespace steroid_advisor::fhir
