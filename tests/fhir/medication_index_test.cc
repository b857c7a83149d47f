// MedicationIndex and ResolveMedication: every name a medicationReference may use ("#id" of a
// contained resource, "Medication/id", an absolute URL, a urn:uuid fullUrl, a _history version)
// and references that lead nowhere.
#include "fhir/medication_index.h"

#include <string>
#include <vector>

#include "fhir/bundle.h"
#include "fhir/medication_request.h"
#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

Medication Named(std::string id, std::string text) {
  Medication medication;
  medication.id = std::move(id);
  medication.code = CodeableConcept{{}, std::move(text)};
  return medication;
}

// The text of what `reference` resolves to through `index`, or "<none>".
std::string Resolve(const MedicationIndex& index, const std::string& reference) {
  MedicationSource source;
  source.reference = reference;
  const Medication* medication = ResolveMedication(source, index);
  return medication == nullptr ? "<none>" : medication->code->text;
}

struct ReferenceCase {
  std::string reference;
  std::string resolves_to;
};

TEST(MedicationIndex, ResolvesEveryFormOfReference) {
  MedicationIndex index;
  index.Add(Named("mp", "methylprednisolone"), "");
  index.Add(Named("", "acyclovir"), "urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a");
  index.Add(Named("pred", "prednisone"), "https://ehr.example/fhir/Medication/pred");
  EXPECT_EQ(index.size(), 3u);
  const std::vector<ReferenceCase> cases = {
      {"Medication/mp", "methylprednisolone"},
      {"https://ehr.example/fhir/Medication/mp", "methylprednisolone"},
      {"http://other.example/fhir/Medication/mp", "methylprednisolone"},
      {"Medication/mp/_history/3", "methylprednisolone"},
      {"https://ehr.example/fhir/Medication/mp/_history/3", "methylprednisolone"},
      {"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a", "acyclovir"},
      {"https://ehr.example/fhir/Medication/pred", "prednisone"},
      {"Medication/pred", "prednisone"},
      {"Medication/unknown", "<none>"},
      {"urn:uuid:00000000-0000-0000-0000-000000000000", "<none>"},
      {"Medication/", "<none>"},
      {"Medication", "<none>"},
      {"mp", "<none>"},
      {"Substance/mp", "<none>"},
      {"NotAMedication/mp", "<none>"},
      {"#mp", "<none>"},  // contained only, never the index
      {"", "<none>"},
  };
  for (const ReferenceCase& c : cases) {
    SCOPED_TRACE(c.reference);
    EXPECT_EQ(Resolve(index, c.reference), c.resolves_to);
  }
}

TEST(MedicationIndex, FirstMedicationAddedUnderANameWins) {
  MedicationIndex index;
  index.Add(Named("mp", "from the draft orders"), "urn:uuid:a");
  index.Add(Named("mp", "from the record"), "urn:uuid:a");
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(Resolve(index, "Medication/mp"), "from the draft orders");
  EXPECT_EQ(Resolve(index, "urn:uuid:a"), "from the draft orders");
}

TEST(MedicationIndex, FindAnswersNullForUnknownAndEmptyNames) {
  MedicationIndex index;
  EXPECT_EQ(index.Find(""), nullptr);
  EXPECT_EQ(index.Find("Medication/mp"), nullptr);
  index.Add(Named("", "anonymous"), "");  // reachable by no name at all
  EXPECT_EQ(index.Find(""), nullptr);
  EXPECT_EQ(index.Find("Medication/"), nullptr);
}

TEST(ResolveMedication, FindsAContainedMedicationById) {
  MedicationSource source;
  source.reference = "#b";
  source.contained = {Named("a", "first"), Named("b", "second")};
  const Medication* medication = ResolveMedication(source, MedicationIndex());
  ASSERT_NE(medication, nullptr);
  EXPECT_EQ(medication->code->text, "second");
}

TEST(ResolveMedication, DanglingOrEmptyContainedReferencesResolveToNothing) {
  MedicationSource source;
  source.contained = {Named("", "no id"), Named("a", "first")};
  MedicationIndex index;
  index.Add(Named("zzz", "in the index"), "");
  for (const char* reference : {"#zzz", "#", "#A", "", "# a"}) {
    SCOPED_TRACE(reference);
    source.reference = reference;
    EXPECT_EQ(ResolveMedication(source, index), nullptr);
  }
}

TEST(ResolveMedication, ACodeableConceptHasNothingToResolve) {
  MedicationSource source;
  source.coded = CodeableConcept{{{"", "6902", "methylprednisolone"}}, ""};
  EXPECT_EQ(ResolveMedication(source, MedicationIndex()), nullptr);
}

TEST(ResolveMedication, DraftOrderResolvesItsUrnUuidMedicationThroughTheBundle) {
  rapidjson::Document bundle = fixtures::LoadFixture("bundle/collection_draft_orders.json");
  MedicationIndex index;
  std::vector<MedicationRequest> requests;
  for (const BundleEntry& entry : BundleEntries(bundle)) {
    if (std::optional<Medication> medication = ParseMedication(*entry.resource)) {
      index.Add(std::move(*medication), entry.full_url);
    } else if (std::optional<MedicationRequest> request = ParseMedicationRequest(*entry.resource)) {
      requests.push_back(std::move(*request));
    }
  }
  EXPECT_EQ(index.size(), 3u);
  ASSERT_EQ(requests.size(), 1u);
  const Medication* medication = ResolveMedication(requests[0].medication, index);
  ASSERT_NE(medication, nullptr);
  EXPECT_EQ(medication->code->coding.at(0).code, "6902");
  EXPECT_NE(index.Find("http://ehr.example/fhir/Medication/acyclovir"), nullptr);
  EXPECT_NE(index.Find("Medication/acyclovir"), nullptr);
  EXPECT_NE(index.Find("Medication/lemtrada"), nullptr);
}

}  // namespace
}  // namespace steroid_advisor::fhir
