#include "cards/request_facts.h"

#include <algorithm>

#include "cards/planned_days.h"

namespace steroid_advisor::cards {
namespace {

bool IsActiveRequestStatus(std::string_view status) {
  return status == "active" || status == "on-hold" || status == "draft";
}

bool IsDraftReference(const RequestFacts& facts, std::string_view reference) {
  if (reference.empty()) return false;
  auto same = [reference](const OrderFacts& order) { return order.reference == reference; };
  return std::any_of(facts.under_review.begin(), facts.under_review.end(), same) ||
         std::any_of(facts.other_drafts.begin(), facts.other_drafts.end(), same);
}

// Keeps the latest exposure day.
void ConsiderExposure(std::optional<DayInterval> interval, const DayInterval& window,
                      const MedicationFacts& medication, AlemtuzumabExposure& exposure) {
  if (!interval || !medication.Is(ValueSetId::kAlemtuzumab)) return;
  std::optional<fhir::Day> day = ExposureDayInWindow(*interval, window);
  if (!day || (exposure.latest_record_day && *exposure.latest_record_day >= *day)) return;
  exposure.latest_record_day = day;
}

void ReadRecord(const RuleInput& input, const ValueSets& value_sets, RequestFacts& facts) {
  const PatientRecord& record = input.record;
  DayInterval window = ExposureWindow(input.today, facts.thresholds->exposure_window_months);
  for (const fhir::MedicationRequest& request : record.requests) {
    OrderFacts order = BuildOrderFacts(request, input.medications, value_sets);
    // The record may list a draft of this request again; the draft's facts already count.
    if (order.medication.sets == 0 || IsDraftReference(facts, order.reference)) continue;
    ConsiderExposure(RequestExposureInterval(request), window, order.medication, facts.exposure);
    if (IsActiveRequestStatus(request.status)) {
      facts.active_record.push_back(std::move(order));
    }
  }
  for (const fhir::MedicationStatement& statement : record.statements) {
    OrderFacts order = BuildStatementFacts(statement, input.medications, value_sets);
    if (order.medication.sets == 0) continue;
    ConsiderExposure(StatementExposureInterval(statement), window, order.medication,
                     facts.exposure);
    if (statement.status == "active") facts.active_record.push_back(std::move(order));
  }
  for (const fhir::MedicationAdministration& administration : record.administrations) {
    MedicationFacts medication =
        MatchMedication(administration.medication, input.medications, value_sets);
    ConsiderExposure(AdministrationExposureInterval(administration), window, medication,
                     facts.exposure);
  }
}

}  // namespace

std::string AlemtuzumabExposure::LastDateText() const {
  if (drafted) return "today";
  if (latest_record_day) return fhir::FormatDay(*latest_record_day);
  return "";
}

bool RequestFacts::AnyActive(ValueSetId id) const {
  bool found = false;
  ForEachActive([&found, id](const OrderFacts& order) { found = found || order.Is(id); });
  return found;
}

bool RequestFacts::AnyUnderReview(ValueSetId id) const {
  return std::any_of(under_review.begin(), under_review.end(),
                     [id](const OrderFacts& order) { return order.Is(id); });
}

std::vector<const OrderFacts*> RequestFacts::UnderReview(ValueSetId id) const {
  std::vector<const OrderFacts*> orders;
  for (const OrderFacts& order : under_review) {
    if (order.Is(id)) orders.push_back(&order);
  }
  return orders;
}

std::optional<fhir::Day> RequestFacts::FirstInfusionDay() const {
  std::optional<fhir::Day> first;
  for (const OrderFacts* order : UnderReview(ValueSetId::kAlemtuzumab)) {
    if (order->bounds_start)
      first = std::min(first.value_or(*order->bounds_start), *order->bounds_start);
  }
  return first;
}

std::optional<fhir::Day> RequestFacts::LastInfusionDay() const {
  std::optional<fhir::Day> last;
  for (const OrderFacts* order : UnderReview(ValueSetId::kAlemtuzumab)) {
    if (order->request == nullptr) continue;
    std::optional<fhir::Day> end = BoundsEnd(order->request->dosage_instructions);
    if (end) last = std::max(last.value_or(*end), *end);
  }
  return last;
}

RequestFacts BuildRequestFacts(const RuleInput& input, const Thresholds& thresholds,
                               const ValueSets& value_sets, bool with_record) {
  RequestFacts facts;
  facts.input = &input;
  facts.thresholds = &thresholds;
  facts.value_sets = &value_sets;
  facts.under_review.reserve(input.under_review.size());
  for (const fhir::MedicationRequest& request : input.under_review) {
    facts.under_review.push_back(BuildOrderFacts(request, input.medications, value_sets));
  }
  facts.other_drafts.reserve(input.other_drafts.size());
  for (const fhir::MedicationRequest& request : input.other_drafts) {
    facts.other_drafts.push_back(BuildOrderFacts(request, input.medications, value_sets));
  }
  facts.exposure.drafted =
      facts.AnyUnderReview(ValueSetId::kAlemtuzumab) ||
      std::any_of(facts.other_drafts.begin(), facts.other_drafts.end(),
                  [](const OrderFacts& order) { return order.Is(ValueSetId::kAlemtuzumab); });
  if (with_record) ReadRecord(input, value_sets, facts);
  return facts;
}

}  // namespace steroid_advisor::cards
