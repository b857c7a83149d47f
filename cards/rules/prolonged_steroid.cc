#include "cards/rules/prolonged_steroid.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "cards/card_builder.h"
#include "cards/continuous_use.h"
#include "cards/proposed_orders.h"
#include "cards/template.h"

namespace steroid_advisor::cards {
namespace {

constexpr double kDoseTolerance = 1e-6;

struct Finding {
  const OrderFacts* order;
  fhir::Day start;   // the order's first day (today when it states none)
  int earlier_days;  // uninterrupted days before `start`
  int total_days;    // earlier_days + planned days
  bool high_dose;
};

std::optional<Finding> Assess(const OrderFacts& order, const RequestFacts& facts) {
  const Thresholds& thresholds = *facts.thresholds;
  if (!order.systemic_corticosteroid || !order.planned_days) return std::nullopt;
  if (*order.planned_days <= thresholds.short_course_days) return std::nullopt;
  Finding finding{&order, order.start.value_or(facts.input->today), 0, 0, false};
  finding.earlier_days = ContinuousDaysBefore(order, finding.start, facts);
  finding.total_days = finding.earlier_days + *order.planned_days;
  if (finding.total_days <= thresholds.prolonged_days) return std::nullopt;
  // RULES.md 3: the duration decides the card; only the critical level needs the dose.
  const std::optional<double>& equivalent_mg = order.prednisone_equivalent_daily_mg;
  finding.high_dose = equivalent_mg &&
                      *equivalent_mg + kDoseTolerance >= thresholds.high_dose_prednisone_mg &&
                      finding.total_days >= thresholds.high_dose_days;
  return finding;
}

// The finding whose numbers the card shows: high dose first, then the longest, then the first.
const Finding& MostSevere(const std::vector<Finding>& findings) {
  const Finding* worst = &findings.front();
  for (const Finding& finding : findings) {
    if (std::make_pair(finding.high_dose, finding.total_days) >
        std::make_pair(worst->high_dose, worst->total_days)) {
      worst = &finding;
    }
  }
  return *worst;
}

std::vector<Action> ShortenActions(const std::vector<Finding>& findings, int prolonged_days) {
  std::vector<Action> actions;
  for (const Finding& finding : findings) {
    const fhir::MedicationRequest* request = finding.order->request;
    int remaining_days = prolonged_days - finding.earlier_days;
    if (request == nullptr || request->json == nullptr || remaining_days < 1) continue;
    Action action;
    action.type = Action::Type::kUpdate;
    action.update_source = request->json;
    action.new_start = finding.start;
    action.new_end = finding.start + remaining_days - 1;
    actions.push_back(std::move(action));
  }
  return actions;
}

}  // namespace

bool ProlongedSteroidRule::ReadsRecord(const RequestFacts& facts) const {
  return std::any_of(facts.under_review.begin(), facts.under_review.end(),
                     [](const OrderFacts& order) { return order.systemic_corticosteroid; });
}

std::optional<Card> ProlongedSteroidRule::Evaluate(const RequestFacts& facts,
                                                   const RuleConfig& config) const {
  if (!facts.exposure.any()) return std::nullopt;
  std::vector<Finding> findings;
  for (const OrderFacts& order : facts.under_review) {
    if (std::optional<Finding> finding = Assess(order, facts)) findings.push_back(*finding);
  }
  if (findings.empty()) return std::nullopt;

  const Thresholds& thresholds = *facts.thresholds;
  const Finding& worst = MostSevere(findings);
  bool pjp_active = facts.AnyActive(ValueSetId::kPjpProphylaxis);
  const bool dose_known = worst.order->prednisone_equivalent_daily_mg.has_value();
  const char* variant = worst.high_dose ? (pjp_active ? "critical-pjp-active" : "critical")
                        : dose_known    ? "warning"
                                        : "dose-unknown";

  std::vector<const OrderFacts*> orders;
  for (const Finding& finding : findings) orders.push_back(finding.order);
  const OrderFacts& shown = *worst.order;
  TemplateValues values;
  values.Set("drug", JoinDisplayNames(orders));
  values.Set("steroid", shown.medication.display);
  if (shown.dose_mg) values.Set("dose_mg", FormatNumber(*shown.dose_mg));
  if (shown.prednisone_equivalent_daily_mg) {
    values.Set("equivalent_mg", FormatNumber(*shown.prednisone_equivalent_daily_mg));
  }
  values.Set("days", std::to_string(worst.total_days));
  values.Set("threshold_days", std::to_string(thresholds.prolonged_days));
  values.Set("high_dose_mg", FormatNumber(thresholds.high_dose_prednisone_mg));
  values.Set("high_dose_days", std::to_string(thresholds.high_dose_days));
  values.Set("last_alemtuzumab_date", facts.exposure.LastDateText());
  values.Set("window_months", std::to_string(thresholds.exposure_window_months));
  std::optional<Card> card = BuildCard(id(), config, variant, values);
  if (!card) return std::nullopt;

  if (std::optional<Suggestion> shorten = BuildSuggestion(
          config, "shorten-course", ShortenActions(findings, thresholds.prolonged_days), false)) {
    card->suggestions.push_back(std::move(*shorten));
  }
  if (worst.high_dose && !pjp_active) {
    Action action;
    action.type = Action::Type::kCreate;
    action.create = PjpProphylaxisOrder(std::max(worst.start, facts.input->today),
                                        facts.input->patient_reference);
    if (std::optional<Suggestion> pjp =
            BuildSuggestion(config, "add-pjp-prophylaxis", {std::move(action)}, false)) {
      card->suggestions.push_back(std::move(*pjp));
    }
  }
  card->order_references = OrderReferences(orders);
  return card;
}

}  // namespace steroid_advisor::cards
