// ParseMedicationRequest on complete, partial and hostile orders (tests/data/fhir/
// medication_request/): members of the wrong type, arrays where objects belong, nulls, huge
// numbers and a resourceType that does not match. Hostile input never fails the parse of the
// rest; what is unreadable reads as absent.
#include "fhir/medication_request.h"

#include <string>
#include <vector>

#include "fhir/medication_index.h"
#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

// The document must outlive the request, whose `json` points into it.
struct Loaded {
  rapidjson::Document document;
  std::optional<MedicationRequest> request;
};

Loaded Load(const std::string& name) {
  Loaded loaded;
  loaded.document = fixtures::LoadFixture("medication_request/" + name);
  loaded.request = ParseMedicationRequest(loaded.document);
  return loaded;
}

std::string FirstCode(const std::optional<CodeableConcept>& codeable) {
  if (!codeable || codeable->coding.empty()) return "";
  return codeable->coding.front().code;
}

TEST(MedicationRequest, ReadsACompleteOrder) {
  Loaded loaded = Load("methylprednisolone_1000mg_iv_3_days.json");
  ASSERT_TRUE(loaded.request.has_value());
  const MedicationRequest& request = *loaded.request;
  EXPECT_EQ(request.id, "mp-1000-iv");
  EXPECT_EQ(request.status, "draft");
  EXPECT_EQ(request.intent, "order");
  EXPECT_EQ(request.subject_reference, "Patient/pat-1001");
  EXPECT_EQ(request.authored_on, ParseFhirDate("2026-11-24"));
  EXPECT_EQ(request.json, &loaded.document);

  ASSERT_TRUE(request.medication.coded.has_value());
  EXPECT_EQ(FirstCode(request.medication.coded), "6902");
  EXPECT_EQ(DisplayName(*request.medication.coded), "methylprednisolone 1000 mg IV");
  EXPECT_EQ(request.medication.reference, "");
  EXPECT_FALSE(request.medication.empty());

  ASSERT_EQ(request.dosage_instructions.size(), 1u);
  const Dosage& dosage = request.dosage_instructions[0];
  EXPECT_EQ(dosage.text, "1000 mg IV once daily for 3 days");
  EXPECT_EQ(dosage.as_needed, false);
  EXPECT_EQ(FirstCode(dosage.route), "47625008");
  EXPECT_EQ(FirstCode(dosage.method), "422145002");
  ASSERT_TRUE(dosage.dose_quantity.has_value());
  EXPECT_EQ(MassInMg(*dosage.dose_quantity), 1000.0);
  ASSERT_TRUE(dosage.timing.has_value());
  EXPECT_EQ(FirstCode(dosage.timing->code), "QD");
  ASSERT_TRUE(dosage.timing->repeat.has_value());
  const TimingRepeat& repeat = *dosage.timing->repeat;
  ASSERT_TRUE(repeat.bounds_period.has_value());
  EXPECT_EQ(repeat.bounds_period->start, ParseFhirDate("2026-11-25"));
  EXPECT_EQ(repeat.bounds_period->end, ParseFhirDate("2026-11-27"));
  EXPECT_EQ(repeat.frequency, 1.0);
  EXPECT_EQ(repeat.period, 1.0);
  EXPECT_EQ(repeat.period_unit, "d");

  ASSERT_TRUE(request.validity_period.has_value());
  EXPECT_EQ(request.validity_period->start, ParseFhirDate("2026-11-24"));
  EXPECT_EQ(request.validity_period->end, ParseFhirDate("2026-12-24"));
  ASSERT_TRUE(request.expected_supply_duration.has_value());
  EXPECT_EQ(DurationInDays(*request.expected_supply_duration), 3.0);
}

TEST(MedicationRequest, ReadsAContainedMedicationAndTheFirstDoseOfEachInstruction) {
  Loaded loaded = Load("prednisone_contained_medication.json");
  ASSERT_TRUE(loaded.request.has_value());
  const MedicationRequest& request = *loaded.request;
  EXPECT_FALSE(request.medication.coded.has_value());
  EXPECT_EQ(request.medication.reference, "#pred");
  EXPECT_EQ(request.medication.reference_display, "prednisone 20 mg tablet");
  ASSERT_EQ(request.medication.contained.size(), 2u);  // the Organization and the string are not
  const Medication* medication = ResolveMedication(request.medication, MedicationIndex());
  ASSERT_NE(medication, nullptr);
  EXPECT_EQ(FirstCode(medication->code), "8640");
  EXPECT_EQ(FirstCode(medication->form), "385055001");

  ASSERT_EQ(request.dosage_instructions.size(), 2u);
  EXPECT_EQ(request.dosage_instructions[0].text, "unparsed first");
  EXPECT_FALSE(request.dosage_instructions[0].timing.has_value());
  const Dosage& dosage = request.dosage_instructions[1];
  // The first doseAndRate entry carries only a rate; the second has the dose.
  ASSERT_TRUE(dosage.dose_quantity.has_value());
  EXPECT_EQ(MassInMg(*dosage.dose_quantity), 40.0);
  ASSERT_TRUE(dosage.timing.has_value());
  EXPECT_EQ(dosage.timing->events,
            (std::vector<Day>{*ParseFhirDate("2026-10-02"), *ParseFhirDate("2026-10-03")}));
}

