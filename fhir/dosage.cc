#include "fhir/dosage.h"

namespace steroid_advisor::fhir {
namespace {

int CountStrings(const JsonValue& object, std::string_view key) {
  int count = 0;
  for (const JsonValue& element : Elements(object, key)) {
    if (AsString(element).has_value()) ++count;
  }
  return count;
}

std::optional<Quantity> ParseQuantityMember(const JsonValue& object, std::string_view key) {
  const JsonValue* member = FindObject(object, key);
  if (member == nullptr) return std::nullopt;
  return ParseQuantity(*member);
}

std::optional<TimingRepeat> ParseTimingRepeat(const JsonValue& json) {
  if (!json.IsObject()) return std::nullopt;
  TimingRepeat repeat;
  if (const JsonValue* bounds = FindObject(json, "boundsPeriod")) {
    repeat.bounds_period = ParsePeriod(*bounds);
  }
  repeat.bounds_duration = ParseQuantityMember(json, "boundsDuration");
  repeat.count = FindNumber(json, "count");
  repeat.count_max = FindNumber(json, "countMax");
  repeat.frequency = FindNumber(json, "frequency");
  repeat.frequency_max = FindNumber(json, "frequencyMax");
  repeat.period = FindNumber(json, "period");
  repeat.period_max = FindNumber(json, "periodMax");
  repeat.period_unit = std::string(FindString(json, "periodUnit").value_or(""));
  repeat.time_of_day_count = CountStrings(json, "timeOfDay");
  repeat.when_count = CountStrings(json, "when");
  return repeat;
}

std::optional<Timing> ParseTiming(const JsonValue& json) {
  if (!json.IsObject()) return std::nullopt;
  Timing timing;
  for (const JsonValue& event : Elements(json, "event")) {
    if (std::optional<std::string_view> text = AsString(event)) {
      if (std::optional<Day> day = ParseFhirDate(*text)) timing.events.push_back(*day);
    }
  }
  if (const JsonValue* repeat = FindObject(json, "repeat")) {
    timing.repeat = ParseTimingRepeat(*repeat);
  }
  if (const JsonValue* code = FindObject(json, "code")) timing.code = ParseCodeableConcept(*code);
  return timing;
}

std::optional<CodeableConcept> ParseConceptMember(const JsonValue& object, std::string_view key) {
  const JsonValue* member = FindObject(object, key);
  if (member == nullptr) return std::nullopt;
  return ParseCodeableConcept(*member);
}

}  // namespace

std::optional<Period> ParsePeriod(const JsonValue& json) {
  if (!json.IsObject()) return std::nullopt;
  Period period;
  if (const JsonValue* start = FindMember(json, "start")) {
    std::optional<std::string_view> text = AsString(*start);
    period.start = text ? ParseFhirDate(*text) : std::nullopt;
    period.start_unreadable = !period.start.has_value();
  }
  if (const JsonValue* end = FindMember(json, "end")) {
    std::optional<std::string_view> text = AsString(*end);
    period.end = text ? ParseFhirDate(*text) : std::nullopt;
    period.end_unreadable = !period.end.has_value();
  }
  return period;
}

std::optional<Dosage> ParseDosage(const JsonValue& json) {
  if (!json.IsObject()) return std::nullopt;
  Dosage dosage;
  dosage.text = std::string(FindString(json, "text").value_or(""));
  if (const JsonValue* timing = FindObject(json, "timing")) dosage.timing = ParseTiming(*timing);
  dosage.as_needed = FindBool(json, "asNeededBoolean");
  dosage.route = ParseConceptMember(json, "route");
  dosage.method = ParseConceptMember(json, "method");
  for (const JsonValue& dose_and_rate : Elements(json, "doseAndRate")) {
    if (!dose_and_rate.IsObject()) continue;
    if (const JsonValue* quantity = FindObject(dose_and_rate, "doseQuantity")) {
      dosage.dose_quantity = ParseQuantity(*quantity);
      break;
    }
    if (const JsonValue* range = FindObject(dose_and_rate, "doseRange")) {
      dosage.dose_range_low = ParseQuantityMember(*range, "low");
      dosage.dose_range_high = ParseQuantityMember(*range, "high");
      // A range with neither bound readable is no dose; a later entry may still have one.
      if (dosage.dose_range_low || dosage.dose_range_high) break;
    }
  }
  return dosage;
}

}  // namespace steroid_advisor::fhir
