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
        *order.planned_days <= thresholds.short_course_days &&
        order.prednisone_equivalent_daily_mg) {
      courses.push_back(&order);
    }
  }
  if (courses.empty()) return std::nullopt;

  const OrderFacts& first = *courses.front();
  TemplateValues values;
  values.Set("drug", JoinDisplayNames(courses));
  values.Set("steroid", first.medication.display);
  if (first.dose_mg) values.Set("dose_mg", FormatNumber(*first.dose_mg));
  values.Set("equivalent_mg", FormatNumber(*first.prednisone_equivalent_daily_mg));
  values.Set("days", std::to_string(*first.planned_days));
  values.Set("short_course_days", std::to_string(thresholds.short_course_days));
  values.Set("last_alemtuzumab_date", facts.exposure.LastDateText());
  std::optional<Card> card = BuildCard(id(), config, "default", values);
  if (!card) return std::nullopt;
  card->order_references = OrderReferences(courses);
  return card;
}

}  // namespace steroid_advisor::cards
