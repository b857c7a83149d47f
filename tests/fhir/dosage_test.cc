// Dosage, Timing and Period: every field of timing.repeat, doseQuantity and doseRange, the
// timeOfDay and when counts, and members of the wrong type.
#include "fhir/dosage.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

using fixtures::ParseOrDie;

std::optional<Dosage> Parse(std::string_view text) { return ParseDosage(ParseOrDie(text)); }

TEST(Dosage, ReadsEveryFieldOfTimingRepeat) {
  std::optional<Dosage> dosage = Parse(R"({"timing": {"repeat": {
      "boundsPeriod": {"start": "2026-11-25", "end": "2026-11-27T23:59:59Z"},
      "boundsDuration": {"value": 3, "unit": "days", "system": "http://unitsofmeasure.org",
                         "code": "d"},
      "count": 3, "countMax": 4, "frequency": 2, "frequencyMax": 3, "period": 1.5,
      "periodMax": 2, "periodUnit": "wk", "timeOfDay": ["08:00:00", "20:00:00"],
      "when": ["MORN", "EVE", "HS"], "dayOfWeek": ["mon"], "duration": 30, "durationUnit": "min"
  }}})");
  ASSERT_TRUE(dosage.has_value());
  ASSERT_TRUE(dosage->timing.has_value());
  ASSERT_TRUE(dosage->timing->repeat.has_value());
  const TimingRepeat& repeat = *dosage->timing->repeat;
  ASSERT_TRUE(repeat.bounds_period.has_value());
  EXPECT_EQ(repeat.bounds_period->start, ParseFhirDate("2026-11-25"));
  EXPECT_EQ(repeat.bounds_period->end, ParseFhirDate("2026-11-27"));
  ASSERT_TRUE(repeat.bounds_duration.has_value());
  EXPECT_EQ(DurationInDays(*repeat.bounds_duration), 3.0);
  EXPECT_EQ(repeat.count, 3.0);
  EXPECT_EQ(repeat.count_max, 4.0);
  EXPECT_EQ(repeat.frequency, 2.0);
  EXPECT_EQ(repeat.frequency_max, 3.0);
  EXPECT_EQ(repeat.period, 1.5);
  EXPECT_EQ(repeat.period_max, 2.0);
  EXPECT_EQ(repeat.period_unit, "wk");
  EXPECT_EQ(repeat.time_of_day_count, 2);
  EXPECT_EQ(repeat.when_count, 3);
}

TEST(Dosage, AbsentRepeatFieldsStayEmpty) {
  std::optional<Dosage> dosage = Parse(R"({"timing": {"repeat": {}}})");
  ASSERT_TRUE(dosage.has_value());
  const TimingRepeat& repeat = *dosage->timing->repeat;
  EXPECT_FALSE(repeat.bounds_period.has_value());
  EXPECT_FALSE(repeat.bounds_duration.has_value());
  EXPECT_FALSE(repeat.count.has_value());
  EXPECT_FALSE(repeat.count_max.has_value());
  EXPECT_FALSE(repeat.frequency.has_value());
  EXPECT_FALSE(repeat.frequency_max.has_value());
  EXPECT_FALSE(repeat.period.has_value());
  EXPECT_FALSE(repeat.period_max.has_value());
  EXPECT_EQ(repeat.period_unit, "");
  EXPECT_EQ(repeat.time_of_day_count, 0);
  EXPECT_EQ(repeat.when_count, 0);
}

struct WrongTypeCase {
  std::string member;
  std::string value;
};

TEST(Dosage, RepeatFieldsOfTheWrongTypeReadAsAbsent) {
  const std::vector<std::string> wrong_values = {"\"3\"", "null", "true", "[3]", "{}"};
  const std::vector<std::string> numeric = {"count",        "countMax", "frequency",
                                            "frequencyMax", "period",   "periodMax"};
  for (const std::string& member : numeric) {
    for (const std::string& value : wrong_values) {
      SCOPED_TRACE(member + ": " + value);
      std::optional<Dosage> dosage =
          Parse(R"({"timing": {"repeat": {")" + member + "\": " + value + "}}}");
      ASSERT_TRUE(dosage.has_value());
      const TimingRepeat& repeat = *dosage->timing->repeat;
      for (const std::optional<double>& field :
           {repeat.count, repeat.count_max, repeat.frequency, repeat.frequency_max, repeat.period,
            repeat.period_max}) {
        EXPECT_FALSE(field.has_value());
      }
    }
  }
  std::optional<Dosage> dosage = Parse(R"({"timing": {"repeat": {
      "periodUnit": 1, "timeOfDay": "08:00", "when": {"MORN": true},
      "boundsPeriod": "2026-11-25", "boundsDuration": 3}}})");
  ASSERT_TRUE(dosage.has_value());
  const TimingRepeat& repeat = *dosage->timing->repeat;
  EXPECT_EQ(repeat.period_unit, "");
  EXPECT_EQ(repeat.time_of_day_count, 0);
  EXPECT_EQ(repeat.when_count, 0);
  EXPECT_FALSE(repeat.bounds_period.has_value());
  EXPECT_FALSE(repeat.bounds_duration.has_value());
}