TEST(MedicationRequest, PartialOrderLeavesTheRestEmpty) {
  Loaded loaded = Load("partial_resource_type_only.json");
  ASSERT_TRUE(loaded.request.has_value());
  const MedicationRequest& request = *loaded.request;
  EXPECT_EQ(request.id, "");
  EXPECT_EQ(request.status, "");
  EXPECT_EQ(request.intent, "");
  EXPECT_EQ(request.subject_reference, "");
  EXPECT_FALSE(request.authored_on.has_value());
  EXPECT_TRUE(request.medication.empty());
  EXPECT_TRUE(request.dosage_instructions.empty());
  EXPECT_FALSE(request.validity_period.has_value());
  EXPECT_FALSE(request.expected_supply_duration.has_value());
}

TEST(MedicationRequest, ReadsADoseRangeAndAPartialValidityStart) {
  Loaded loaded = Load("partial_dose_range_no_timing.json");
  ASSERT_TRUE(loaded.request.has_value());
  ASSERT_EQ(loaded.request->dosage_instructions.size(), 1u);
  const Dosage& dosage = loaded.request->dosage_instructions[0];
  EXPECT_FALSE(dosage.dose_quantity.has_value());
  ASSERT_TRUE(dosage.dose_range_low.has_value());
  ASSERT_TRUE(dosage.dose_range_high.has_value());
  EXPECT_EQ(MassInMg(*dosage.dose_range_low), 4.0);
  EXPECT_EQ(MassInMg(*dosage.dose_range_high), 8.0);
  EXPECT_FALSE(dosage.timing.has_value());
  EXPECT_EQ(DisplayName(*loaded.request->medication.coded), "dexamethasone");
  ASSERT_TRUE(loaded.request->validity_period.has_value());
  EXPECT_EQ(loaded.request->validity_period->start, ParseFhirDate("2026-11-01"));
  EXPECT_FALSE(loaded.request->validity_period->end.has_value());
  EXPECT_FALSE(loaded.request->validity_period->end_unreadable);
}

TEST(MedicationRequest, TopLevelMembersOfTheWrongTypeReadAsAbsent) {
  Loaded loaded = Load("hostile_wrong_types.json");
  ASSERT_TRUE(loaded.request.has_value());
  const MedicationRequest& request = *loaded.request;
  EXPECT_EQ(request.id, "");
  EXPECT_EQ(request.status, "");
  EXPECT_EQ(request.intent, "");
  EXPECT_EQ(request.subject_reference, "");
  EXPECT_FALSE(request.authored_on.has_value());
  EXPECT_TRUE(request.medication.empty());
  EXPECT_TRUE(request.medication.contained.empty());
  EXPECT_TRUE(request.dosage_instructions.empty());
  EXPECT_FALSE(request.validity_period.has_value());
}

TEST(MedicationRequest, NestedMembersOfTheWrongTypeReadAsAbsent) {
  Loaded loaded = Load("hostile_wrong_types_nested.json");
  ASSERT_TRUE(loaded.request.has_value());
  const MedicationRequest& request = *loaded.request;
  EXPECT_EQ(request.subject_reference, "");
  EXPECT_FALSE(request.authored_on.has_value());
  ASSERT_TRUE(request.medication.coded.has_value());  // an object, with nothing readable in it
  EXPECT_TRUE(request.medication.coded->coding.empty());
  EXPECT_EQ(DisplayName(*request.medication.coded), "");
  EXPECT_EQ(request.medication.reference, "");
  EXPECT_EQ(request.medication.reference_display, "");

  ASSERT_EQ(request.dosage_instructions.size(), 1u);  // "text", 3, null and [] are not Dosages
  const Dosage& dosage = request.dosage_instructions[0];
  EXPECT_EQ(dosage.text, "");
  EXPECT_FALSE(dosage.as_needed.has_value());
  EXPECT_FALSE(dosage.route.has_value());
  EXPECT_FALSE(dosage.method.has_value());
  ASSERT_TRUE(dosage.timing.has_value());
  EXPECT_TRUE(dosage.timing->events.empty());
  EXPECT_FALSE(dosage.timing->code.has_value());
  ASSERT_TRUE(dosage.timing->repeat.has_value());
  const TimingRepeat& repeat = *dosage.timing->repeat;
  ASSERT_TRUE(repeat.bounds_period.has_value());
  EXPECT_FALSE(repeat.bounds_period->start.has_value());
  EXPECT_TRUE(repeat.bounds_period->start_unreadable);  // a number
  EXPECT_FALSE(repeat.bounds_period->end.has_value());
  EXPECT_TRUE(repeat.bounds_period->end_unreadable);  // 2026-02-30
  EXPECT_FALSE(repeat.bounds_duration.has_value());
  EXPECT_FALSE(repeat.count.has_value());
  EXPECT_FALSE(repeat.frequency.has_value());
  EXPECT_FALSE(repeat.period.has_value());
  EXPECT_EQ(repeat.period_unit, "");
  EXPECT_EQ(repeat.time_of_day_count, 0);
  EXPECT_EQ(repeat.when_count, 1);  // only "MORN" is a string
  // "1000 mg" is not a Quantity; the next entry is, but its value is a string.
  ASSERT_TRUE(dosage.dose_quantity.has_value());
  EXPECT_FALSE(dosage.dose_quantity->value.has_value());
  EXPECT_FALSE(MassInMg(*dosage.dose_quantity).has_value());
  EXPECT_FALSE(request.validity_period.has_value());
  EXPECT_FALSE(request.expected_supply_duration.has_value());
}

