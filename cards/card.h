// A Card is what one rule says about one request: the advice a clinician reads, and the
// suggestions they can accept. cards/ builds Cards; plugin/ writes them as CDS Hooks 2.0 JSON
// (uuids are assigned there, at serialization).
// Owns: its values, except Action::update_source, which borrows the ordered MedicationRequest's
// JSON from the request document. Thread-safety: value types.
#ifndef STEROID_ADVISOR_CARDS_CARD_H_
#define STEROID_ADVISOR_CARDS_CARD_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/codeable_concept.h"
#include "fhir/date.h"
#include "fhir/json_access.h"

namespace steroid_advisor::cards {

// The project's canonical CodeSystem for card topics; `code` is the RULES.md rule id.
inline constexpr char kTopicSystem[] = "https://steroid-advisor.org/fhir/CodeSystem/card-topic";
// The CodeSystem of our override reasons.
inline constexpr char kOverrideReasonSystem[] =
    "https://steroid-advisor.org/fhir/CodeSystem/override-reason";

// Ordered by severity: sorting cards puts critical first.
enum class Indicator { kCritical = 0, kWarning = 1, kInfo = 2 };

std::string_view IndicatorName(Indicator indicator);  // "critical", "warning", "info"
std::optional<Indicator> ParseIndicator(std::string_view name);

struct Link {
  std::string label;
  std::string url;  // absolute
};

// A new MedicationRequest the clinician can add with one click. plugin/ writes it as a complete
// FHIR R4 MedicationRequest (status draft, intent order).
struct ProposedMedicationRequest {
  fhir::Coding medication;  // RxNorm ingredient coding
  std::string medication_text;
  fhir::Coding route;  // SNOMED CT route
  std::string dosage_text;
  double dose_value = 0;
  std::string dose_unit = "mg";  // UCUM code
  int frequency = 1;
  double period = 1;
  std::string period_unit = "d";  // UCUM
  std::optional<fhir::Day> start;
  std::optional<fhir::Day> end;            // boundsPeriod.end (inclusive day)
  std::optional<double> duration_value;   // boundsDuration, when no end date is known
  std::string duration_unit;              // UCUM (d, wk, mo)
  std::string subject_reference;          // "Patient/123"
  std::string note;
};

struct Action {
  enum class Type { kCreate, kUpdate };
  Type type = Type::kCreate;
  std::string description;
  // kCreate: the resource to create.
  std::optional<ProposedMedicationRequest> create;
  // kUpdate: the ordered MedicationRequest (copied whole) with its first dosageInstruction's
  // timing.repeat.boundsPeriod replaced by [new_start, new_end] (boundsDuration/count removed).
  const fhir::JsonValue* update_source = nullptr;
  std::optional<fhir::Day> new_start;
  std::optional<fhir::Day> new_end;
};

struct Suggestion {
  std::string label;
  bool is_recommended = false;
  std::vector<Action> actions;
};

struct OverrideReason {
  std::string code;
  std::string display;  // system is kOverrideReasonSystem
};

struct Card {
  std::string rule_id;        // RULES.md id, e.g. "steroid-premedication": source.topic.code
  std::string topic_display;  // source.topic.display
  std::string variant;        // which case of the rule: "missing", "low-dose", "critical", ...
  Indicator indicator = Indicator::kInfo;
  std::string summary;  // < 140 characters, rendered from the config template
  std::string detail;   // markdown
  std::string source_label;
  std::string source_url;
  std::vector<Suggestion> suggestions;  // selectionBehavior "at-most-one" when not empty
  std::vector<OverrideReason> override_reasons;
  std::vector<Link> links;
  // "MedicationRequest/<id>" of each order under review the card concerns.
  std::vector<std::string> order_references;
};

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_CARD_H_
