// OrderFacts: what the rules read about one medication order, computed once per evaluation and
// shared by every rule (matching text five times would cost more than the rules themselves):
// its value sets and ingredient, whether it is a systemic corticosteroid, its dose and
// prednisone-equivalent daily dose, its planned days and start.
// An active MedicationStatement is read the same way, as a course the patient reports.
// Owns: its values; `request`/`statement` borrow from the RuleInput.
// Thread-safety: value type; functions are stateless.
#ifndef STEROID_ADVISOR_CARDS_ORDER_FACTS_H_
#define STEROID_ADVISOR_CARDS_ORDER_FACTS_H_

#include <optional>
#include <string>

#include "cards/medication_match.h"
#include "cards/value_sets.h"
#include "fhir/date.h"
#include "fhir/medication_index.h"
#include "fhir/medication_request.h"
#include "fhir/medication_statement.h"

namespace steroid_advisor::cards {

struct OrderFacts {
  const fhir::MedicationRequest* request = nullptr;      // set for a MedicationRequest
  const fhir::MedicationStatement* statement = nullptr;  // set for a MedicationStatement
  std::string reference;  // "MedicationRequest/<id>" ("" without an id)
  MedicationFacts medication;
  // Matches systemic-corticosteroids and acts systemically (route.h).
  bool systemic_corticosteroid = false;
  // The dosage instruction with the highest prednisone-equivalent daily dose, for corticosteroids
  // (the first readable dose otherwise): mg per administration and administrations per day.
  std::optional<double> dose_mg;
  std::optional<double> doses_per_day;
  std::optional<double> prednisone_equivalent_daily_mg;
  std::optional<int> planned_days;
  // timing.repeat.boundsPeriod.start (for a statement: effective start).
  std::optional<fhir::Day> bounds_start;
  // bounds_start, else authoredOn: when the course starts, for counting continuous days.
  std::optional<fhir::Day> start;

  bool Is(ValueSetId id) const { return medication.Is(id); }
  // The last planned day when start and planned days are known.
  std::optional<fhir::Day> end() const {
    if (!start || !planned_days) return std::nullopt;
    return *start + *planned_days - 1;
  }
};

OrderFacts BuildOrderFacts(const fhir::MedicationRequest& request,
                           const fhir::MedicationIndex& index, const ValueSets& value_sets);

// Planned days of a statement: its effectivePeriod start..end when both are known, else its
// dosage timing.
OrderFacts BuildStatementFacts(const fhir::MedicationStatement& statement,
                               const fhir::MedicationIndex& index, const ValueSets& value_sets);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_ORDER_FACTS_H_
