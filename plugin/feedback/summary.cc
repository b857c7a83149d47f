#include "plugin/feedback/summary.h"

#include <algorithm>
#include <utility>

#include "plugin/feedback/timestamps.h"

namespace steroid_advisor::plugin {

void SummaryBuilder::AddShown(std::string_view rule, int64_t count) {
  rules_[std::string(rule)].shown += count;
}

void SummaryBuilder::AddOutcome(std::string_view rule, std::string_view outcome,
                                std::string_view reason_code, std::string_view reason_display,
                                int64_t day, int64_t count) {
  bool accepted = outcome == "accepted";
  if (!accepted && outcome != "overridden") return;
  Rule& entry = rules_[std::string(rule)];
  std::pair<int64_t, int64_t>& week = entry.weeks[IsoWeek(day)];
  if (accepted) {
    entry.accepted += count;
    week.first += count;
    return;
  }
  entry.overridden += count;
  week.second += count;
  if (!reason_code.empty()) {
    entry.reasons[{std::string(reason_code), std::string(reason_display)}] += count;
  }
}

FeedbackSummary SummaryBuilder::Build() const {
  FeedbackSummary summary;
  summary.unknown_cards = unknown_cards_;
  for (const auto& [code, rule] : rules_) {
    RuleFeedbackSummary out;
    out.rule = code;
    out.shown = rule.shown;
    out.accepted = rule.accepted;
    out.overridden = rule.overridden;
    for (const auto& [reason, count] : rule.reasons) {
      out.override_reasons.push_back({reason.first, reason.second, count});
    }
    std::stable_sort(out.override_reasons.begin(), out.override_reasons.end(),
                     [](const OverrideReasonCount& a, const OverrideReasonCount& b) {
                       return a.count > b.count;
                     });
    for (const auto& [week, counts] : rule.weeks) {
      out.weeks.push_back({week, counts.first, counts.second});
    }
    summary.rules.push_back(std::move(out));
  }
  return summary;
}

}  // namespace steroid_advisor::plugin
