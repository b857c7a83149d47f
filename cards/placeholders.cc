#include "cards/placeholders.h"

#include <algorithm>

namespace steroid_advisor::cards {
namespace {

// Maximum lengths: drug names are cut at 60 characters, enough for RxNorm clinical drug names
// such as "methylprednisolone 1000 MG Injection" while leaving ~80 characters of a summary for
// words. Computed numbers (doses, days) get room for "12345.67"; numbers that come from the
// thresholds get exactly the room their validated range needs (see cards/config.cc).
const std::vector<Placeholder>& Catalogue() {
  static const std::vector<Placeholder>* const kCatalogue = new std::vector<Placeholder>{
      {"drug", 60, "display name(s) of the order(s) the card is about, joined with \", \""},
      {"steroid", 60, "display name of the corticosteroid order"},
      {"other_drug", 60, "the non-steroid immunosuppressant(s), joined with \", \""},
      {"dose_mg", 8, "ordered dose per administration, mg"},
      {"equivalent_mg", 8,
       "daily dose as methylprednisolone-equivalent (steroid-premedication) or "
       "prednisone-equivalent (other rules), mg"},
      {"label_dose_mg", 7, "premedication dose threshold, mg (thresholds)"},
      {"days", 5, "planned days of the order"},
      {"covered_days", 5, "infusion days covered by premedication"},
      {"required_days", 2, "premedication days required (thresholds)"},
      {"threshold_days", 3, "prolonged-steroid threshold, days (thresholds)"},
      {"high_dose_mg", 6, "high-dose threshold, prednisone-equivalent mg/day (thresholds)"},
      {"high_dose_days", 3, "high-dose duration threshold, days (thresholds)"},
      {"short_course_days", 2, "longest relapse course counted as short, days (thresholds)"},
      {"last_alemtuzumab_date", 10, "last alemtuzumab infusion, YYYY-MM-DD, or \"today\""},
      {"window_months", 2, "months after an infusion the risk window lasts (thresholds)"},
  };
  return *kCatalogue;
}

struct RulePlaceholders {
  std::string_view rule_id;
  std::vector<std::string_view> names;
};

// The contract between the rules (cards/rules/) and the config: what each rule sets.
const std::vector<RulePlaceholders>& RuleTable() {
  static const std::vector<RulePlaceholders>* const kTable = new std::vector<RulePlaceholders>{
      {"steroid-premedication",
       {"drug", "steroid", "dose_mg", "equivalent_mg", "label_dose_mg", "days", "covered_days",
        "required_days"}},
      {"antiviral-prophylaxis", {"drug", "required_days"}},
      {"prolonged-steroid",
       {"drug", "steroid", "dose_mg", "equivalent_mg", "days", "threshold_days", "high_dose_mg",
        "high_dose_days", "last_alemtuzumab_date", "window_months"}},
      {"overlapping-immunosuppression",
       {"drug", "other_drug", "last_alemtuzumab_date", "window_months"}},
      {"relapse-steroid-course",
       {"drug", "steroid", "dose_mg", "equivalent_mg", "days", "short_course_days",
        "last_alemtuzumab_date"}},
  };
  return *kTable;
}

// Variants that leave some of their rule's placeholders unset: a card about a dose that could not
// be read has no dose to print.
struct VariantGap {
  std::string_view rule_id;
  std::string_view variant;
  std::vector<std::string_view> unset;
};

const std::vector<VariantGap>& VariantGaps() {
  static const std::vector<VariantGap>* const kGaps = new std::vector<VariantGap>{
      {"prolonged-steroid", "dose-unknown", {"dose_mg", "equivalent_mg"}},
      {"relapse-steroid-course", "dose-unknown", {"dose_mg", "equivalent_mg"}},
  };
  return *kGaps;
}

}  // namespace

const std::vector<Placeholder>& AllPlaceholders() { return Catalogue(); }

const Placeholder* FindPlaceholder(std::string_view name) {
  for (const Placeholder& placeholder : Catalogue()) {
    if (placeholder.name == name) return &placeholder;
  }
  return nullptr;
}

std::vector<std::string_view> PlaceholdersOfRule(std::string_view rule_id) {
  for (const RulePlaceholders& rule : RuleTable()) {
    if (rule.rule_id == rule_id) return rule.names;
  }
  return {};
}

bool RuleFillsPlaceholder(std::string_view rule_id, std::string_view name) {
  for (const RulePlaceholders& rule : RuleTable()) {
    if (rule.rule_id != rule_id) continue;
    return std::find(rule.names.begin(), rule.names.end(), name) != rule.names.end();
  }
  return false;
}

bool VariantFillsPlaceholder(std::string_view rule_id, std::string_view variant,
                             std::string_view name) {
  if (!RuleFillsPlaceholder(rule_id, name)) return false;
  for (const VariantGap& gap : VariantGaps()) {
    if (gap.rule_id == rule_id && gap.variant == variant &&
        std::find(gap.unset.begin(), gap.unset.end(), name) != gap.unset.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace steroid_advisor::cards
