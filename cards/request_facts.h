// RequestFacts: everything the rules share about one CDS Hooks call, computed once per
// evaluation: OrderFacts of the orders under review, the other draft orders and the record, the
// active medications, and alemtuzumab exposure.
// Active medications (RULES.md): the request's draft orders (under review or not), record
// MedicationRequests with status active, on-hold or draft, and record MedicationStatements with
// status active (a reported current medication is as active as a prescribed one). A record
// entry with the same id as a draft order is that draft again and is skipped.
// Owns: its vectors; OrderFacts borrow from the RuleInput, which must outlive this.
// Thread-safety: immutable after BuildRequestFacts; safe to read from many threads.
#ifndef STEROID_ADVISOR_CARDS_REQUEST_FACTS_H_
#define STEROID_ADVISOR_CARDS_REQUEST_FACTS_H_

#include <optional>
#include <string>
#include <vector>

#include "cards/config.h"
#include "cards/exposure.h"
#include "cards/order_facts.h"
#include "cards/rule_input.h"
#include "cards/value_sets.h"
#include "fhir/date.h"

namespace steroid_advisor::cards {

struct AlemtuzumabExposure {
  // An alemtuzumab order is among the request's draft orders (under review or not).
  bool drafted = false;
  // The latest exposure day in the record within the window.
  std::optional<fhir::Day> latest_record_day;

  bool any() const { return drafted || latest_record_day.has_value(); }
  // {{last_alemtuzumab_date}}: "today" for a drafted order, else YYYY-MM-DD; "" without exposure.
  std::string LastDateText() const;
};

struct RequestFacts {
  const RuleInput* input = nullptr;
  const Thresholds* thresholds = nullptr;
  const ValueSets* value_sets = nullptr;

  std::vector<OrderFacts> under_review;
  std::vector<OrderFacts> other_drafts;
  // Active record entries (MedicationRequests, then MedicationStatements), drafts excluded.
  std::vector<OrderFacts> active_record;
  AlemtuzumabExposure exposure;

  // Calls `visit(const OrderFacts&)` for every active medication: orders under review, other
  // drafts, active record entries.
  template <typename Visit>
  void ForEachActive(Visit visit) const {
    for (const OrderFacts& order : under_review) visit(order);
    for (const OrderFacts& order : other_drafts) visit(order);
    for (const OrderFacts& order : active_record) visit(order);
  }
  bool AnyActive(ValueSetId id) const;
  bool AnyUnderReview(ValueSetId id) const;
  // The orders under review in value set `id`.
  std::vector<const OrderFacts*> UnderReview(ValueSetId id) const;
  // The earliest boundsPeriod.start / latest boundsPeriod.end of the alemtuzumab orders under
  // review: the course's first and last infusion days, when stated.
  std::optional<fhir::Day> FirstInfusionDay() const;
  std::optional<fhir::Day> LastInfusionDay() const;
};

// `with_record` false skips the record (what RecordNeeded needs is the orders alone).
RequestFacts BuildRequestFacts(const RuleInput& input, const Thresholds& thresholds,
                               const ValueSets& value_sets, bool with_record = true);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_REQUEST_FACTS_H_
