// The tolerance corpus: every medication example published with FHIR R4 (tests/data/fhir/
// r4-examples/, see its README) parses and goes through every model parser, and a few facts
// read from the files come out of the model as a clinician would read them.
#include <string>
#include <vector>

#include "fhir/bundle.h"
#include "fhir/json_parse.h"
#include "fhir/medication.h"
#include "fhir/medication_administration.h"
#include "fhir/medication_index.h"
#include "fhir/medication_request.h"
#include "fhir/medication_statement.h"
#include "fhir/resource.h"
#include "gtest/gtest.h"
#include "tests/fhir/every_parser_test_util.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

constexpr char kCorpus[] = "r4-examples";
constexpr char kRxNorm[] = "http://www.nlm.nih.gov/research/umls/rxnorm";

struct Loaded {
  rapidjson::Document document;
  std::optional<MedicationRequest> request;
  std::optional<MedicationAdministration> administration;
  std::optional<MedicationStatement> statement;
  std::optional<Medication> medication;
};

Loaded Load(const std::string& file) {
  Loaded loaded;
  loaded.document = fixtures::LoadFixture(std::string(kCorpus) + "/" + file);
  loaded.request = ParseMedicationRequest(loaded.document);
  loaded.administration = ParseMedicationAdministration(loaded.document);
  loaded.statement = ParseMedicationStatement(loaded.document);
  loaded.medication = ParseMedication(loaded.document);
  return loaded;
}

std::string FirstCode(const std::optional<CodeableConcept>& codeable) {
  if (!codeable || codeable->coding.empty()) return "";
  return codeable->coding.front().code;
}

TEST(R4Examples, CorpusHoldsEveryMedicationExample) {
  std::vector<std::string> files = fixtures::ListJsonFixtures(kCorpus);
  int requests = 0, administrations = 0, statements = 0, medications = 0, bundles = 0;
  for (const std::string& file : files) {
    requests += file.rfind("MedicationRequest-", 0) == 0;
    administrations += file.rfind("MedicationAdministration-", 0) == 0;
    statements += file.rfind("MedicationStatement-", 0) == 0;
    medications += file.rfind("Medication-", 0) == 0;
    bundles += file.rfind("Bundle-", 0) == 0;
  }
  EXPECT_EQ(requests, 40);
  EXPECT_EQ(administrations, 14);
  EXPECT_EQ(statements, 7);
  EXPECT_EQ(medications, 23);
  EXPECT_EQ(bundles, 2);
}

TEST(R4Examples, EveryFileParsesWithTheParserOfItsTypeAndNoOther) {
  std::vector<std::string> files = fixtures::ListJsonFixtures(kCorpus);
  ASSERT_FALSE(files.empty());
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    Loaded loaded = Load(file);
    ASSERT_TRUE(loaded.document.IsObject());
    // The package names each file <resourceType>-<id>.json.
    const std::string type = file.substr(0, file.find('-'));
    const std::string id = file.substr(type.size() + 1, file.size() - type.size() - 6);
    EXPECT_EQ(ResourceType(loaded.document), type);
    EXPECT_EQ(LocalReference(loaded.document), type + "/" + id);
    EXPECT_EQ(loaded.request.has_value(), type == "MedicationRequest");
    EXPECT_EQ(loaded.administration.has_value(), type == "MedicationAdministration");
    EXPECT_EQ(loaded.statement.has_value(), type == "MedicationStatement");
    EXPECT_EQ(loaded.medication.has_value(), type == "Medication");
    EXPECT_EQ(IsBundle(loaded.document), type == "Bundle");
    const std::string parsed_id = loaded.request          ? loaded.request->id
                                  : loaded.administration ? loaded.administration->id
                                  : loaded.statement      ? loaded.statement->id
                                  : loaded.medication     ? loaded.medication->id
                                                          : id;
    EXPECT_EQ(parsed_id, id);
    fixtures::ParseCounts counts = fixtures::ParseWithEveryParser(loaded.document);
    const int resources = counts.medication_requests + counts.medication_administrations +
                          counts.medication_statements + counts.medications;
    if (type == "Bundle") {
      EXPECT_GT(counts.bundle_entries, 0);
      EXPECT_GT(resources, 0);
    } else {
      EXPECT_EQ(resources, 1);
    }
  }
}

