#include "plugin/hooks/card_writer.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "plugin/hooks/uuid.h"

namespace steroid_advisor::plugin {
namespace {

using fhir::FindArray;
using fhir::FindObject;
using fhir::FindString;
using fhir::JsonValue;

cards::ProposedMedicationRequest Methylprednisolone() {
  cards::ProposedMedicationRequest proposed;
  proposed.medication = {"http://www.nlm.nih.gov/research/umls/rxnorm", "6902",
                         "methylprednisolone"};
  proposed.medication_text = "methylprednisolone";
  proposed.route = {"http://snomed.info/sct", "47625008", "Intravenous route"};
  proposed.dosage_text = "1000 mg IV once daily for 3 days";
  proposed.dose_value = 1000;
  proposed.start = fhir::DayFromCivil(2026, 11, 25);
  proposed.end = fhir::DayFromCivil(2026, 11, 27);
  proposed.subject_reference = "Patient/p1";
  proposed.note = "Premedication before each alemtuzumab infusion.";
  return proposed;
}

cards::Card PremedicationCard() {
  cards::Card card;
  card.rule_id = "steroid-premedication";
  card.topic_display = "Corticosteroid premedication";
  card.variant = "missing";
  card.indicator = cards::Indicator::kWarning;
  card.summary = "No steroid premedication for alemtuzumab";
  card.detail = "**alemtuzumab** is ordered.";
  card.source_label = "LEMTRADA prescribing information";
  card.source_url = "https://example.org/lemtrada";
  card.override_reasons = {{"given-elsewhere", "Given elsewhere"}};
  card.links = {{"Label", "https://example.org/label"}};
  cards::Suggestion suggestion;
  suggestion.label = "Order methylprednisolone";
  suggestion.is_recommended = true;
  cards::Action action;
  action.type = cards::Action::Type::kCreate;
  action.description = "Add methylprednisolone 1000 mg IV";
  action.create = Methylprednisolone();
  suggestion.actions.push_back(action);
  card.suggestions.push_back(suggestion);
  return card;
}

rapidjson::Document ParseOrDie(const std::string& text) {
  rapidjson::Document document;
  Status status = fhir::ParseJson(text, 64, document);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return document;
}

// The first card of a written response.
const JsonValue& FirstCard(const rapidjson::Document& response) {
  static const JsonValue kNull;
  const JsonValue* cards = FindArray(response, "cards");
  if (cards == nullptr || fhir::ArrayView(cards).empty()) return kNull;
  return *fhir::ArrayView(cards).begin();
}

TEST(CardWriter, NoCardsIsAnEmptyCardsArray) {
  EXPECT_EQ(WriteCardsResponse({}), R"({"cards":[]})");
}

TEST(CardWriter, CardHasEveryRequiredField) {
  rapidjson::Document response = ParseOrDie(WriteCardsResponse({PremedicationCard()}));
  const JsonValue& card = FirstCard(response);
  EXPECT_TRUE(IsUuid(FindString(card, "uuid").value_or("")));
  EXPECT_EQ(FindString(card, "summary").value_or(""), "No steroid premedication for alemtuzumab");
  EXPECT_EQ(FindString(card, "detail").value_or(""), "**alemtuzumab** is ordered.");
  EXPECT_EQ(FindString(card, "indicator").value_or(""), "warning");
  EXPECT_EQ(FindString(card, "selectionBehavior").value_or(""), "at-most-one");
  const JsonValue* source = FindObject(card, "source");
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(FindString(*source, "label").value_or(""), "LEMTRADA prescribing information");
  EXPECT_EQ(FindString(*source, "url").value_or(""), "https://example.org/lemtrada");
  const JsonValue* topic = FindObject(*source, "topic");
  ASSERT_NE(topic, nullptr);
  EXPECT_EQ(FindString(*topic, "system").value_or(""), cards::kTopicSystem);
  EXPECT_EQ(FindString(*topic, "code").value_or(""), "steroid-premedication");
  EXPECT_EQ(FindString(*topic, "display").value_or(""), "Corticosteroid premedication");
  const JsonValue& reason = *fhir::Elements(card, "overrideReasons").begin();
  EXPECT_EQ(FindString(reason, "system").value_or(""), cards::kOverrideReasonSystem);
  EXPECT_EQ(FindString(reason, "code").value_or(""), "given-elsewhere");
  EXPECT_EQ(FindString(reason, "display").value_or(""), "Given elsewhere");
  const JsonValue& link = *fhir::Elements(card, "links").begin();
  EXPECT_EQ(FindString(link, "type").value_or(""), "absolute");
  const JsonValue* extension = FindObject(card, "extension");
  ASSERT_NE(extension, nullptr);
  EXPECT_EQ(FindString(*extension, kVariantExtension).value_or(""), "missing");
}

TEST(CardWriter, EveryControlCharacterIsEscapedInLongText) {
  // Text from the request (a drug's dosage text, say) can hold any control character once its
  // JSON escape is decoded. Long runs around them: a writer that scans 16 bytes at a time (as
  // RapidJSON's SSE2 path does, which missed U+001A..U+001F) must still escape each one.
  std::string controls;
  for (char c = 0; c < 0x20; ++c) controls.push_back(c);
  const std::string text = std::string(37, 'a') + controls + std::string(45, 'b') + controls;
  cards::Card card = PremedicationCard();
  card.detail = text;
  ASSERT_TRUE(card.suggestions[0].actions[0].create.has_value());
  card.suggestions[0].actions[0].create->dosage_text = text;

  const std::string written = WriteCardsResponse({card});
  for (char c : written) ASSERT_GE(static_cast<unsigned char>(c), 0x20) << "raw control byte";
  rapidjson::Document response = ParseOrDie(written);
  EXPECT_EQ(FindString(FirstCard(response), "detail").value_or(""), text);
  EXPECT_NE(written.find("\\u001B\\u001C\\u001D\\u001E\\u001F"), std::string::npos);
}

TEST(CardWriter, EmptyValuesAreLeftOut) {
  cards::Card card = PremedicationCard();
  card.detail.clear();
  card.source_url.clear();
  card.suggestions.clear();
  card.override_reasons.clear();
  card.links.clear();
  card.variant.clear();
  std::string text = WriteCardsResponse({card});
  for (const char* absent : {"detail", "\"url\"", "suggestions", "selectionBehavior",
                             "overrideReasons", "links", "extension", "null", "[]", "\"\""}) {
    SCOPED_TRACE(absent);
    EXPECT_EQ(text.find(absent), std::string::npos) << text;
  }
}

TEST(CardWriter, CreateSuggestionCarriesCompleteMedicationRequest) {
  rapidjson::Document response = ParseOrDie(WriteCardsResponse({PremedicationCard()}));
  const JsonValue& suggestion = *fhir::Elements(FirstCard(response), "suggestions").begin();
  EXPECT_TRUE(IsUuid(FindString(suggestion, "uuid").value_or("")));
  EXPECT_EQ(FindString(suggestion, "label").value_or(""), "Order methylprednisolone");
  EXPECT_EQ(fhir::FindBool(suggestion, "isRecommended"), std::optional<bool>(true));
  const JsonValue& action = *fhir::Elements(suggestion, "actions").begin();
  EXPECT_EQ(FindString(action, "type").value_or(""), "create");
  EXPECT_EQ(FindString(action, "description").value_or(""), "Add methylprednisolone 1000 mg IV");
  const JsonValue* resource = FindObject(action, "resource");
  ASSERT_NE(resource, nullptr);
  EXPECT_EQ(FindString(*resource, "resourceType").value_or(""), "MedicationRequest");
  EXPECT_EQ(FindString(*resource, "status").value_or(""), "draft");
  EXPECT_EQ(FindString(*resource, "intent").value_or(""), "order");
  EXPECT_EQ(FindString(*FindObject(*resource, "subject"), "reference").value_or(""), "Patient/p1");
  const JsonValue* medication = FindObject(*resource, "medicationCodeableConcept");
  ASSERT_NE(medication, nullptr);
  const JsonValue& coding = *fhir::Elements(*medication, "coding").begin();
  EXPECT_EQ(FindString(coding, "code").value_or(""), "6902");
  const JsonValue& dosage = *fhir::Elements(*resource, "dosageInstruction").begin();
  const JsonValue& route = *fhir::Elements(*FindObject(dosage, "route"), "coding").begin();
  EXPECT_EQ(FindString(route, "code").value_or(""), "47625008");
  const JsonValue* repeat = FindObject(*FindObject(dosage, "timing"), "repeat");
  ASSERT_NE(repeat, nullptr);
  EXPECT_EQ(fhir::FindNumber(*repeat, "frequency"), std::optional<double>(1));
  EXPECT_EQ(fhir::FindNumber(*repeat, "period"), std::optional<double>(1));
  EXPECT_EQ(FindString(*repeat, "periodUnit").value_or(""), "d");
  const JsonValue* bounds = FindObject(*repeat, "boundsPeriod");
  ASSERT_NE(bounds, nullptr);
  EXPECT_EQ(FindString(*bounds, "start").value_or(""), "2026-11-25");
  EXPECT_EQ(FindString(*bounds, "end").value_or(""), "2026-11-27");
  const JsonValue& dose_and_rate = *fhir::Elements(dosage, "doseAndRate").begin();
  const JsonValue* dose = FindObject(dose_and_rate, "doseQuantity");
  ASSERT_NE(dose, nullptr);
  EXPECT_EQ(fhir::FindNumber(*dose, "value"), std::optional<double>(1000));
  EXPECT_EQ(FindString(*dose, "system").value_or(""), "http://unitsofmeasure.org");
  EXPECT_EQ(FindString(*dose, "code").value_or(""), "mg");
  EXPECT_EQ(FindString(*fhir::Elements(*resource, "note").begin(), "text").value_or(""),
            "Premedication before each alemtuzumab infusion.");
  // Whole numbers stay whole on the wire.
  EXPECT_EQ(WriteCardsResponse({PremedicationCard()}).find("1000.0"), std::string::npos);
}

TEST(CardWriter, DurationWithStartBecomesBoundsPeriodEnd) {
  cards::Card card = PremedicationCard();
  cards::ProposedMedicationRequest& proposed = *card.suggestions[0].actions[0].create;
  proposed.end.reset();
  proposed.duration_value = 2;
  proposed.duration_unit = "mo";
  rapidjson::Document response = ParseOrDie(WriteCardsResponse({card}));
  const JsonValue& action =
      *fhir::Elements(*fhir::Elements(FirstCard(response), "suggestions").begin(), "actions")
           .begin();
  const JsonValue& dosage =
      *fhir::Elements(*FindObject(action, "resource"), "dosageInstruction").begin();
  const JsonValue* repeat = FindObject(*FindObject(dosage, "timing"), "repeat");
  EXPECT_EQ(FindObject(*repeat, "boundsDuration"), nullptr);
  EXPECT_EQ(FindString(*FindObject(*repeat, "boundsPeriod"), "end").value_or(""), "2027-01-24");
}

TEST(CardWriter, UpdateKeepsTheOriginalOrderAndReplacesItsBounds) {
  rapidjson::Document original =
      ParseOrDie(R"({"resourceType":"MedicationRequest","id":"draft-pred",
      "status":"draft","intent":"order","subject":{"reference":"Patient/p1"},
      "medicationCodeableConcept":{"text":"prednisone"},
      "dosageInstruction":[{"text":"40 mg daily","timing":{"repeat":{"count":42,"frequency":1,
        "period":1,"periodUnit":"d","boundsDuration":{"value":6,"unit":"wk"}}}},
        {"text":"second line kept"}]})");
  cards::Card card = PremedicationCard();
  cards::Action update;
  update.type = cards::Action::Type::kUpdate;
  update.description = "Shorten to 21 days";
  update.update_source = &original;
  update.new_start = fhir::DayFromCivil(2026, 11, 24);
  update.new_end = fhir::DayFromCivil(2026, 12, 14);
  card.suggestions[0].actions = {update};

