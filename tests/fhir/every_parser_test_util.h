// Runs every fhir/ model parser over a JSON value, for the tolerance tests: the corpus of R4
// examples and its mutated variants must go through all of them without crashing.
// Owns: nothing beyond the returned counts. Thread-safety: stateless, safe from any thread.
#ifndef STEROID_ADVISOR_TESTS_FHIR_EVERY_PARSER_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_FHIR_EVERY_PARSER_TEST_UTIL_H_

#include "fhir/json_access.h"

namespace steroid_advisor::fhir::fixtures {

// How many of each thing the parsers accepted, counting the root value and, when it is a
// Bundle, every entry's resource.
struct ParseCounts {
  int bundle_entries = 0;
  int medication_requests = 0;
  int medication_administrations = 0;
  int medication_statements = 0;
  int medications = 0;
  int references_resolved = 0;  // medication[x] references that found their Medication
  int doses_in_mg = 0;          // dosages whose dose read as a mass
};

// Applies ParseMedicationRequest, ParseMedicationAdministration, ParseMedicationStatement,
// ParseMedication, ParseMedicationSource, ParseEffective, the Bundle readers and
// MedicationIndex/ResolveMedication to `json` (and to each Bundle entry), and converts every
// quantity and date they produce, so that any unchecked read would be exercised.
ParseCounts ParseWithEveryParser(const JsonValue& json);

}  // namespace steroid_advisor::fhir::fixtures

#endif  // STEROID_ADVISOR_TESTS_FHIR_EVERY_PARSER_TEST_UTIL_H_