TEST(R4Examples, EveryContainedOrLocalMedicationReferenceResolves) {
  // The record side: all corpus Medications in one index, as if prefetched.
  MedicationIndex index;
  for (const std::string& file : fixtures::ListJsonFixtures(kCorpus)) {
    if (file.rfind("Medication-", 0) != 0) continue;
    Loaded loaded = Load(file);
    ASSERT_TRUE(loaded.medication.has_value()) << file;
    index.Add(std::move(*loaded.medication), "");
  }
  EXPECT_EQ(index.size(), 23u);
  int references = 0;
  for (const std::string& file : fixtures::ListJsonFixtures(kCorpus)) {
    SCOPED_TRACE(file);
    Loaded loaded = Load(file);
    const MedicationSource* source = nullptr;
    if (loaded.request) source = &loaded.request->medication;
    if (loaded.administration) source = &loaded.administration->medication;
    if (loaded.statement) source = &loaded.statement->medication;
    if (source == nullptr || source->reference.empty()) continue;
    ++references;
    EXPECT_NE(ResolveMedication(*source, index), nullptr) << source->reference;
  }
  EXPECT_EQ(references, 43);
}

TEST(R4Examples, Medrx0317OrdersContainedLemtrada) {
  Loaded loaded = Load("MedicationRequest-medrx0317.json");
  ASSERT_TRUE(loaded.request.has_value());
  const MedicationRequest& request = *loaded.request;
  EXPECT_EQ(request.status, "completed");
  EXPECT_EQ(request.intent, "order");
  EXPECT_EQ(request.subject_reference, "Patient/pat1");
  EXPECT_EQ(request.authored_on, ParseFhirDate("2015-01-15"));
  EXPECT_EQ(request.medication.reference, "#med0303");
  const Medication* medication = ResolveMedication(request.medication, MedicationIndex());
  ASSERT_NE(medication, nullptr);
  ASSERT_TRUE(medication->code.has_value());
  ASSERT_EQ(medication->code->coding.size(), 1u);
  EXPECT_EQ(medication->code->coding[0].system, kRxNorm);
  EXPECT_EQ(medication->code->coding[0].code, "1594660");
  EXPECT_EQ(DisplayName(*medication->code), "Alemtuzumab 10mg/ml (Lemtrada)");
  ASSERT_EQ(request.dosage_instructions.size(), 3u);
  const Dosage& first = request.dosage_instructions[0];
  EXPECT_EQ(FirstCode(first.route), "47625008");  // intravenous
  ASSERT_TRUE(first.dose_quantity.has_value());
  EXPECT_EQ(MassInMg(*first.dose_quantity), 3.0);
  ASSERT_TRUE(first.timing && first.timing->repeat);
  EXPECT_EQ(first.timing->repeat->frequency, 3.0);
  EXPECT_EQ(first.timing->repeat->period, 1.0);
  EXPECT_EQ(first.timing->repeat->period_unit, "wk");
}

TEST(R4Examples, Medrx0303IsAFiveDayPrednisoneCourseInTablets) {
  Loaded loaded = Load("MedicationRequest-medrx0303.json");
  ASSERT_TRUE(loaded.request.has_value());
  const Medication* medication = ResolveMedication(loaded.request->medication, MedicationIndex());
  ASSERT_NE(medication, nullptr);
  EXPECT_EQ(FirstCode(medication->code), "373994007");  // SNOMED prednisone 5 mg tablet
  ASSERT_EQ(loaded.request->dosage_instructions.size(), 3u);
  const Dosage& first = loaded.request->dosage_instructions[0];
  const TimingRepeat& repeat = *first.timing->repeat;
  EXPECT_EQ(repeat.bounds_period->start, ParseFhirDate("2015-01-16"));
  EXPECT_EQ(repeat.bounds_period->end, ParseFhirDate("2015-01-20"));
  ASSERT_TRUE(first.dose_quantity.has_value());
  EXPECT_EQ(first.dose_quantity->value, 4.0);
  EXPECT_FALSE(MassInMg(*first.dose_quantity).has_value());  // 4 TAB is not a mass
  EXPECT_EQ(DurationInDays(*loaded.request->expected_supply_duration), 21.0);
}

