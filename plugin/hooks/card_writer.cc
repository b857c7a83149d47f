#include "plugin/hooks/card_writer.h"

#include <cmath>
#include <string_view>

#include "fhir/resource.h"
#include "plugin/hooks/medication_request_update.h"
#include "plugin/hooks/uuid.h"

namespace steroid_advisor::plugin {
namespace {

constexpr char kUcumSystem[] = "http://unitsofmeasure.org";

void String(JsonWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// `"key": "text"`, left out when the text is empty.
void OptionalMember(JsonWriter& writer, std::string_view key, std::string_view text) {
  if (text.empty()) return;
  String(writer, key);
  String(writer, text);
}

// Whole numbers as integers (1000, not 1000.0), others as decimals.
void Number(JsonWriter& writer, double value) {
  if (std::floor(value) == value && std::fabs(value) < 9.0e15) {
    writer.Int64(static_cast<int64_t>(value));
  } else {
    writer.Double(value);
  }
}

void WriteCoding(JsonWriter& writer, const fhir::Coding& coding) {
  writer.StartObject();
  OptionalMember(writer, "system", coding.system);
  OptionalMember(writer, "code", coding.code);
  OptionalMember(writer, "display", coding.display);
  writer.EndObject();
}

bool HasCoding(const fhir::Coding& coding) { return !coding.code.empty(); }

// {"value", "unit", "system", "code"} with a UCUM code.
void WriteUcumQuantity(JsonWriter& writer, double value, std::string_view ucum_code) {
  writer.StartObject();
  String(writer, "value");
  Number(writer, value);
  if (!ucum_code.empty()) {
    OptionalMember(writer, "unit", ucum_code);
    OptionalMember(writer, "system", kUcumSystem);
    OptionalMember(writer, "code", ucum_code);
  }
  writer.EndObject();
}

// The end day of a course of `value` `unit` starting on `start` (inclusive), when the unit is one
// of UCUM's calendar-free units we can count.
std::optional<fhir::Day> EndFromDuration(fhir::Day start, double value, std::string_view unit) {
  if (value <= 0) return std::nullopt;
  if (unit == "mo") return fhir::AddMonths(start, static_cast<int>(std::ceil(value))) - 1;
  if (unit == "a") return fhir::AddMonths(start, 12 * static_cast<int>(std::ceil(value))) - 1;
  double days_per_unit = unit == "d" ? 1 : unit == "wk" ? 7 : 0;
  if (days_per_unit == 0) return std::nullopt;
  return start + static_cast<fhir::Day>(std::ceil(value * days_per_unit)) - 1;
}

void WriteRepeat(JsonWriter& writer, const cards::ProposedMedicationRequest& proposed) {
  writer.StartObject();
  // bounds[x] is a choice: a period when a start is known (its end derived from the duration when
  // needed), else the duration alone.
  std::optional<fhir::Day> end = proposed.end;
  if (!end.has_value() && proposed.start.has_value() && proposed.duration_value.has_value()) {
    end = EndFromDuration(*proposed.start, *proposed.duration_value, proposed.duration_unit);
  }
  if (proposed.start.has_value() || end.has_value()) {
    String(writer, "boundsPeriod");
    writer.StartObject();
    if (proposed.start.has_value())
      OptionalMember(writer, "start", fhir::FormatDay(*proposed.start));
    if (end.has_value()) OptionalMember(writer, "end", fhir::FormatDay(*end));
    writer.EndObject();
  } else if (proposed.duration_value.has_value()) {
    String(writer, "boundsDuration");
    WriteUcumQuantity(writer, *proposed.duration_value, proposed.duration_unit);
  }
  String(writer, "frequency");
  writer.Int(proposed.frequency);
  String(writer, "period");
  Number(writer, proposed.period);
  OptionalMember(writer, "periodUnit", proposed.period_unit);
  writer.EndObject();
}

void WriteDosage(JsonWriter& writer, const cards::ProposedMedicationRequest& proposed) {
  writer.StartObject();
  OptionalMember(writer, "text", proposed.dosage_text);
  String(writer, "timing");
  writer.StartObject();
  String(writer, "repeat");
  WriteRepeat(writer, proposed);
  writer.EndObject();
  if (HasCoding(proposed.route)) {
    String(writer, "route");
    writer.StartObject();
    String(writer, "coding");
    writer.StartArray();
    WriteCoding(writer, proposed.route);
    writer.EndArray();
    OptionalMember(writer, "text", proposed.route.display);
    writer.EndObject();
  }
  if (proposed.dose_value > 0) {
    String(writer, "doseAndRate");
    writer.StartArray();
    writer.StartObject();
    String(writer, "doseQuantity");
    WriteUcumQuantity(writer, proposed.dose_value, proposed.dose_unit);
    writer.EndObject();
    writer.EndArray();
  }
  writer.EndObject();
}

void WriteUpdatedResource(JsonWriter& writer, const cards::Action& action) {
  std::optional<rapidjson::Document> updated =
      UpdatedMedicationRequest(*action.update_source, action.new_start, action.new_end);
  // IsWritableAction checked the source is an object, so the copy exists.
  if (updated.has_value()) updated->Accept(writer);
}

void WriteAction(JsonWriter& writer, const cards::Action& action) {
  writer.StartObject();
  String(writer, "type");
  String(writer, action.type == cards::Action::Type::kCreate ? "create" : "update");
  // description is REQUIRED for suggestion actions.
  String(writer, "description");
  String(writer, action.description.empty() ? std::string_view("Apply this change")
                                            : std::string_view(action.description));
  String(writer, "resource");
  if (action.type == cards::Action::Type::kCreate) {
    WriteProposedMedicationRequest(writer, *action.create);
  } else {
    WriteUpdatedResource(writer, action);
  }
  writer.EndObject();
}

}  // namespace

bool IsWritableAction(const cards::Action& action) {
  switch (action.type) {
    case cards::Action::Type::kCreate:
      return action.create.has_value();
    case cards::Action::Type::kUpdate:
      // An update without an id cannot be applied by the client.
      return action.update_source != nullptr && action.update_source->IsObject() &&
             fhir::FindString(*action.update_source, "id").value_or("") != "" &&
             fhir::ResourceType(*action.update_source).has_value();
    default:
      return false;
  }
}

void WriteProposedMedicationRequest(JsonWriter& writer,
                                    const cards::ProposedMedicationRequest& proposed) {
  writer.StartObject();
  OptionalMember(writer, "resourceType", "MedicationRequest");
  OptionalMember(writer, "status", "draft");
  OptionalMember(writer, "intent", "order");
  String(writer, "medicationCodeableConcept");
  writer.StartObject();
  if (HasCoding(proposed.medication)) {
    String(writer, "coding");
    writer.StartArray();
    WriteCoding(writer, proposed.medication);
    writer.EndArray();
  }
  std::string_view text =
      proposed.medication_text.empty() ? proposed.medication.display : proposed.medication_text;
  OptionalMember(writer, "text", text);
  writer.EndObject();
  String(writer, "subject");
  writer.StartObject();
  OptionalMember(writer, "reference", proposed.subject_reference);
  writer.EndObject();
  String(writer, "dosageInstruction");
  writer.StartArray();
  WriteDosage(writer, proposed);
  writer.EndArray();
  if (!proposed.note.empty()) {
    String(writer, "note");
    writer.StartArray();
    writer.StartObject();
    OptionalMember(writer, "text", proposed.note);
    writer.EndObject();
    writer.EndArray();
  }
  writer.EndObject();
}

bool WriteSuggestion(JsonWriter& writer, const cards::Suggestion& suggestion) {
  bool any_action = false;
  for (const cards::Action& action : suggestion.actions) any_action |= IsWritableAction(action);
  if (!any_action) return false;
  writer.StartObject();
  String(writer, "label");
  String(writer, suggestion.label.empty() ? std::string_view("Apply suggestion")
                                          : std::string_view(suggestion.label));
  String(writer, "uuid");
  String(writer, NewUuidV7());
  if (suggestion.is_recommended) {
    String(writer, "isRecommended");
    writer.Bool(true);
  }
  String(writer, "actions");
  writer.StartArray();
  for (const cards::Action& action : suggestion.actions) {
    if (IsWritableAction(action)) WriteAction(writer, action);
  }
  writer.EndArray();
  writer.EndObject();
  return true;
}

void WriteCard(JsonWriter& writer, const cards::Card& card, const std::string& uuid) {
  writer.StartObject();
  String(writer, "uuid");
  String(writer, uuid.empty() ? NewUuidV7() : uuid);
  String(writer, "summary");
  String(writer, card.summary.empty() ? std::string_view(card.topic_display)
                                      : std::string_view(card.summary));
  OptionalMember(writer, "detail", card.detail);
  String(writer, "indicator");
  String(writer, cards::IndicatorName(card.indicator));

  String(writer, "source");
  writer.StartObject();
  String(writer, "label");
  // label is REQUIRED; the config validates it non-empty, this keeps a bad build schema-valid.
  String(writer, card.source_label.empty() ? std::string_view("steroid-advisor")
                                           : std::string_view(card.source_label));
  OptionalMember(writer, "url", card.source_url);
  String(writer, "topic");
  writer.StartObject();
  OptionalMember(writer, "system", cards::kTopicSystem);
  OptionalMember(writer, "code", card.rule_id);
  OptionalMember(writer, "display", card.topic_display);
  writer.EndObject();
  writer.EndObject();

  bool any_suggestion = false;
  for (const cards::Suggestion& suggestion : card.suggestions) {
    for (const cards::Action& action : suggestion.actions)
      any_suggestion |= IsWritableAction(action);
  }
  if (any_suggestion) {
    String(writer, "suggestions");
    writer.StartArray();
    for (const cards::Suggestion& suggestion : card.suggestions)
      WriteSuggestion(writer, suggestion);
    writer.EndArray();
    // One choice among the suggestions: they are alternatives (e.g. shorten vs. add PJP).
    OptionalMember(writer, "selectionBehavior", "at-most-one");
  }

  if (!card.override_reasons.empty()) {
    String(writer, "overrideReasons");
    writer.StartArray();
    for (const cards::OverrideReason& reason : card.override_reasons) {
      WriteCoding(writer, {cards::kOverrideReasonSystem, reason.code, reason.display});
    }
    writer.EndArray();
  }
  if (!card.links.empty()) {
    String(writer, "links");
    writer.StartArray();
    for (const cards::Link& link : card.links) {
      writer.StartObject();
      OptionalMember(writer, "label", link.label);
      OptionalMember(writer, "url", link.url);
      OptionalMember(writer, "type", "absolute");
      writer.EndObject();
    }
    writer.EndArray();
  }
  if (!card.variant.empty()) {
    // Which case of the rule fired, for feedback analytics and tests: CDS Hooks has no field for
    // it, and `extension` is the spec's place for service-specific members.
    String(writer, "extension");
    writer.StartObject();
    OptionalMember(writer, kVariantExtension, card.variant);
    writer.EndObject();
  }
  writer.EndObject();
}

std::string WriteCardsResponse(const std::vector<cards::Card>& cards,
                               std::vector<std::string>* card_uuids) {
  // Two cards with their suggested orders are about 7 KB: start there rather than grow to it
  // from RapidJSON's 256 bytes through five reallocations.
  constexpr size_t kTypicalResponseBytes = 8 * 1024;
  rapidjson::StringBuffer buffer(nullptr, cards.empty() ? 64 : kTypicalResponseBytes);
  JsonWriter writer(buffer);
  writer.StartObject();
  String(writer, "cards");
  writer.StartArray();
  for (const cards::Card& card : cards) {
    if (card_uuids == nullptr) {
      WriteCard(writer, card);
      continue;
    }
    card_uuids->push_back(NewUuidV7());
    WriteCard(writer, card, card_uuids->back());
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace steroid_advisor::plugin
