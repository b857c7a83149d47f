#include "plugin/hooks/hook_request.h"

#include <set>
#include <string_view>

#include "fhir/bundle.h"
#include "fhir/json_access.h"
#include "fhir/medication.h"
#include "fhir/medication_administration.h"
#include "fhir/medication_request.h"
#include "fhir/medication_statement.h"
#include "fhir/resource.h"

namespace steroid_advisor::plugin {
namespace {

using fhir::JsonValue;

// "expected a Bundle, got an array": says what was wrong without the value itself.
std::string Got(const JsonValue& value) {
  std::string_view type = fhir::JsonTypeName(value);
  if (value.IsObject()) {
    return fhir::ResourceType(value).has_value() ? "got another resource type" : "got an object";
  }
  bool vowel = type == "object" || type == "array";
  return std::string(vowel ? "got an " : "got a ") + std::string(type);
}

Status Invalid(std::string path, std::string_view what) {
  return InvalidArgumentError(std::move(path) + ": " + std::string(what));
}

// A required non-empty string member of `object`.
StatusOr<std::string> RequiredString(const JsonValue& object, std::string_view key,
                                     const std::string& path) {
  const JsonValue* member = fhir::FindMember(object, key);
  if (member == nullptr || member->IsNull()) return Invalid(path, "required");
  std::optional<std::string_view> text = fhir::AsString(*member);
  if (!text.has_value()) return Invalid(path, "expected a string, " + Got(*member));
  if (text->empty()) return Invalid(path, "must not be empty");
  return std::string(*text);
}

// An optional string member: "" when absent.
StatusOr<std::string> OptionalString(const JsonValue& object, std::string_view key,
                                     const std::string& path) {
  const JsonValue* member = fhir::FindMember(object, key);
  if (member == nullptr) return std::string();
  std::optional<std::string_view> text = fhir::AsString(*member);
  if (!text.has_value()) return Invalid(path, "expected a string, " + Got(*member));
  return std::string(*text);
}

bool IsHttpUrl(std::string_view text) {
  auto starts = [&](std::string_view prefix) {
    return text.size() > prefix.size() && text.substr(0, prefix.size()) == prefix;
  };
  return starts("http://") || starts("https://");
}

Status ParseFhirAuthorization(const JsonValue& body, HookRequest& request) {
  const JsonValue* auth = fhir::FindMember(body, "fhirAuthorization");
  if (auth == nullptr || auth->IsNull()) return OkStatus();
  if (!auth->IsObject()) return Invalid("fhirAuthorization", "expected an object, " + Got(*auth));
  // CDS Hooks 2.0 (invariant cds-r-1): authorization without a server to use it on is an error.
  if (request.fhir_server.empty()) return Invalid("fhirAuthorization", "requires fhirServer");
  FhirAuthorization parsed;
  ASSIGN_OR_RETURN(parsed.access_token,
                   RequiredString(*auth, "access_token", "fhirAuthorization.access_token"));
  ASSIGN_OR_RETURN(parsed.token_type,
                   RequiredString(*auth, "token_type", "fhirAuthorization.token_type"));
  if (parsed.token_type != "Bearer" && parsed.token_type != "bearer") {
    return Invalid("fhirAuthorization.token_type", "expected \"Bearer\"");
  }
  // expires_in, scope and subject are REQUIRED in 2.0, but clients (and older sandboxes) omit
  // them and we do not need them: accept them missing, reject them only when of the wrong type.
  if (const JsonValue* expires = fhir::FindMember(*auth, "expires_in")) {
    if (!expires->IsNumber()) {
      return Invalid("fhirAuthorization.expires_in", "expected a number, " + Got(*expires));
    }
  }
  ASSIGN_OR_RETURN(parsed.scope, OptionalString(*auth, "scope", "fhirAuthorization.scope"));
  ASSIGN_OR_RETURN(parsed.subject, OptionalString(*auth, "subject", "fhirAuthorization.subject"));
  ASSIGN_OR_RETURN(std::string patient,
                   OptionalString(*auth, "patient", "fhirAuthorization.patient"));
  (void)patient;
  request.fhir_authorization = std::move(parsed);
  return OkStatus();
}

Status ParseDraftOrders(const JsonValue& context, HookRequest& request) {
  const JsonValue* draft_orders = fhir::FindMember(context, "draftOrders");
  if (draft_orders == nullptr || draft_orders->IsNull()) {
    return Invalid("context.draftOrders", "required");
  }
  if (!fhir::IsBundle(*draft_orders)) {
    return Invalid("context.draftOrders", "expected a Bundle, " + Got(*draft_orders));
  }
  request.draft_orders = draft_orders;
  return OkStatus();
}

Status ParseSelections(const JsonValue& context, HookRequest& request) {
  const JsonValue* selections = fhir::FindMember(context, "selections");
  if (selections == nullptr || selections->IsNull()) {
    return Invalid("context.selections", "required");
  }
  if (!selections->IsArray()) {
    return Invalid("context.selections", "expected an array of strings, " + Got(*selections));
  }
  size_t index = 0;
  for (const JsonValue& selection : fhir::ArrayView(selections)) {
    std::optional<std::string_view> text = fhir::AsString(selection);
    if (!text.has_value()) {
      return Invalid("context.selections[" + std::to_string(index) + "]",
                     "expected a string, " + Got(selection));
    }
    request.selections.emplace_back(*text);
    ++index;
  }
  return OkStatus();
}

Status ParseMedications(const JsonValue& context, HookRequest& request) {
  const JsonValue* medications = fhir::FindMember(context, "medications");
  if (medications == nullptr || medications->IsNull()) {
    return Invalid("context.medications", "required");
  }
  // Older clients send a plain array of MedicationRequest; newer ones a Bundle.
  if (!medications->IsArray() && !fhir::IsBundle(*medications)) {
    return Invalid("context.medications",
                   "expected a Bundle or an array of MedicationRequest, " + Got(*medications));
  }
  request.medications = medications;
  return OkStatus();
}

Status ParsePrefetch(const JsonValue& body, HookRequest& request) {
  const JsonValue* prefetch = fhir::FindMember(body, "prefetch");
  if (prefetch == nullptr || prefetch->IsNull()) return OkStatus();
  if (!prefetch->IsObject()) return Invalid("prefetch", "expected an object, " + Got(*prefetch));
  for (const auto& [key, value] : fhir::ObjectMembers(*prefetch)) {
    if (!value->IsObject() && !value->IsNull()) {
      // The key is one the client chose; it is a name, not a value, so naming it is safe, but
      // keep it bounded and printable.
      std::string name;
      for (char c : key.substr(0, 64)) name.push_back(c > ' ' && c < 127 ? c : '?');
      return Invalid("prefetch." + name, "expected a resource object or null, " + Got(*value));
    }
  }
  request.prefetch = prefetch;
  return OkStatus();
}

// The entries of a draft Bundle, or of a plain array of resources (legacy medications).
std::vector<fhir::BundleEntry> DraftEntries(const JsonValue& drafts) {
  if (!drafts.IsArray()) return fhir::BundleEntries(drafts);
  std::vector<fhir::BundleEntry> entries;
  for (const JsonValue& resource : fhir::ArrayView(&drafts)) {
    if (resource.IsObject()) entries.push_back({&resource, ""});
  }
  return entries;
}

}  // namespace

StatusOr<HookRequest> ParseHookRequest(const JsonValue& body, const ServiceDefinition& service) {
  if (!body.IsObject()) return Invalid("request body", "expected a JSON object, " + Got(body));
  HookRequest request;
  request.service = &service;
  ASSIGN_OR_RETURN(request.hook, RequiredString(body, "hook", "hook"));
  if (request.hook != service.hook) {
    return Invalid("hook", "this service answers " + std::string(service.hook));
  }
  ASSIGN_OR_RETURN(request.hook_instance, RequiredString(body, "hookInstance", "hookInstance"));
  ASSIGN_OR_RETURN(request.fhir_server, OptionalString(body, "fhirServer", "fhirServer"));
  if (!request.fhir_server.empty() && !IsHttpUrl(request.fhir_server)) {
    return Invalid("fhirServer", "expected an absolute http(s) URL");
  }
  RETURN_IF_ERROR(ParseFhirAuthorization(body, request));

  const JsonValue* context = fhir::FindMember(body, "context");
  if (context == nullptr || context->IsNull()) return Invalid("context", "required");
  if (!context->IsObject()) return Invalid("context", "expected an object, " + Got(*context));
  ASSIGN_OR_RETURN(request.user_id, RequiredString(*context, "userId", "context.userId"));
  ASSIGN_OR_RETURN(request.patient_id, RequiredString(*context, "patientId", "context.patientId"));
  ASSIGN_OR_RETURN(request.encounter_id,
                   OptionalString(*context, "encounterId", "context.encounterId"));
  switch (service.kind) {
    case HookKind::kOrderSelect:
      RETURN_IF_ERROR(ParseDraftOrders(*context, request));
      RETURN_IF_ERROR(ParseSelections(*context, request));
      break;
    case HookKind::kOrderSign:
      RETURN_IF_ERROR(ParseDraftOrders(*context, request));
      break;
    case HookKind::kMedicationPrescribe:
      RETURN_IF_ERROR(ParseMedications(*context, request));
      break;
    default:
      return InternalError("service kind not handled");
  }
  RETURN_IF_ERROR(ParsePrefetch(body, request));
  return request;
}

std::vector<RecordPartPages> RecordFromPrefetch(const HookRequest& request) {
  std::vector<RecordPartPages> record;
  for (const PrefetchKey& key : RecordPrefetchKeys()) {
    RecordPartPages part{key.part, false, {}};
    const JsonValue* value =
        request.prefetch != nullptr ? fhir::FindMember(*request.prefetch, key.key) : nullptr;
    if (value != nullptr && fhir::IsBundle(*value)) {
      part.available = true;
      part.pages.push_back(value);
    } else if (value != nullptr && value->IsNull()) {
      // CDS Hooks 2.0: a client with no data for a prefetch key sends null. That is the answer
      // (an empty record part), not a key to fetch again.
      part.available = true;
    }
    record.push_back(std::move(part));
  }
  return record;
}

cards::RuleInput BuildRuleInput(const HookRequest& request,
                                const std::vector<RecordPartPages>& record, fhir::Day today) {
  cards::RuleInput input;
  input.today = today;
  input.patient_reference = "Patient/" + request.patient_id;

  const JsonValue* drafts =
      request.service != nullptr && request.service->kind == HookKind::kMedicationPrescribe
          ? request.medications
          : request.draft_orders;
  bool review_all = request.service == nullptr || request.service->kind != HookKind::kOrderSelect;
  std::set<std::string_view> selections(request.selections.begin(), request.selections.end());
  std::set<std::string> draft_references;
  if (drafts != nullptr) {
    for (const fhir::BundleEntry& entry : DraftEntries(*drafts)) {
      if (std::optional<fhir::Medication> medication = fhir::ParseMedication(*entry.resource)) {
        input.medications.Add(*std::move(medication), entry.full_url);
        continue;
      }
      std::optional<fhir::MedicationRequest> order = fhir::ParseMedicationRequest(*entry.resource);
      if (!order.has_value()) continue;
      std::string reference = fhir::LocalReference(*entry.resource);
      bool selected = selections.count(reference) > 0 ||
                      (!entry.full_url.empty() && selections.count(entry.full_url) > 0);
      if (!reference.empty()) draft_references.insert(reference);
      (review_all || selected ? input.under_review : input.other_drafts)
          .push_back(*std::move(order));
    }
  }

  for (const RecordPartPages& part : record) {
    if (!part.available) continue;
    switch (part.part) {
      case RecordPart::kRequests:
        input.record.requests_available = true;
        break;
      case RecordPart::kAdministrations:
        input.record.administrations_available = true;
        break;
      case RecordPart::kStatements:
        input.record.statements_available = true;
        break;
      default:
        break;
    }
    for (const JsonValue* page : part.pages) {
      if (page == nullptr) continue;
      for (const fhir::BundleEntry& entry : fhir::BundleEntries(*page)) {
        const JsonValue& resource = *entry.resource;
        if (auto medication = fhir::ParseMedication(resource)) {
          input.medications.Add(*std::move(medication), entry.full_url);
        } else if (auto order = fhir::ParseMedicationRequest(resource)) {
          if (draft_references.count(fhir::LocalReference(resource)) == 0) {
            input.record.requests.push_back(*std::move(order));
          }
        } else if (auto administration = fhir::ParseMedicationAdministration(resource)) {
          input.record.administrations.push_back(*std::move(administration));
        } else if (auto statement = fhir::ParseMedicationStatement(resource)) {
          input.record.statements.push_back(*std::move(statement));
        }
      }
    }
  }
  return input;
}

}  // namespace steroid_advisor::plugin
