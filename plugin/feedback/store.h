// The feedback store: what the service keeps about the cards it showed and what clinicians did
// with them (CDS Hooks 2.0 feedback), behind one small interface with an embedded SQLite
// implementation (sqlite_store.h) and a PostgreSQL one for several replicas (postgresql_store.h).
// Rows hold card uuids, rule codes, outcomes and override reasons, and a keyed hash of the
// patient id: never a patient name, a token or the raw patient id.
// Owns: nothing here (an interface and value types).
// Thread-safety: every FeedbackStore method is safe to call from many threads at once (each
// implementation serialises use of its connection).
#ifndef STEROID_ADVISOR_PLUGIN_FEEDBACK_STORE_H_
#define STEROID_ADVISOR_PLUGIN_FEEDBACK_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "fhir/status.h"

namespace steroid_advisor::plugin {

// A card the service returned to a CDS client.
struct ShownCard {
  std::string card_uuid;
  std::string service_id;    // "steroid-advisor-order-select", ...
  std::string rule;          // source.topic.code, the RULES.md rule id
  std::string indicator;     // "info", "warning", "critical"
  std::string patient_hash;  // hex HMAC-SHA256 of context.patientId (patient_hash.h)
  int64_t shown_at_ms = 0;   // milliseconds since the epoch
};

// One entry of a feedback call, as validated by the feedback handler.
struct FeedbackEntry {
  std::string card_uuid;
  std::string service_id;
  std::string outcome;                            // "accepted" or "overridden"
  std::vector<std::string> accepted_suggestions;  // suggestion uuids
  std::string override_reason_system;             // overrideReason.reason, empty when absent
  std::string override_reason_code;
  std::string override_reason_display;
  std::string user_comment;       // overrideReason.userComment, free text
  std::string outcome_timestamp;  // as the client sent it
  int64_t outcome_at_ms = 0;      // parsed outcomeTimestamp; received_at_ms when unparseable
  int64_t received_at_ms = 0;     // when the service received it
};

// What one transaction commits.
struct FeedbackBatch {
  std::vector<ShownCard> shown_cards;
  std::vector<FeedbackEntry> feedback;
  bool empty() const { return shown_cards.empty() && feedback.empty(); }
};

struct OverrideReasonCount {
  std::string code;
  std::string display;
  int64_t count = 0;
};

// Outcomes in one ISO 8601 week ("2026-W48"), by outcomeTimestamp.
struct WeekCount {
  std::string week;
  int64_t accepted = 0;
  int64_t overridden = 0;
};

struct RuleFeedbackSummary {
  std::string rule;  // source.topic.code
  int64_t shown = 0;
  int64_t accepted = 0;
  int64_t overridden = 0;
  std::vector<OverrideReasonCount> override_reasons;  // most frequent first
  std::vector<WeekCount> weeks;                       // oldest first; weeks with feedback only
};

// Cards shown in [from, to) and feedback whose outcome time is in [from, to), by rule (sorted by
// rule code). Feedback for a card uuid the store has no shown card for counts in unknown_cards.
struct FeedbackSummary {
  std::vector<RuleFeedbackSummary> rules;
  int64_t unknown_cards = 0;
};

class FeedbackStore {
 public:
  virtual ~FeedbackStore() = default;

  // Creates the schema or brings it to the newest version (versioned migrations, each in its own
  // transaction; safe when several replicas start at once). Unavailable when the database cannot
  // be reached; Internal when a migration fails.
  virtual Status Migrate() = 0;

  // Commits every row of `batch` in one transaction, or none. A shown card whose uuid is stored
  // already, and a feedback entry stored already (same card, outcome and outcomeTimestamp: a
  // client retrying), are kept once. Unavailable when the database cannot be reached or the
  // commit fails.
  virtual Status WriteBatch(const FeedbackBatch& batch) = 0;

  // Counts per rule over [from_ms, to_ms). Unavailable when the database cannot be reached.
  virtual StatusOr<FeedbackSummary> Summary(int64_t from_ms, int64_t to_ms) = 0;

  // Deletes shown cards shown, and feedback received, before `cutoff_ms`; answers how many rows
  // went. Unavailable when the database cannot be reached.
  virtual StatusOr<int64_t> DeleteOlderThan(int64_t cutoff_ms) = 0;

  // OK when the database answers (reconnecting first if the connection was lost).
  virtual Status Ping() = 0;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_FEEDBACK_STORE_H_
