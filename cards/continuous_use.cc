#include "cards/continuous_use.h"

#include <vector>

namespace steroid_advisor::cards {

int ContinuousDaysBefore(const OrderFacts& order, fhir::Day start, const RequestFacts& facts) {
  std::vector<const OrderFacts*> courses;
  facts.ForEachActive([&courses, &order](const OrderFacts& other) {
    if (&other == &order || !other.systemic_corticosteroid || !other.start) return;
    if (!order.reference.empty() && other.reference == order.reference) return;
    courses.push_back(&other);
  });
  fhir::Day chain_start = start;
  // Each pass extends the chain by at least one course, so this ends within courses.size() passes.
  for (bool extended = true; extended;) {
    extended = false;
    for (const OrderFacts* course : courses) {
      if (*course->start >= chain_start) continue;
      std::optional<fhir::Day> end = course->end();
      if (end && *end < chain_start - 1) continue;  // a gap of a day or more
      chain_start = *course->start;
      extended = true;
    }
  }
  return start - chain_start;
}

}  // namespace steroid_advisor::cards
