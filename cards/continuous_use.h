// Continuous corticosteroid use across orders (RULES.md 3: "added to an uninterrupted active
// systemic corticosteroid"): how many days of systemic corticosteroid the patient will already
// have taken, without a gap, when a new order starts.
// A course continues into a later one when it starts earlier and runs up to the day before the
// later one's start, or overlaps it; courses chain (A runs into B runs into the new order). A
// course whose days are unknown but whose status is active is still running: it chains.
// Courses read: the other orders under review, the other drafts and the active record entries
// that are systemic corticosteroids with a known start.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_CARDS_CONTINUOUS_USE_H_
#define STEROID_ADVISOR_CARDS_CONTINUOUS_USE_H_

#include "cards/order_facts.h"
#include "cards/request_facts.h"
#include "fhir/date.h"

namespace steroid_advisor::cards {

// Days from the start of the uninterrupted chain of earlier courses to `start`, the new order's
// first day (0 when nothing runs into it). `order` itself is never part of the chain.
int ContinuousDaysBefore(const OrderFacts& order, fhir::Day start, const RequestFacts& facts);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_CONTINUOUS_USE_H_
