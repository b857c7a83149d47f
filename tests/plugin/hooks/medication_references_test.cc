// Which medicationReferences the hook handler reads from the FHIR server (issue 12), and that
// nothing but a FHIR id from a reference to that server can reach the search URL.
#include "plugin/hooks/medication_references.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace steroid_advisor::plugin {
namespace {

constexpr char kServer[] = "https://ehr.example.org/fhir";

fhir::MedicationRequest OrderFor(const std::string& reference) {
  fhir::MedicationRequest order;
  order.medication.reference = reference;
  return order;
}

TEST(MedicationReferences, OnlyFhirIdsOnThisServerAreRead) {
  struct Case {
    std::string reference;
    std::vector<std::string> ids;
  };
  const Case cases[] = {
      {"Medication/med-1", {"med-1"}},
      {"Medication/med.2/_history/3", {"med.2"}},
      {"https://ehr.example.org/fhir/Medication/abc", {"abc"}},
      {"https://other.example.org/fhir/Medication/abc", {}},  // another server's
      {"#contained-1", {}},
      {"Medication/a,b", {}},  // a comma would add an id to the search
      {"Medication/a&_count=1", {}},
      {"Medication/", {}},
      {"Medication/x/y", {}},
      {"Substance/s1", {}},
      {"Medication/" + std::string(65, 'a'), {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reference);
    cards::RuleInput input;
    input.under_review.push_back(OrderFor(c.reference));
    EXPECT_EQ(UnresolvedMedicationIds(input, kServer), c.ids);
  }
}

TEST(MedicationReferences, KnownMedicationsAndRepeatsAreNotReadAgain) {
  cards::RuleInput input;
  fhir::Medication known;
  known.id = "known";
  input.medications.Add(known, "");
  input.under_review.push_back(OrderFor("Medication/known"));
  input.other_drafts.push_back(OrderFor("Medication/m1"));
  fhir::MedicationAdministration given;
  given.medication.reference = "Medication/m1";
  input.record.administrations.push_back(given);
  fhir::MedicationStatement statement;
  statement.medication.reference = "Medication/m2";
  input.record.statements.push_back(statement);
  EXPECT_EQ(UnresolvedMedicationIds(input, kServer), (std::vector<std::string>{"m1", "m2"}));
}

TEST(MedicationReferences, AtMostFiftyIdsGoIntoOneSearch) {
  cards::RuleInput input;
  for (int i = 0; i < 80; ++i)
    input.record.requests.push_back(OrderFor("Medication/m" + std::to_string(i)));
  std::vector<std::string> ids = UnresolvedMedicationIds(input, kServer);
  EXPECT_EQ(ids.size(), kMaxReferencedMedications);
  EXPECT_EQ(MedicationSearch({"a", "b"}), "Medication?_id=a,b");
}

}  // namespace
}  // namespace steroid_advisor::plugin
