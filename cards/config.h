// CardsConfig: what an administrator may change about the cards without a restart: per rule
// on/off, indicator, summary/detail templates, links, override reasons and suggestion labels,
// and the clinical thresholds. Parsed from the "thresholds" and "rules" members of the service
// config (deploy/config/default.json is the built-in default) and validated whole.
// Owns: its values. Thread-safety: immutable once built; share as shared_ptr<const>.
#ifndef STEROID_ADVISOR_CARDS_CONFIG_H_
#define STEROID_ADVISOR_CARDS_CONFIG_H_

#include <map>
#include <string>
#include <vector>

#include "cards/card.h"
#include "fhir/json_access.h"
#include "fhir/status.h"

namespace steroid_advisor::cards {

// Defaults are RULES.md's. JSON names in comments.
struct Thresholds {
  int exposure_window_months = 12;                     // exposureWindowMonths
  int prolonged_days = 21;                             // prolongedDays (card when > this)
  double high_dose_prednisone_mg = 20;                 // highDosePrednisoneMg (critical when >=)
  int high_dose_days = 28;                             // highDoseDays (critical when >=)
  double premedication_methylprednisolone_mg = 1000;   // premedicationMethylprednisoloneMg
  int premedication_days = 3;                          // premedicationDays
  int short_course_days = 5;                           // shortCourseDays (short when <=)
};

// One case ("variant") of a rule's card: its indicator and templates. Templates use
// {{placeholder}}; each rule documents the placeholders it fills.
struct CardText {
  Indicator indicator = Indicator::kWarning;
  std::string summary;
  std::string detail;
};

struct RuleConfig {
  bool enabled = true;
  std::string title;  // source.topic.display
  std::map<std::string, CardText> variants;
  std::string source_label;
  std::string source_url;
  std::vector<Link> links;
  std::vector<OverrideReason> override_reasons;
  // Labels of suggestions by suggestion id (e.g. "add-premedication").
  std::map<std::string, std::string> suggestion_labels;
};

struct CardsConfig {
  Thresholds thresholds;
  std::map<std::string, RuleConfig> rules;  // by RULES.md id
};

// Reads `root.thresholds` and `root.rules` (other members of `root` are the caller's business).
// Every problem is collected with its JSON path and returned in one InvalidArgument, one per
// line: unknown keys, wrong types, missing rules or variants, unknown placeholders, summaries
// that could exceed 140 characters with worst-case values, out-of-range thresholds.
StatusOr<CardsConfig> ParseCardsConfig(const fhir::JsonValue& root);

// The embedded deploy/config/default.json, parsed once.
const CardsConfig& DefaultCardsConfig();

// The embedded default config text (the whole file, services and fhir sections included).
std::string_view DefaultConfigJson();

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_CONFIG_H_