struct DoseFact {
  std::string file;
  std::optional<double> mg;  // of the first dosage instruction's dose
};

TEST(R4Examples, DosesReadAsMassesOnlyWhenTheyAreMasses) {
  const std::vector<DoseFact> facts = {
      {"MedicationRequest-medrx0306.json", 6},             // 6 mg
      {"MedicationRequest-medrx0312.json", 100},           // 100 mg
      {"MedicationRequest-medrx0314.json", 0.075},         // 75 mcg
      {"MedicationRequest-medrx0319.json", 4500},          // 4.5 g
      {"MedicationRequest-medrx0332.json", 500},           // 500 mg
      {"MedicationRequest-medrx0309.json", std::nullopt},  // 1000 mg/m2
      {"MedicationRequest-medrx0316.json", std::nullopt},  // 1.8 mg/kg
      {"MedicationRequest-medrx0322.json", std::nullopt},  // 20 mEq
      {"MedicationRequest-medrx0323.json", std::nullopt},  // 1000 mL
      {"MedicationRequest-medrx0330.json", std::nullopt},  // 1 OPDROP
  };
  for (const DoseFact& fact : facts) {
    SCOPED_TRACE(fact.file);
    Loaded loaded = Load(fact.file);
    ASSERT_TRUE(loaded.request.has_value());
    ASSERT_FALSE(loaded.request->dosage_instructions.empty());
    const Dosage& dosage = loaded.request->dosage_instructions[0];
    ASSERT_TRUE(dosage.dose_quantity.has_value());
    std::optional<double> mg = MassInMg(*dosage.dose_quantity);
    ASSERT_EQ(mg.has_value(), fact.mg.has_value());
    if (mg) {
      EXPECT_DOUBLE_EQ(*mg, *fact.mg);
    }
  }
}

TEST(R4Examples, TimingDetailsComeThrough) {
  Loaded count = Load("MedicationRequest-medrx0316.json");  // every 3 weeks, 16 times
  EXPECT_EQ(count.request->dosage_instructions[0].timing->repeat->count, 16.0);
  EXPECT_EQ(count.request->dosage_instructions[0].timing->repeat->period_unit, "wk");
  Loaded when = Load("MedicationRequest-medrx0321.json");  // before meals
  EXPECT_EQ(when.request->dosage_instructions[0].timing->repeat->when_count, 1);
  Loaded time_of_day = Load("MedicationRequest-medrx0335.json");  // 09:00
  EXPECT_EQ(time_of_day.request->dosage_instructions[0].timing->repeat->time_of_day_count, 1);
  Loaded code = Load("MedicationRequest-medrx0311.json");  // QD, no repeat
  EXPECT_EQ(FirstCode(code.request->dosage_instructions[0].timing->code), "QD");
  EXPECT_FALSE(code.request->dosage_instructions[0].timing->repeat.has_value());
  Loaded prn = Load("MedicationRequest-medrx0315.json");  // lorazepam as needed, mg/kg range
  const Dosage& dosage = prn.request->dosage_instructions[0];
  EXPECT_EQ(dosage.as_needed, true);
  ASSERT_TRUE(dosage.dose_range_low && dosage.dose_range_high);
  EXPECT_FALSE(MassInMg(*dosage.dose_range_low).has_value());
  EXPECT_EQ(dosage.dose_range_high->value, 0.1);
  Loaded range = Load("MedicationRequest-medrx0301.json");
  EXPECT_EQ(range.request->validity_period->start, ParseFhirDate("2015-01-15"));
  EXPECT_EQ(range.request->validity_period->end, ParseFhirDate("2016-01-15"));
  EXPECT_EQ(DurationInDays(*range.request->expected_supply_duration), 10.0);
}

