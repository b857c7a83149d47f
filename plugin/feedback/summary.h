// Turns the rows of the summary queries (schema.h), which both stores run alike, into a
// FeedbackSummary: per rule the shown, accepted and overridden counts, override reasons (most
// frequent first) and outcomes per ISO week. Kept out of the stores so both count the same way.
// Thread-safety: SummaryBuilder is a value used by one thread.
#ifndef STEROID_ADVISOR_PLUGIN_FEEDBACK_SUMMARY_H_
#define STEROID_ADVISOR_PLUGIN_FEEDBACK_SUMMARY_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "plugin/feedback/store.h"

namespace steroid_advisor::plugin {

class SummaryBuilder {
 public:
  // A row of kSummaryShown.
  void AddShown(std::string_view rule, int64_t count);
  // A row of kSummaryOutcomes; `outcome` other than "accepted"/"overridden" is ignored.
  void AddOutcome(std::string_view rule, std::string_view outcome, std::string_view reason_code,
                  std::string_view reason_display, int64_t day, int64_t count);
  void SetUnknownCards(int64_t count) { unknown_cards_ = count; }

  // Rules sorted by code; weeks oldest first; reasons by count, then code.
  FeedbackSummary Build() const;

 private:
  struct Rule {
    int64_t shown = 0;
    int64_t accepted = 0;
    int64_t overridden = 0;
    std::map<std::pair<std::string, std::string>, int64_t> reasons;  // (code, display)
    std::map<std::string, std::pair<int64_t, int64_t>> weeks;  // week -> (accepted, overridden)
  };
  std::map<std::string, Rule, std::less<>> rules_;
  int64_t unknown_cards_ = 0;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_FEEDBACK_SUMMARY_H_
