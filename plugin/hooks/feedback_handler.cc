#include "plugin/hooks/feedback_handler.h"

#include <rapidjson/document.h>

#include <string>
#include <utility>
#include <vector>

#include "fhir/json_parse.h"
#include "plugin/feedback/timestamps.h"
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

// A validated entry as the store keeps it. outcome_at_ms stays 0 (the recorder then uses the
// time of receipt) when outcomeTimestamp is not a dateTime we can read.
FeedbackEntry EntryFromJson(const JsonValue& entry, const ServiceDefinition& service) {
  FeedbackEntry out;
  out.card_uuid = std::string(fhir::FindString(entry, "card").value_or(""));
  out.service_id = std::string(service.id);
  out.outcome = std::string(fhir::FindString(entry, "outcome").value_or(""));
  for (const JsonValue& suggestion : fhir::Elements(entry, "acceptedSuggestions")) {
    out.accepted_suggestions.emplace_back(fhir::FindString(suggestion, "id").value_or(""));
  }
  if (const JsonValue* reason = fhir::FindObject(entry, "overrideReason")) {
    if (const JsonValue* coding = fhir::FindObject(*reason, "reason")) {
      out.override_reason_system = std::string(fhir::FindString(*coding, "system").value_or(""));
      out.override_reason_code = std::string(fhir::FindString(*coding, "code").value_or(""));
      out.override_reason_display = std::string(fhir::FindString(*coding, "display").value_or(""));
    }
    out.user_comment = std::string(fhir::FindString(*reason, "userComment").value_or(""));
  }
  out.outcome_timestamp = std::string(fhir::FindString(entry, "outcomeTimestamp").value_or(""));
  out.outcome_at_ms = ParseInstantMs(out.outcome_timestamp).value_or(0);
  return out;
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

void HandleFeedback(const HttpRequest& request, const ServiceDefinition& service,
                    const HandlerContext& context, std::function<void(HttpResponse)> respond) {
  rapidjson::Document document;
  Status parsed = fhir::ParseJson(request.body, context.config->server.max_json_depth, document);
  if (!parsed.ok()) return respond(ErrorResponse(parsed.WithPrefix("request body")));
  Status valid = ValidateFeedback(document);
  if (!valid.ok()) return respond(ErrorResponse(valid));

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
  if (context.feedback == nullptr) {
    HttpResponse response;
    response.status = 200;
    return respond(std::move(response));
  }
  std::vector<FeedbackEntry> entries;
  for (const JsonValue& entry : fhir::Elements(document, "feedback")) {
    entries.push_back(EntryFromJson(entry, service));
  }
  context.feedback->SubmitFeedback(
      std::move(entries),
      [metrics = context.metrics, respond = std::move(respond)](Status committed) {
        if (metrics != nullptr)
          metrics->CountFeedbackWrite(committed.ok() ? "committed" : "rejected");
        if (committed.ok()) {
          HttpResponse response;
          response.status = 200;
          return respond(std::move(response));
        }
        // Queue full is a 503 too: the client did nothing wrong (413 is for its body).
        HttpResponse response = ErrorResponse(UnavailableError(committed.message()));
        response.headers["Retry-After"] = std::to_string(kFeedbackRetryAfterSeconds);
        respond(std::move(response));
      });
}

}  // namespace steroid_advisor::plugin
