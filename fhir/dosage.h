// FHIR R4 Dosage and Timing, as MedicationRequest.dosageInstruction, MedicationStatement.dosage
// and (the subset that applies) MedicationAdministration.dosage carry them.
// Every field is optional: what is absent or of the wrong type stays empty ("unknown"), and the
// clinical code decides what unknown means.
// Owns: its values. Thread-safety: value types; functions are stateless.
#ifndef STEROID_ADVISOR_FHIR_DOSAGE_H_
#define STEROID_ADVISOR_FHIR_DOSAGE_H_

#include <optional>
#include <string>
#include <vector>

#include "fhir/codeable_concept.h"
#include "fhir/date.h"
#include "fhir/json_access.h"
#include "fhir/quantity.h"

namespace steroid_advisor::fhir {

// A Period at day resolution. A bound that is absent or does not parse stays empty; `start_text`
// and `end_text` keep what was written so an unparseable date can be told from a missing one.
struct Period {
  std::optional<Day> start;
  std::optional<Day> end;
  bool start_unreadable = false;  // present but not a FHIR date
  bool end_unreadable = false;
};

std::optional<Period> ParsePeriod(const JsonValue& json);

struct TimingRepeat {
  std::optional<Period> bounds_period;
  std::optional<Quantity> bounds_duration;
  std::optional<double> count;
  std::optional<double> count_max;
  std::optional<double> frequency;
  std::optional<double> frequency_max;
  std::optional<double> period;
  std::optional<double> period_max;
  std::string period_unit;
  int time_of_day_count = 0;  // entries of timeOfDay ("08:00", "20:00": twice a day)
  int when_count = 0;         // entries of `when` (MORN, EVE: twice a day)
};

struct Timing {
  std::vector<Day> events;  // readable `event` dates
  std::optional<TimingRepeat> repeat;
  std::optional<CodeableConcept> code;  // BID, QD, ...
};

struct Dosage {
  std::string text;
  std::optional<Timing> timing;
  std::optional<bool> as_needed;  // asNeededBoolean
  std::optional<CodeableConcept> route;
  std::optional<CodeableConcept> method;
  // First doseAndRate entry that has a dose: doseQuantity, or doseRange low/high.
  std::optional<Quantity> dose_quantity;
  std::optional<Quantity> dose_range_low;
  std::optional<Quantity> dose_range_high;
};

// nullopt when `json` is not an object.
std::optional<Dosage> ParseDosage(const JsonValue& json);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_DOSAGE_H_