TEST(R4Examples, Medrx002ResolvesItsMedicationFromTheRecord) {
  Loaded request = Load("MedicationRequest-medrx002.json");
  ASSERT_TRUE(request.request.has_value());
  EXPECT_EQ(request.request->medication.reference, "Medication/med0316");
  Loaded medication = Load("Medication-med0316.json");
  MedicationIndex index;
  index.Add(std::move(*medication.medication), "");
  const Medication* resolved = ResolveMedication(request.request->medication, index);
  ASSERT_NE(resolved, nullptr);
  EXPECT_EQ(DisplayName(*resolved->code), "Chlorthalidone 50mg tablet (product)");
}

TEST(R4Examples, AdministrationsKeepStatusPeriodAndDose) {
  Loaded in_progress = Load("MedicationAdministration-medadmin0301.json");
  ASSERT_TRUE(in_progress.administration.has_value());
  EXPECT_EQ(in_progress.administration->status, "in-progress");
  EXPECT_EQ(in_progress.administration->effective->start, ParseFhirDate("2015-01-15"));
  EXPECT_FALSE(in_progress.administration->effective->end.has_value());
  EXPECT_EQ(MassInMg(*in_progress.administration->dose), 500.0);
  EXPECT_EQ(FirstCode(in_progress.administration->route), "47625008");

  Loaded overnight = Load("MedicationAdministration-medadmin0309.json");
  EXPECT_EQ(overnight.administration->effective->start, ParseFhirDate("2015-01-15"));
  EXPECT_EQ(overnight.administration->effective->end, ParseFhirDate("2015-01-16"));

  Loaded in_error = Load("MedicationAdministration-medadmin0303.json");
  EXPECT_EQ(in_error.administration->status, "entered-in-error");
  EXPECT_EQ(MassInMg(*in_error.administration->dose), 4500.0);
}

TEST(R4Examples, ContainedIdsAreLocalToTheirResource) {
  // medadmin0303 contains its own "med0303", Zosyn, while the record's Medication/med0303 is
  // Lemtrada: "#med0303" must resolve inside the resource, whatever the index holds.
  Loaded lemtrada = Load("Medication-med0303.json");
  MedicationIndex index;
  index.Add(std::move(*lemtrada.medication), "");
  Loaded given = Load("MedicationAdministration-medadmin0303.json");
  ASSERT_EQ(given.administration->medication.reference, "#med0303");
  const Medication* contained = ResolveMedication(given.administration->medication, index);
  ASSERT_NE(contained, nullptr);
  EXPECT_EQ(FirstCode(contained->code), "0206-8862-02");  // NDC Zosyn 4.5 g
  ASSERT_NE(index.Find("Medication/med0303"), nullptr);
  EXPECT_EQ(FirstCode(index.Find("Medication/med0303")->code), "1594660");
}

TEST(R4Examples, StatementsKeepEffectiveDateAndAssertion) {
  Loaded taking = Load("MedicationStatement-example001.json");
  ASSERT_TRUE(taking.statement.has_value());
  EXPECT_EQ(taking.statement->status, "active");
  EXPECT_EQ(taking.statement->effective->start, ParseFhirDate("2015-01-23"));
  EXPECT_EQ(taking.statement->effective->end, ParseFhirDate("2015-01-23"));
  EXPECT_EQ(taking.statement->date_asserted, ParseFhirDate("2015-02-22"));
  ASSERT_EQ(taking.statement->dosage.size(), 1u);
  Loaded text_only = Load("MedicationStatement-example003.json");
  ASSERT_TRUE(text_only.statement && text_only.statement->medication.coded);
  EXPECT_TRUE(text_only.statement->medication.coded->coding.empty());
  EXPECT_EQ(DisplayName(*text_only.statement->medication.coded),
            "Little Pink Pill for water retention");
  Loaded in_error = Load("MedicationStatement-example005.json");
  EXPECT_EQ(in_error.statement->status, "entered-in-error");
}

