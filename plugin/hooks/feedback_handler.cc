#include "plugin/hooks/feedback_handler.h"

#include <rapidjson/document.h>

#include <string>

#include "fhir/json_parse.h"
#include "plugin/hooks/uuid.h"
#include "plugin/http/error_response.h"

namespace steroid_advisor::plugin {
namespace {

using fhir::JsonValue;

Status Invalid(const std::string& path, std::string_view what) {
  return InvalidArgumentError(path + ": " + std::string(what));
}

Status ValidateEntry(const JsonValue& entry, const std::string& path) {
  if (!entry.IsObject()) return Invalid(path, "expected an object");
  std::optional<std::string_view> card = fhir::FindString(entry, "card");
  if (!card.has_value()) return Invalid(path + ".card", "required (the card uuid)");
  if (!IsUuid(*card)) return Invalid(path + ".card", "expected a card uuid");
  std::optional<std::string_view> outcome = fhir::FindString(entry, "outcome");
  if (!outcome.has_value()) return Invalid(path + ".outcome", "required");
  bool accepted = *outcome == "accepted";
  if (!accepted && *outcome != "overridden") {
    return Invalid(path + ".outcome", "expected \"accepted\" or \"overridden\"");
  }
  if (!fhir::FindString(entry, "outcomeTimestamp").has_value()) {
    return Invalid(path + ".outcomeTimestamp", "required");
  }
  const JsonValue* suggestions = fhir::FindMember(entry, "acceptedSuggestions");
  if (accepted && suggestions == nullptr) {
    return Invalid(path + ".acceptedSuggestions", "required when outcome is accepted");
  }
  if (suggestions != nullptr) {
    if (!suggestions->IsArray()) return Invalid(path + ".acceptedSuggestions", "expected an array");
    size_t index = 0;
    for (const JsonValue& suggestion : fhir::ArrayView(suggestions)) {
      std::string item = path + ".acceptedSuggestions[" + std::to_string(index++) + "]";
      std::optional<std::string_view> id = fhir::FindString(suggestion, "id");
      if (!id.has_value()) return Invalid(item + ".id", "required (the suggestion uuid)");
      if (!IsUuid(*id)) return Invalid(item + ".id", "expected a suggestion uuid");
    }
  }
  if (const JsonValue* reason = fhir::FindMember(entry, "overrideReason")) {
    std::string reason_path = path + ".overrideReason";
    if (!reason->IsObject()) return Invalid(reason_path, "expected an object");
    if (const JsonValue* coding = fhir::FindMember(*reason, "reason")) {
      if (!coding->IsObject()) return Invalid(reason_path + ".reason", "expected a Coding");
      if (!fhir::FindString(*coding, "code").has_value()) {
        return Invalid(reason_path + ".reason.code", "required");
      }
    }
    if (const JsonValue* comment = fhir::FindMember(*reason, "userComment")) {
      if (!comment->IsString()) return Invalid(reason_path + ".userComment", "expected a string");
    }
  }
  return OkStatus();
}

}  // namespace

Status ValidateFeedback(const JsonValue& body) {
  if (!body.IsObject()) return Invalid("request body", "expected a JSON object");
  const JsonValue* feedback = fhir::FindMember(body, "feedback");
  if (feedback == nullptr) return Invalid("feedback", "required");
  if (!feedback->IsArray()) return Invalid("feedback", "expected an array");
  if (feedback->Empty()) return Invalid("feedback", "must not be empty");
  size_t index = 0;
  for (const JsonValue& entry : fhir::ArrayView(feedback)) {
    RETURN_IF_ERROR(ValidateEntry(entry, "feedback[" + std::to_string(index++) + "]"));
  }
  return OkStatus();
}

HttpResponse HandleFeedback(const HttpRequest& request, const ServiceDefinition& service,
                            const HandlerContext& context) {
  rapidjson::Document document;
  Status parsed = fhir::ParseJson(request.body, context.config->server.max_json_depth, document);
  if (!parsed.ok()) return ErrorResponse(parsed.WithPrefix("request body"));
  Status valid = ValidateFeedback(document);
  if (!valid.ok()) return ErrorResponse(valid);

  if (context.log != nullptr) {
    for (const JsonValue& entry : fhir::Elements(document, "feedback")) {
      // Validated above: card is a uuid and outcome one of two words, so both are safe to log.
      std::string line = "service=" + std::string(service.id) +
                         " card=" + std::string(fhir::FindString(entry, "card").value_or("")) +
                         " outcome=" + std::string(fhir::FindString(entry, "outcome").value_or(""));
      for (const JsonValue& suggestion : fhir::Elements(entry, "acceptedSuggestions")) {
        line += " suggestion=" + std::string(fhir::FindString(suggestion, "id").value_or(""));
      }
      context.log->LogFeedback(context.request_id, line);
    }
  }
  HttpResponse response;
  response.status = 200;
  return response;
}

}  // namespace steroid_advisor::plugin
