#include "plugin/hooks/medication_request_update.h"

#include <string>

namespace steroid_advisor::plugin {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

// The object member `key` of `object`, created (or replaced when of another type) as {}.
rapidjson::Value& ObjectMember(rapidjson::Value& object, const char* key, Allocator& allocator) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) {
    object.AddMember(rapidjson::Value(key, allocator), rapidjson::Value(rapidjson::kObjectType),
                     allocator);
    it = object.FindMember(key);
  } else if (!it->value.IsObject()) {
    it->value.SetObject();
  }
  return it->value;
}

void SetString(rapidjson::Value& object, const char* key, const std::string& text,
               Allocator& allocator) {
  object.RemoveMember(key);
  object.AddMember(rapidjson::Value(key, allocator), rapidjson::Value(text.c_str(), allocator),
                   allocator);
}

}  // namespace

std::optional<rapidjson::Document> UpdatedMedicationRequest(const fhir::JsonValue& original,
                                                            std::optional<fhir::Day> start,
                                                            std::optional<fhir::Day> end) {
  if (!original.IsObject()) return std::nullopt;
  rapidjson::Document copy;
  copy.CopyFrom(original, copy.GetAllocator());
  Allocator& allocator = copy.GetAllocator();
  // FHIR R4 MedicationRequest.category is 0..*: clients that send one CodeableConcept (the CDS
  // Hooks sandbox does) get a valid resource back, with it as the only element.
  if (auto category = copy.FindMember("category");
      category != copy.MemberEnd() && !category->value.IsArray()) {
    if (category->value.IsObject()) {
      rapidjson::Value list(rapidjson::kArrayType);
      list.PushBack(category->value, allocator);  // moves the object into the array
      category->value = list;
    } else {
      copy.RemoveMember("category");
    }
  }

  auto dosage_it = copy.FindMember("dosageInstruction");
  if (dosage_it == copy.MemberEnd() || !dosage_it->value.IsArray()) {
    copy.RemoveMember("dosageInstruction");
    copy.AddMember("dosageInstruction", rapidjson::Value(rapidjson::kArrayType), allocator);
    dosage_it = copy.FindMember("dosageInstruction");
  }
  rapidjson::Value& dosages = dosage_it->value;
  if (dosages.Empty()) dosages.PushBack(rapidjson::Value(rapidjson::kObjectType), allocator);
  rapidjson::Value& first = *dosages.Begin();
  if (!first.IsObject()) first.SetObject();
  rapidjson::Value& repeat =
      ObjectMember(ObjectMember(first, "timing", allocator), "repeat", allocator);

  std::optional<std::string> kept_start;
  if (auto bounds = repeat.FindMember("boundsPeriod");
      bounds != repeat.MemberEnd() && bounds->value.IsObject()) {
    if (auto old_start = bounds->value.FindMember("start");
        old_start != bounds->value.MemberEnd() && old_start->value.IsString()) {
      kept_start = std::string(old_start->value.GetString(), old_start->value.GetStringLength());
    }
  }
  for (const char* key : {"boundsDuration", "boundsRange", "boundsPeriod", "count", "countMax"}) {
    repeat.RemoveMember(key);
  }
  rapidjson::Value period(rapidjson::kObjectType);
  if (start.has_value()) {
    SetString(period, "start", fhir::FormatDay(*start), allocator);
  } else if (kept_start.has_value()) {
    SetString(period, "start", *kept_start, allocator);
  }
  if (end.has_value()) SetString(period, "end", fhir::FormatDay(*end), allocator);
  if (period.MemberCount() > 0) repeat.AddMember("boundsPeriod", period, allocator);
  return copy;
}

}  // namespace steroid_advisor::plugin
