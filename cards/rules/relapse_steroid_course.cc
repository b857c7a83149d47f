#include "cards/rules/relapse_steroid_course.h"

#include <algorithm>
#include <vector>

#include "cards/card_builder.h"
#include "cards/template.h"

namespace steroid_advisor::cards {

bool RelapseSteroidCourseRule::ReadsRecord(const RequestFacts& facts) const {
  return std::any_of(facts.under_review.begin(), facts.under_review.end(),
                     [](const OrderFacts& order) { return order.systemic_corticosteroid; });
}

std::optional<Card> RelapseSteroidCourseRule::Evaluate(const RequestFacts& facts,
                                                       const RuleConfig& config) const {
  if (facts.exposure.drafted || !facts.exposure.latest_record_day) return std::nullopt;
  const Thresholds& thresholds = *facts.thresholds;
  std::vector<const OrderFacts*> courses;
  for (const OrderFacts& order : facts.under_review) {
    if (order.systemic_corticosteroid && order.planned_days &&
        *order.planned_days <= thresholds.short_course_days) {
      courses.push_back(&order);
    }
  }
  if (courses.empty()) return std::nullopt;

  // The card does not need the dose (RULES.md 5); it shows one when any course has it.
  const OrderFacts* shown = courses.front();
  for (const OrderFacts* course : courses) {
    if (course->prednisone_equivalent_daily_mg) {
      shown = course;
      break;
    }
  }
  TemplateValues values;
  values.Set("drug", JoinDisplayNames(courses));
  values.Set("steroid", shown->medication.display);
  if (shown->dose_mg) values.Set("dose_mg", FormatNumber(*shown->dose_mg));
  if (shown->prednisone_equivalent_daily_mg) {
    values.Set("equivalent_mg", FormatNumber(*shown->prednisone_equivalent_daily_mg));
  }
  values.Set("days", std::to_string(*shown->planned_days));
  values.Set("short_course_days", std::to_string(thresholds.short_course_days));
  values.Set("last_alemtuzumab_date", facts.exposure.LastDateText());
  const char* variant = shown->prednisone_equivalent_daily_mg ? "default" : "dose-unknown";
  std::optional<Card> card = BuildCard(id(), config, variant, values);
  if (!card) return std::nullopt;
  card->order_references = OrderReferences(courses);
  return card;
}

}  // namespace steroid_advisor::cards
