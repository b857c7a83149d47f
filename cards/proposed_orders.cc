#include "cards/proposed_orders.h"

#include "cards/template.h"

namespace steroid_advisor::cards {
namespace {

constexpr int kAntiviralMonthsAfterCourse = 2;
constexpr double kAcyclovirDoseMg = 200;
constexpr double kCotrimoxazoleDoseMg = 960;

fhir::Coding IntravenousRoute() { return {kSnomedSystem, "47625008", "Intravenous route"}; }
fhir::Coding OralRoute() { return {kSnomedSystem, "26643006", "Oral route"}; }

}  // namespace

ProposedMedicationRequest PremedicationOrder(double dose_mg, int days, fhir::Day start,
                                             const std::string& subject_reference) {
  ProposedMedicationRequest order;
  order.medication = {kRxNormSystem, "6902", "methylprednisolone"};
  order.medication_text = "methylprednisolone";
  order.route = IntravenousRoute();
  order.dose_value = dose_mg;
  order.frequency = 1;
  order.period = 1;
  order.period_unit = "d";
  order.dosage_text = "methylprednisolone " + FormatNumber(dose_mg) +
                      " mg IV once daily, immediately before the alemtuzumab infusion, for " +
                      std::to_string(days) + " days";
  order.start = start;
  order.end = start + days - 1;
  order.subject_reference = subject_reference;
  order.note = "Alemtuzumab premedication (Lemtrada prescribing information 2.2).";
  return order;
}

ProposedMedicationRequest AntiviralOrder(fhir::Day start, std::optional<fhir::Day> course_end,
                                         const std::string& subject_reference) {
  ProposedMedicationRequest order;
  order.medication = {kRxNormSystem, "281", "acyclovir"};
  order.medication_text = "acyclovir";
  order.route = OralRoute();
  order.dose_value = kAcyclovirDoseMg;
  order.frequency = 2;
  order.period = 1;
  order.period_unit = "d";
  order.dosage_text =
      "acyclovir 200 mg orally twice daily from the first day of alemtuzumab treatment";
  order.start = start;
  if (course_end && *course_end >= start) {
    order.end = fhir::AddMonths(*course_end, kAntiviralMonthsAfterCourse);
  } else {
    order.duration_value = kAntiviralMonthsAfterCourse;
    order.duration_unit = "mo";
  }
  order.subject_reference = subject_reference;
  order.note =
      "Continue for at least 2 months after the alemtuzumab course or until the CD4+ count is "
      "at least 200 cells/uL, whichever is later (Lemtrada prescribing information 2.3).";
  return order;
}

ProposedMedicationRequest PjpProphylaxisOrder(fhir::Day start,
                                              const std::string& subject_reference) {
  ProposedMedicationRequest order;
  order.medication = {kAtcSystem, "J01EE01", "sulfamethoxazole and trimethoprim"};
  order.medication_text = "sulfamethoxazole-trimethoprim";
  order.route = OralRoute();
  order.dose_value = kCotrimoxazoleDoseMg;
  order.frequency = 1;
  order.period = 1;
  order.period_unit = "d";
  order.dosage_text =
      "sulfamethoxazole-trimethoprim 800/160 mg orally once daily, or per local protocol";
  order.start = start;
  order.subject_reference = subject_reference;
  order.note = "Pneumocystis prophylaxis while on high-dose systemic corticosteroids.";
  return order;
}

}  // namespace steroid_advisor::cards
