// RuleInput: everything a rule may look at for one CDS Hooks call: the orders under review, the
// other draft orders, the patient's record (each part flagged when it could not be had), the
// Medications that references resolve to, and "today". cards/ never reads a clock or a file.
// Owns: its values; the fhir structs' `json` pointers borrow from the request (and fetched
// pages), which must outlive the RuleInput. Thread-safety: read-only use from many threads.
#ifndef STEROID_ADVISOR_CARDS_RULE_INPUT_H_
#define STEROID_ADVISOR_CARDS_RULE_INPUT_H_

#include <string>
#include <vector>

#include "fhir/date.h"
#include "fhir/medication_administration.h"
#include "fhir/medication_index.h"
#include "fhir/medication_request.h"
#include "fhir/medication_statement.h"

namespace steroid_advisor::cards {

// The patient's medication record. A part that is not `*_available` could not be had (no
// prefetch and no usable FHIR server, or the fetch failed): rules that need it make no card.
struct PatientRecord {
  bool requests_available = false;
  bool administrations_available = false;
  bool statements_available = false;
  std::vector<fhir::MedicationRequest> requests;
  std::vector<fhir::MedicationAdministration> administrations;
  std::vector<fhir::MedicationStatement> statements;

  bool any_available() const {
    return requests_available || administrations_available || statements_available;
  }
};

struct RuleInput {
  // order-select: the selected draft orders; order-sign: all draft orders; medication-prescribe:
  // context.medications.
  std::vector<fhir::MedicationRequest> under_review;
  // The request's other draft orders: active medications for the rules (a premedication
  // ordered alongside counts).
  std::vector<fhir::MedicationRequest> other_drafts;
  PatientRecord record;
  // Medications from the draft Bundle, the request and the record, for medicationReference.
  fhir::MedicationIndex medications;
  fhir::Day today = 0;
  std::string patient_reference;  // "Patient/<context.patientId>", subject of new orders
};

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_RULE_INPUT_H_
