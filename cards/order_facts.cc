#include "cards/order_facts.h"

#include <vector>

#include "cards/dose.h"
#include "cards/planned_days.h"
#include "cards/route.h"

namespace steroid_advisor::cards {
namespace {

// Dose facts over every dosage instruction: a taper's highest step decides.
void ReadDoses(const std::vector<fhir::Dosage>& dosages, OrderFacts& facts) {
  for (const fhir::Dosage& dosage : dosages) {
    std::optional<double> dose_mg = DoseMg(dosage, facts.medication.strength);
    if (!dose_mg) continue;
    std::optional<double> per_day = DosesPerDay(dosage);
    std::optional<double> equivalent =
        per_day ? PrednisoneEquivalentDailyMg(*dose_mg, *per_day, facts.medication.ingredient)
                : std::nullopt;
    bool better =
        !facts.dose_mg || (equivalent && (!facts.prednisone_equivalent_daily_mg ||
                                          *equivalent > *facts.prednisone_equivalent_daily_mg));
    if (!better) continue;
    facts.dose_mg = dose_mg;
    facts.doses_per_day = per_day;
    facts.prednisone_equivalent_daily_mg = equivalent;
  }
}

void ReadCorticosteroid(const std::vector<fhir::Dosage>& dosages, const ValueSets& value_sets,
                        OrderFacts& facts) {
  if (!facts.Is(ValueSetId::kSystemicCorticosteroids)) return;
  facts.systemic_corticosteroid =
      ClassifyRoute(dosages, facts.medication, value_sets) == RouteKind::kSystemic;
  ReadDoses(dosages, facts);
}

}  // namespace

OrderFacts BuildOrderFacts(const fhir::MedicationRequest& request,
                           const fhir::MedicationIndex& index, const ValueSets& value_sets) {
  OrderFacts facts;
  facts.request = &request;
  if (!request.id.empty()) facts.reference = "MedicationRequest/" + request.id;
  facts.medication = MatchMedication(request.medication, index, value_sets);
  if (facts.medication.sets == 0) return facts;  // concerns no rule: skip the arithmetic
  ReadCorticosteroid(request.dosage_instructions, value_sets, facts);
  facts.planned_days = PlannedDays(request.dosage_instructions, request.expected_supply_duration);
  facts.bounds_start = BoundsStart(request.dosage_instructions);
  facts.start = facts.bounds_start ? facts.bounds_start : request.authored_on;
  return facts;
}

OrderFacts BuildStatementFacts(const fhir::MedicationStatement& statement,
                               const fhir::MedicationIndex& index, const ValueSets& value_sets) {
  OrderFacts facts;
  facts.statement = &statement;
  if (!statement.id.empty()) facts.reference = "MedicationStatement/" + statement.id;
  facts.medication = MatchMedication(statement.medication, index, value_sets);
  if (facts.medication.sets == 0) return facts;
  ReadCorticosteroid(statement.dosage, value_sets, facts);
  const std::optional<fhir::Period>& effective = statement.effective;
  // effectiveDateTime reads as a one-day period; for a statement it is when use began, not a
  // one-day course, so only a real period gives the days.
  if (effective && effective->start && effective->end && *effective->end > *effective->start) {
    facts.planned_days = *effective->end - *effective->start + 1;
  } else {
    facts.planned_days = PlannedDays(statement.dosage, std::nullopt);
  }
  facts.bounds_start = effective ? effective->start : std::nullopt;
  if (!facts.bounds_start) facts.bounds_start = BoundsStart(statement.dosage);
  facts.start = facts.bounds_start;
  return facts;
}

}  // namespace steroid_advisor::cards