TEST(MedicationRequest, ArraysWhereObjectsBelongReadAsAbsent) {
  Loaded loaded = Load("hostile_arrays_for_objects.json");
  ASSERT_TRUE(loaded.request.has_value());
  const MedicationRequest& request = *loaded.request;
  EXPECT_EQ(request.subject_reference, "");
  EXPECT_TRUE(request.medication.empty());
  ASSERT_EQ(request.dosage_instructions.size(), 1u);
  const Dosage& dosage = request.dosage_instructions[0];
  EXPECT_FALSE(dosage.timing.has_value());
  EXPECT_FALSE(dosage.route.has_value());
  EXPECT_FALSE(dosage.dose_quantity.has_value());
  EXPECT_FALSE(dosage.dose_range_low.has_value());
  EXPECT_FALSE(request.validity_period.has_value());
}

TEST(MedicationRequest, NullsReadAsAbsentAndNullDatesAsUnreadable) {
  Loaded loaded = Load("hostile_nulls.json");
  ASSERT_TRUE(loaded.request.has_value());
  const MedicationRequest& request = *loaded.request;
  EXPECT_EQ(request.id, "");
  EXPECT_EQ(request.status, "");
  EXPECT_TRUE(request.medication.empty());
  ASSERT_EQ(request.dosage_instructions.size(), 1u);
  EXPECT_FALSE(request.dosage_instructions[0].timing.has_value());
  EXPECT_FALSE(request.dosage_instructions[0].as_needed.has_value());
  EXPECT_FALSE(request.expected_supply_duration.has_value());
  // A null bound is written but not a date: unreadable, as the Period contract says, so a rule
  // does not mistake it for an open-ended course.
  ASSERT_TRUE(request.validity_period.has_value());
  EXPECT_TRUE(request.validity_period->start_unreadable);
  EXPECT_TRUE(request.validity_period->end_unreadable);
}

TEST(MedicationRequest, HugeNumbersAreKeptButNeverBecomeADoseOrDuration) {
  Loaded loaded = Load("hostile_huge_numbers.json");
  ASSERT_TRUE(loaded.request.has_value());
  ASSERT_EQ(loaded.request->dosage_instructions.size(), 1u);
  const Dosage& dosage = loaded.request->dosage_instructions[0];
  const TimingRepeat& repeat = *dosage.timing->repeat;
  EXPECT_EQ(repeat.count, 1e308);
  EXPECT_EQ(repeat.count_max, -1e308);
  EXPECT_EQ(repeat.frequency, 18446744073709551616.0);
  EXPECT_EQ(repeat.frequency_max, -9223372036854775809.0);
  EXPECT_EQ(repeat.period_max, 0.0);
  ASSERT_TRUE(dosage.dose_quantity.has_value());
  EXPECT_FALSE(MassInMg(*dosage.dose_quantity).has_value());  // 1e308 kg overflows in mg
  ASSERT_TRUE(loaded.request->expected_supply_duration.has_value());
  EXPECT_FALSE(DurationInDays(*loaded.request->expected_supply_duration).has_value());
}

TEST(MedicationRequest, OtherResourceTypesAreNotMedicationRequests) {
  for (const char* name :
       {"hostile_resource_type_mismatch.json", "hostile_resource_type_not_a_string.json",
        "hostile_resource_type_wrong_case.json"}) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(Load(name).request.has_value());
  }
}

TEST(MedicationRequest, NonObjectsAreNotMedicationRequests) {
  for (const char* text : {"null", "[]", "\"MedicationRequest\"", "42",
                           R"([{"resourceType": "MedicationRequest"}])", "{}"}) {
    SCOPED_TRACE(text);
    rapidjson::Document document = fixtures::ParseOrDie(text);
    EXPECT_FALSE(ParseMedicationRequest(document).has_value());
  }
}

}  // namespace
}  // namespace steroid_advisor::fhir