TEST(R4Examples, MedicationsKeepFormIngredientsAndStrengths) {
  Loaded lemtrada = Load("Medication-med0303.json");
  ASSERT_TRUE(lemtrada.medication.has_value());
  EXPECT_EQ(FirstCode(lemtrada.medication->code), "1594660");
  EXPECT_EQ(FirstCode(lemtrada.medication->form), "385219001");  // injection solution
  ASSERT_EQ(lemtrada.medication->ingredients.size(), 1u);
  const MedicationIngredient& alemtuzumab = lemtrada.medication->ingredients[0];
  ASSERT_TRUE(alemtuzumab.item.has_value());
  EXPECT_EQ(alemtuzumab.item->coding.at(0).code, "129472003");
  ASSERT_TRUE(alemtuzumab.strength.has_value());
  EXPECT_EQ(MassInMg(*alemtuzumab.strength->numerator), 12.0);  // 12 mg per 1.2 mL
  EXPECT_EQ(VolumeInMl(*alemtuzumab.strength->denominator), 1.2);
  // Prednisone 5mg tablet: an itemReference ingredient, 5 mg per 1 TAB (orderableDrugForm).
  Loaded prednisone = Load("Medication-med0311.json");
  ASSERT_EQ(prednisone.medication->ingredients.size(), 1u);
  EXPECT_FALSE(prednisone.medication->ingredients[0].item.has_value());
  ASSERT_TRUE(prednisone.medication->ingredients[0].strength.has_value());
  EXPECT_EQ(prednisone.medication->ingredients[0].strength->denominator->code, "TAB");
  Loaded no_code = Load("Medication-med0317.json");
  EXPECT_FALSE(no_code.medication->code.has_value());
  EXPECT_EQ(no_code.medication->ingredients.size(), 2u);
}

TEST(R4Examples, SearchsetBundleResolvesItsIncludedMedication) {
  Loaded loaded = Load("Bundle-bundle-example.json");
  EXPECT_EQ(BundleType(loaded.document), "searchset");
  EXPECT_EQ(NextLink(loaded.document),
            "https://example.com/base/MedicationRequest?patient=347&searchId="
            "ff15fd40-ff71-4b48-b366-09c706bed9d0&page=2");
  fixtures::ParseCounts counts = fixtures::ParseWithEveryParser(loaded.document);
  EXPECT_EQ(counts.bundle_entries, 2);
  EXPECT_EQ(counts.medication_requests, 1);
  EXPECT_EQ(counts.medications, 1);
  EXPECT_EQ(counts.references_resolved, 1);  // Medication/example, included in the same page
}

TEST(R4Examples, DocumentBundleYieldsItsRequestAndStatement) {
  Loaded loaded = Load("Bundle-father.json");
  EXPECT_EQ(BundleType(loaded.document), "document");
  EXPECT_FALSE(NextLink(loaded.document).has_value());
  std::vector<BundleEntry> entries = BundleEntries(loaded.document);
  ASSERT_EQ(entries.size(), 8u);
  int found = 0;
  for (const BundleEntry& entry : entries) {
    if (std::optional<MedicationRequest> request = ParseMedicationRequest(*entry.resource)) {
      ++found;
      EXPECT_EQ(entry.full_url, "urn:uuid:124a6916-5d84-4b8c-b250-10cefb8e6e86");
      EXPECT_EQ(FirstCode(request->medication.coded), "66493003");
      EXPECT_EQ(DisplayName(*request->medication.coded), "Theophylline 200mg");
    }
    if (std::optional<MedicationStatement> statement = ParseMedicationStatement(*entry.resource)) {
      ++found;
      EXPECT_EQ(DisplayName(*statement->medication.coded), "Ventolin Inhaler");
    }
  }
  EXPECT_EQ(found, 2);
}

}  // namespace
}  // namespace steroid_advisor::fhir
