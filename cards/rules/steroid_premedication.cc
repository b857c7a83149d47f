#include "cards/rules/steroid_premedication.h"

#include <algorithm>
#include <vector>

#include "cards/card_builder.h"
#include "cards/dose.h"
#include "cards/proposed_orders.h"
#include "cards/template.h"

namespace steroid_advisor::cards {
namespace {

// Dose comparisons tolerate floating point from unit conversion (1 g = 1000 mg exactly, but
// 250 mg x 4 / 5 x 5 / 4 need not be).
constexpr double kDoseTolerance = 1e-6;

struct Candidate {
  const OrderFacts* order;
  std::optional<double> equivalent_mg;  // methylprednisolone-equivalent daily dose
};

std::vector<Candidate> FindCandidates(const RequestFacts& facts) {
  std::vector<Candidate> candidates;
  facts.ForEachActive([&candidates](const OrderFacts& order) {
    if (!order.systemic_corticosteroid) return;
    std::optional<double> equivalent;
    if (order.prednisone_equivalent_daily_mg) {
      equivalent = MethylprednisoloneEquivalentMg(*order.prednisone_equivalent_daily_mg);
    }
    candidates.push_back(Candidate{&order, equivalent});
  });
  return candidates;
}

// Days of the first `required_days` infusion days that `adequate` steroids cover, and the one
// covering the most. nullopt when some adequate steroid's days are unknown.
struct Coverage {
  int covered_days = 0;
  const Candidate* best = nullptr;
};
std::optional<Coverage> CoverInfusionDays(const std::vector<const Candidate*>& adequate,
                                          std::optional<fhir::Day> first_infusion_day,
                                          int required_days) {
  std::vector<bool> covered(static_cast<size_t>(std::max(required_days, 0)), false);
  Coverage coverage;
  int best_days = -1;
  for (const Candidate* candidate : adequate) {
    const OrderFacts& order = *candidate->order;
    if (!order.planned_days) return std::nullopt;
    int offset = 0;  // infusion day index of the steroid's first day
    if (first_infusion_day && order.bounds_start)
      offset = *order.bounds_start - *first_infusion_day;
    int own_days = 0;
    for (int day = 0; day < *order.planned_days; ++day) {
      int index = offset + day;
      if (index < 0) continue;
      if (index >= required_days) break;
      covered[static_cast<size_t>(index)] = true;
      ++own_days;
    }
    if (own_days > best_days) {
      best_days = own_days;
      coverage.best = candidate;
    }
  }
  coverage.covered_days = static_cast<int>(std::count(covered.begin(), covered.end(), true));
  return coverage;
}

void SetSteroidValues(const Candidate& candidate, TemplateValues& values) {
  const OrderFacts& order = *candidate.order;
  values.Set("steroid", order.medication.display);
  if (order.dose_mg) values.Set("dose_mg", FormatNumber(*order.dose_mg));
  if (candidate.equivalent_mg) values.Set("equivalent_mg", FormatNumber(*candidate.equivalent_mg));
  if (order.planned_days) values.Set("days", std::to_string(*order.planned_days));
}

}  // namespace

bool SteroidPremedicationRule::ReadsRecord(const RequestFacts& facts) const {
  return facts.AnyUnderReview(ValueSetId::kAlemtuzumab);
}

std::optional<Card> SteroidPremedicationRule::Evaluate(const RequestFacts& facts,
                                                       const RuleConfig& config) const {
  std::vector<const OrderFacts*> alemtuzumab = facts.UnderReview(ValueSetId::kAlemtuzumab);
  if (alemtuzumab.empty() || !facts.input->record.requests_available) return std::nullopt;
  const Thresholds& thresholds = *facts.thresholds;
  const double label_dose_mg = thresholds.premedication_methylprednisolone_mg;
  const int required_days = thresholds.premedication_days;

  TemplateValues values;
  values.Set("drug", JoinDisplayNames(alemtuzumab));
  values.Set("label_dose_mg", FormatNumber(label_dose_mg));
  values.Set("required_days", std::to_string(required_days));
  std::vector<const OrderFacts*> concerned = alemtuzumab;

  std::vector<Candidate> candidates = FindCandidates(facts);
  if (candidates.empty()) {
    std::optional<Card> card = BuildCard(id(), config, "missing", values);
    if (!card) return std::nullopt;
    fhir::Day start = facts.FirstInfusionDay().value_or(facts.input->today);
    Action action;
    action.type = Action::Type::kCreate;
    action.create =
        PremedicationOrder(label_dose_mg, required_days, start, facts.input->patient_reference);
    if (std::optional<Suggestion> suggestion =
            BuildSuggestion(config, "add-premedication", {std::move(action)}, true)) {
      card->suggestions.push_back(std::move(*suggestion));
    }
    card->order_references = OrderReferences(concerned);
    return card;
  }

  std::vector<const Candidate*> adequate;
  const Candidate* highest = nullptr;
  bool any_unknown_dose = false;
  for (const Candidate& candidate : candidates) {
    if (!candidate.equivalent_mg) {
      any_unknown_dose = true;
      continue;
    }
    if (*candidate.equivalent_mg + kDoseTolerance >= label_dose_mg) adequate.push_back(&candidate);
    if (highest == nullptr || *candidate.equivalent_mg > *highest->equivalent_mg) {
      highest = &candidate;
    }
  }

  const char* variant = nullptr;
  const Candidate* named = nullptr;
  if (adequate.empty()) {
    if (any_unknown_dose) return std::nullopt;  // an unreadable dose may be the adequate one
    variant = "low-dose";
    named = highest;
  } else {
    std::optional<Coverage> coverage =
        CoverInfusionDays(adequate, facts.FirstInfusionDay(), required_days);
    if (!coverage || coverage->covered_days >= required_days) return std::nullopt;
    variant = "too-few-days";
    named = coverage->best;
    values.Set("covered_days", std::to_string(coverage->covered_days));
  }
  SetSteroidValues(*named, values);
  if (named->order->request != nullptr && named->order->statement == nullptr) {
    // Name the steroid order when it is one of the orders under review.
    for (const OrderFacts& order : facts.under_review) {
      if (&order == named->order) concerned.push_back(&order);
    }
  }
  std::optional<Card> card = BuildCard(id(), config, variant, values);
  if (!card) return std::nullopt;
  card->order_references = OrderReferences(concerned);
  return card;
}

}  // namespace steroid_advisor::cards