  rapidjson::Document response = ParseOrDie(WriteCardsResponse({card}));
  const JsonValue& action =
      *fhir::Elements(*fhir::Elements(FirstCard(response), "suggestions").begin(), "actions")
           .begin();
  EXPECT_EQ(FindString(action, "type").value_or(""), "update");
  const JsonValue* resource = FindObject(action, "resource");
  ASSERT_NE(resource, nullptr);
  EXPECT_EQ(FindString(*resource, "id").value_or(""), "draft-pred");
  EXPECT_EQ(FindString(*resource, "status").value_or(""), "draft");
  ASSERT_EQ(fhir::Elements(*resource, "dosageInstruction").size(), 2u);
  const JsonValue& first = *fhir::Elements(*resource, "dosageInstruction").begin();
  EXPECT_EQ(FindString(first, "text").value_or(""), "40 mg daily");
  const JsonValue* repeat = FindObject(*FindObject(first, "timing"), "repeat");
  ASSERT_NE(repeat, nullptr);
  EXPECT_EQ(fhir::FindMember(*repeat, "count"), nullptr);
  EXPECT_EQ(fhir::FindMember(*repeat, "boundsDuration"), nullptr);
  EXPECT_EQ(fhir::FindNumber(*repeat, "frequency"), std::optional<double>(1));
  const JsonValue* bounds = FindObject(*repeat, "boundsPeriod");
  ASSERT_NE(bounds, nullptr);
  EXPECT_EQ(FindString(*bounds, "start").value_or(""), "2026-11-24");
  EXPECT_EQ(FindString(*bounds, "end").value_or(""), "2026-12-14");
  // The source document is untouched.
  EXPECT_NE(
      fhir::FindMember(
          *FindObject(*FindObject(*fhir::Elements(original, "dosageInstruction").begin(), "timing"),
                      "repeat"),
          "count"),
      nullptr);
}

TEST(CardWriter, UpdateWithoutIdIsLeftOutWithItsSuggestion) {
  rapidjson::Document original =
      ParseOrDie(R"({"resourceType":"MedicationRequest","status":"draft"})");
  cards::Card card = PremedicationCard();
  cards::Action update;
  update.type = cards::Action::Type::kUpdate;
  update.update_source = &original;
  update.new_end = fhir::DayFromCivil(2026, 12, 14);
  card.suggestions[0].actions = {update};
  std::string text = WriteCardsResponse({card});
  EXPECT_EQ(text.find("suggestions"), std::string::npos) << text;
  EXPECT_EQ(text.find("selectionBehavior"), std::string::npos) << text;
}

TEST(CardWriter, EveryCardAndSuggestionGetsItsOwnUuid) {
  rapidjson::Document response =
      ParseOrDie(WriteCardsResponse({PremedicationCard(), PremedicationCard()}));
  std::vector<std::string> uuids;
  for (const JsonValue& card : fhir::Elements(response, "cards")) {
    uuids.emplace_back(FindString(card, "uuid").value_or(""));
    for (const JsonValue& suggestion : fhir::Elements(card, "suggestions")) {
      uuids.emplace_back(FindString(suggestion, "uuid").value_or(""));
    }
  }
  ASSERT_EQ(uuids.size(), 4u);
  for (size_t i = 0; i < uuids.size(); ++i) {
    EXPECT_TRUE(IsUuid(uuids[i]));
    EXPECT_EQ(uuids[i][14], '7');  // version 7
    for (size_t j = i + 1; j < uuids.size(); ++j) EXPECT_NE(uuids[i], uuids[j]);
  }
}

}  // namespace
}  // namespace steroid_advisor::plugin