TEST(Dosage, TimeOfDayAndWhenCountOnlyStrings) {
  std::optional<Dosage> dosage = Parse(R"({"timing": {"repeat": {
      "timeOfDay": ["08:00:00", 8, null, "20:00:00", []], "when": [true, "MORN"]}}})");
  ASSERT_TRUE(dosage.has_value());
  EXPECT_EQ(dosage->timing->repeat->time_of_day_count, 2);
  EXPECT_EQ(dosage->timing->repeat->when_count, 1);
}

TEST(Dosage, ReadsTimingEventsAndCode) {
  std::optional<Dosage> dosage = Parse(R"({"timing": {
      "event": ["2026-11-25T08:00:00Z", "2026-11-26", "garbage", 20261127, null],
      "code": {"coding": [{"code": "BID"}]}}})");
  ASSERT_TRUE(dosage.has_value());
  EXPECT_EQ(dosage->timing->events,
            (std::vector<Day>{*ParseFhirDate("2026-11-25"), *ParseFhirDate("2026-11-26")}));
  EXPECT_EQ(dosage->timing->code->coding.at(0).code, "BID");
  EXPECT_FALSE(dosage->timing->repeat.has_value());
}

TEST(Dosage, ReadsTextAsNeededRouteAndMethod) {
  std::optional<Dosage> dosage = Parse(R"({"text": "1 g IV", "asNeededBoolean": true,
      "route": {"coding": [{"code": "47625008"}]}, "method": {"text": "slow infusion"}})");
  ASSERT_TRUE(dosage.has_value());
  EXPECT_EQ(dosage->text, "1 g IV");
  EXPECT_EQ(dosage->as_needed, true);
  EXPECT_EQ(dosage->route->coding.at(0).code, "47625008");
  EXPECT_EQ(dosage->method->text, "slow infusion");
  EXPECT_FALSE(dosage->timing.has_value());
}

TEST(Dosage, AsNeededCodeableConceptIsNotAsNeededBoolean) {
  std::optional<Dosage> dosage = Parse(R"({"asNeededCodeableConcept": {"text": "pain"},
                                           "asNeededBoolean": "true"})");
  ASSERT_TRUE(dosage.has_value());
  EXPECT_FALSE(dosage->as_needed.has_value());
}

TEST(Dosage, ReadsDoseQuantity) {
  std::optional<Dosage> dosage = Parse(R"({"doseAndRate": [{"doseQuantity":
      {"value": 500, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}]})");
  ASSERT_TRUE(dosage.has_value());
  ASSERT_TRUE(dosage->dose_quantity.has_value());
  EXPECT_EQ(MassInMg(*dosage->dose_quantity), 500.0);
  EXPECT_FALSE(dosage->dose_range_low.has_value());
  EXPECT_FALSE(dosage->dose_range_high.has_value());
}

TEST(Dosage, ReadsDoseRangeWithOneOrBothEnds) {
  std::optional<Dosage> both = Parse(R"({"doseAndRate": [{"doseRange":
      {"low": {"value": 20, "code": "mg"}, "high": {"value": 40, "code": "mg"}}}]})");
  ASSERT_TRUE(both.has_value());
  EXPECT_FALSE(both->dose_quantity.has_value());
  EXPECT_EQ(MassInMg(*both->dose_range_low), 20.0);
  EXPECT_EQ(MassInMg(*both->dose_range_high), 40.0);
  std::optional<Dosage> high_only =
      Parse(R"({"doseAndRate": [{"doseRange": {"high": {"value": 40, "code": "mg"}}}]})");
  ASSERT_TRUE(high_only.has_value());
  EXPECT_FALSE(high_only->dose_range_low.has_value());
  EXPECT_EQ(MassInMg(*high_only->dose_range_high), 40.0);
}

