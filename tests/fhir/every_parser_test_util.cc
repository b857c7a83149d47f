#include "tests/fhir/every_parser_test_util.h"

#include <optional>
#include <vector>

#include "fhir/bundle.h"
#include "fhir/medication.h"
#include "fhir/medication_administration.h"
#include "fhir/medication_index.h"
#include "fhir/medication_request.h"
#include "fhir/medication_statement.h"
#include "fhir/resource.h"

namespace steroid_advisor::fhir::fixtures {
namespace {

// Touches every derived value so nothing read is left unexamined; the sum is discarded.
double Exercise(const Dosage& dosage, ParseCounts* counts) {
  double sum = static_cast<double>(dosage.text.size()) +
               DisplayName(dosage.route.value_or(CodeableConcept{})).size();
  for (const std::optional<Quantity>* quantity :
       {&dosage.dose_quantity, &dosage.dose_range_low, &dosage.dose_range_high}) {
    if (!quantity->has_value()) continue;
    if (std::optional<double> mg = MassInMg(**quantity)) {
      sum += *mg;
      ++counts->doses_in_mg;
    }
  }
  if (dosage.timing && dosage.timing->repeat) {
    const TimingRepeat& repeat = *dosage.timing->repeat;
    if (repeat.bounds_duration) sum += DurationInDays(*repeat.bounds_duration).value_or(0);
    sum += DaysPerTimeUnit(repeat.period_unit).value_or(0);
    if (repeat.bounds_period && repeat.bounds_period->start) {
      sum += static_cast<double>(FormatDay(*repeat.bounds_period->start).size());
    }
  }
  return sum;
}

void ParseOne(const JsonValue& json, const MedicationIndex& index, ParseCounts* counts) {
  double sink = static_cast<double>(LocalReference(json).size());
  MedicationSource source = ParseMedicationSource(json);
  if (ResolveMedication(source, index) != nullptr) ++counts->references_resolved;
  if (std::optional<Period> effective = ParseEffective(json)) {
    if (effective->end) sink += static_cast<double>(AddMonths(*effective->end, 12));
  }
  if (std::optional<MedicationRequest> request = ParseMedicationRequest(json)) {
    ++counts->medication_requests;
    for (const Dosage& dosage : request->dosage_instructions) sink += Exercise(dosage, counts);
    if (request->expected_supply_duration) {
      sink += DurationInDays(*request->expected_supply_duration).value_or(0);
    }
  }
  if (std::optional<MedicationAdministration> given = ParseMedicationAdministration(json)) {
    ++counts->medication_administrations;
    if (given->dose && MassInMg(*given->dose)) ++counts->doses_in_mg;
  }
  if (std::optional<MedicationStatement> statement = ParseMedicationStatement(json)) {
    ++counts->medication_statements;
    for (const Dosage& dosage : statement->dosage) sink += Exercise(dosage, counts);
  }
  if (ParseMedication(json)) ++counts->medications;
  (void)sink;
}

}  // namespace

ParseCounts ParseWithEveryParser(const JsonValue& json) {
  ParseCounts counts;
  (void)BundleType(json);
  (void)NextLink(json);
  std::vector<BundleEntry> entries = BundleEntries(json);
  counts.bundle_entries = static_cast<int>(entries.size());

  // Index the Medications first, as a hook handler would, so references can resolve.
  MedicationIndex index;
  if (std::optional<Medication> medication = ParseMedication(json)) {
    index.Add(std::move(*medication), "");
  }
  for (const BundleEntry& entry : entries) {
    if (std::optional<Medication> medication = ParseMedication(*entry.resource)) {
      index.Add(std::move(*medication), entry.full_url);
    }
  }
  ParseOne(json, index, &counts);
  for (const BundleEntry& entry : entries) ParseOne(*entry.resource, index, &counts);
  return counts;
}

}  // namespace steroid_advisor::fhir::fixtures