TEST(Dosage, TakesTheFirstDoseAndRateEntryThatHasADose) {
  std::optional<Dosage> dosage = Parse(R"({"doseAndRate": [
      "x", {"rateQuantity": {"value": 1, "code": "mg/h"}},
      {"doseRange": {"low": "20 mg", "high": null}},
      {"doseQuantity": {"value": 40, "code": "mg"}},
      {"doseQuantity": {"value": 80, "code": "mg"}}]})");
  ASSERT_TRUE(dosage.has_value());
  ASSERT_TRUE(dosage->dose_quantity.has_value());
  EXPECT_EQ(MassInMg(*dosage->dose_quantity), 40.0);
  EXPECT_FALSE(dosage->dose_range_low.has_value());
}

TEST(Dosage, DoseQuantityWinsOverDoseRangeInOneEntry) {
  std::optional<Dosage> dosage = Parse(R"({"doseAndRate": [{
      "doseRange": {"low": {"value": 1, "code": "mg"}},
      "doseQuantity": {"value": 2, "code": "mg"}}]})");
  ASSERT_TRUE(dosage.has_value());
  EXPECT_EQ(MassInMg(*dosage->dose_quantity), 2.0);
  EXPECT_FALSE(dosage->dose_range_low.has_value());
}

TEST(Dosage, MembersOfTheWrongTypeReadAsAbsent) {
  std::optional<Dosage> dosage = Parse(R"({"text": 1, "timing": "daily", "asNeededBoolean": 1,
      "route": "IV", "method": ["x"], "doseAndRate": {"doseQuantity": {"value": 1}}})");
  ASSERT_TRUE(dosage.has_value());
  EXPECT_EQ(dosage->text, "");
  EXPECT_FALSE(dosage->timing.has_value());
  EXPECT_FALSE(dosage->as_needed.has_value());
  EXPECT_FALSE(dosage->route.has_value());
  EXPECT_FALSE(dosage->method.has_value());
  EXPECT_FALSE(dosage->dose_quantity.has_value());
  std::optional<Dosage> repeat_not_object = Parse(R"({"timing": {"repeat": [], "code": "BID",
                                                      "event": "2026-11-25"}})");
  ASSERT_TRUE(repeat_not_object.has_value());
  ASSERT_TRUE(repeat_not_object->timing.has_value());
  EXPECT_FALSE(repeat_not_object->timing->repeat.has_value());
  EXPECT_FALSE(repeat_not_object->timing->code.has_value());
  EXPECT_TRUE(repeat_not_object->timing->events.empty());
}

TEST(Dosage, NonObjectsAreNotDosages) {
  for (const char* text : {"null", "\"1 g IV\"", "[]", "1"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(Parse(text).has_value());
  }
}

struct PeriodCase {
  std::string json;
  std::optional<Day> start;
  std::optional<Day> end;
  bool start_unreadable;
  bool end_unreadable;
};

TEST(Period, TellsUnreadableBoundsFromMissingOnes) {
  const Day day = *ParseFhirDate("2026-11-25");
  const std::vector<PeriodCase> cases = {
      {R"({"start": "2026-11-25", "end": "2026-11-25"})", day, day, false, false},
      {R"({"start": "2026-11-25"})", day, std::nullopt, false, false},
      {R"({"end": "2026-11-25T10:00:00Z"})", std::nullopt, day, false, false},
      {R"({})", std::nullopt, std::nullopt, false, false},
      {R"({"start": "2026-11-31", "end": "soon"})", std::nullopt, std::nullopt, true, true},
      {R"({"start": 20261125, "end": ["2026-11-25"]})", std::nullopt, std::nullopt, true, true},
      {R"({"start": null, "end": {}})", std::nullopt, std::nullopt, true, true},
      {R"({"start": "", "end": "2026-11-25"})", std::nullopt, day, true, false},
  };
  for (const PeriodCase& c : cases) {
    SCOPED_TRACE(c.json);
    std::optional<Period> period = ParsePeriod(ParseOrDie(c.json));
    ASSERT_TRUE(period.has_value());
    EXPECT_EQ(period->start, c.start);
    EXPECT_EQ(period->end, c.end);
    EXPECT_EQ(period->start_unreadable, c.start_unreadable);
    EXPECT_EQ(period->end_unreadable, c.end_unreadable);
  }
  EXPECT_FALSE(ParsePeriod(ParseOrDie(R"(["2026-11-25"])")).has_value());
}

}  // namespace
}  // namespace steroid_advisor::fhir
