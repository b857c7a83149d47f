#include "plugin/hooks/hook_handler.h"

#include <rapidjson/document.h>

#include <chrono>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include "cards/evaluate.h"
#include "fhir/json_parse.h"
#include "plugin/hooks/card_writer.h"
#include "plugin/hooks/hook_request.h"
#include "plugin/hooks/medication_references.h"
#include "plugin/http/error_response.h"

namespace steroid_advisor::plugin {
namespace {

// Everything one hook call keeps alive while it waits on the FHIR server: the parsed body and
// fetched pages (the RuleInput points into both), and who to answer.
struct HookCall {
  const ServiceDefinition* service = nullptr;
  std::shared_ptr<const HandlerContext> context;
  Respond respond;
  bool may_fetch = false;
  rapidjson::Document document;
  HookRequest request;
  std::vector<RecordPartPages> record;
  std::vector<std::shared_ptr<const rapidjson::Document>> fetched_pages;
  cards::RuleInput input;
  // One deadline for every fetch of the call (record keys, then referenced Medications).
  std::chrono::steady_clock::time_point deadline{};
  RequestFacts facts;  // for the request log, filled in as the call goes
};

void Answer(HookCall& call, HttpResponse response) {
  call.facts.hook_instance = call.request.hook_instance;
  call.facts.hook = call.request.hook;
  response.facts = std::move(call.facts);
  Respond respond = std::move(call.respond);
  respond(std::move(response));
}

// The final catch of every step that runs after the handler returned.
void AnswerInternalError(HookCall& call, const char* what) {
  if (call.context->log != nullptr) call.context->log->LogError(call.context->request_id, what);
  Answer(call, ErrorResponse(InternalError("hook handler failed")));
}

RecordFetchRequest FetchRequestFor(const HookCall& call) {
  RecordFetchRequest fetch;
  fetch.fhir_server = call.request.fhir_server;
  if (call.request.fhir_authorization.has_value()) {
    fetch.access_token = call.request.fhir_authorization->access_token;
  }
  fetch.context["patientId"] = call.request.patient_id;
  fetch.context["userId"] = call.request.user_id;
  if (!call.request.encounter_id.empty()) fetch.context["encounterId"] = call.request.encounter_id;
  fetch.deadline = call.deadline;
  return fetch;
}

// Queues the cards for the feedback store (never blocks; see recorder.h).
void RecordShownCards(const std::vector<cards::Card>& cards,
                      const std::vector<std::string>& card_uuids, const ServiceDefinition& service,
                      const std::string& patient_id, FeedbackRecorder& recorder) {
  std::vector<ShownCard> shown;
  shown.reserve(cards.size());
  for (size_t i = 0; i < cards.size() && i < card_uuids.size(); ++i) {
    ShownCard card;
    card.card_uuid = card_uuids[i];
    card.service_id = std::string(service.id);
    card.rule = cards[i].rule_id;
    card.indicator = std::string(cards::IndicatorName(cards[i].indicator));
    shown.push_back(std::move(card));
  }
  recorder.RecordShownCards(patient_id, std::move(shown));
}

void EvaluateAndAnswer(HookCall& call) {
  const ServiceConfig& config = *call.context->config;
  if (!call.input.record.any_available() && cards::RecordNeeded(call.input, config.cards)) {
    return Answer(call, ErrorResponse(FailedPreconditionError(
                            "prefetch: the orders under review need the patient's medication "
                            "record, and neither prefetch nor fhirServer provided any of it")));
  }
  std::vector<cards::Card> cards = cards::EvaluateRules(call.input, config.cards);
  for (const cards::Card& card : cards) {
    std::string_view indicator = cards::IndicatorName(card.indicator);
    if (call.context->metrics != nullptr) call.context->metrics->CountCard(card.rule_id, indicator);
    if (!call.facts.cards.empty()) call.facts.cards += ',';
    call.facts.cards += card.rule_id;
    call.facts.cards += ':';
    call.facts.cards += indicator;
  }
  HttpResponse response;
  response.status = 200;
  response.headers["Content-Type"] = "application/json";
  if (call.context->feedback == nullptr || cards.empty()) {
    response.body = WriteCardsResponse(cards);
  } else {
    std::vector<std::string> card_uuids;
    response.body = WriteCardsResponse(cards, &card_uuids);
    RecordShownCards(cards, card_uuids, *call.service, call.request.patient_id,
                     *call.context->feedback);
  }
  Answer(call, std::move(response));
}

void AddFetchedMedications(HookCall& call, std::vector<FetchedKey> fetched) {
  for (FetchedKey& key : fetched) {
    if (!key.available) continue;
    for (std::shared_ptr<const rapidjson::Document>& page : key.pages) {
      if (page == nullptr) continue;
      AddMedications(*page, call.input.medications);
      call.fetched_pages.push_back(std::move(page));
    }
  }
}

// Reads the Medications that the orders and the record refer to and nobody sent, then
// evaluates. Without a FHIR server (or with nothing missing) it evaluates at once.
void ResolveMedicationsThenEvaluate(std::shared_ptr<HookCall> call) {
  std::vector<std::string> missing =
      UnresolvedMedicationIds(call->input, call->request.fhir_server);
  if (!call->may_fetch || missing.empty()) return EvaluateAndAnswer(*call);
  RecordFetchRequest fetch = FetchRequestFor(*call);
  fetch.queries.push_back({std::string(kReferencedMedicationsKey), MedicationSearch(missing)});
  call->context->fetcher->Fetch(std::move(fetch), [call](std::vector<FetchedKey> fetched) {
    try {
      AddFetchedMedications(*call, std::move(fetched));
      EvaluateAndAnswer(*call);
    } catch (const std::exception& e) {
      AnswerInternalError(*call, e.what());
    } catch (...) {
      AnswerInternalError(*call, "unknown exception after the medication fetch");
    }
  });
}

// Counts and logs the record fetch: "ok" when every key came, "partial", "unavailable" when
// none did, "shed" when the bulkhead refused the call.
void CountFetch(HookCall& call, const std::vector<FetchedKey>& fetched,
                std::chrono::steady_clock::time_point started) {
  size_t available = 0;
  bool shed = false;
  for (const FetchedKey& key : fetched) {
    if (key.available) ++available;
    shed = shed || key.shed;
  }
  const char* outcome = shed                          ? "shed"
                        : available == fetched.size() ? "ok"
                        : available == 0              ? "unavailable"
                                                      : "partial";
  call.facts.fetch = outcome;
  if (call.context->metrics == nullptr) return;
  std::chrono::duration<double> waited = std::chrono::steady_clock::now() - started;
  call.context->metrics->CountFhirFetch(outcome, waited.count());
}

// Adds the fetched keys to the record; true when a key was shed by the bulkhead (the call is
// then answered 503 rather than with cards that silently lack the record).
bool AddFetchedRecord(HookCall& call, std::vector<FetchedKey> fetched) {
  const std::vector<PrefetchKey>& keys = RecordPrefetchKeys();
  bool shed = false;
  for (FetchedKey& key : fetched) {
    shed = shed || key.shed;
    if (!key.available) continue;
    for (size_t i = 0; i < keys.size() && i < call.record.size(); ++i) {
      if (keys[i].key != key.key || call.record[i].available) continue;
      call.record[i].available = true;
      for (std::shared_ptr<const rapidjson::Document>& page : key.pages) {
        if (page == nullptr) continue;
        call.record[i].pages.push_back(page.get());
        call.fetched_pages.push_back(std::move(page));
      }
    }
  }
  return shed;
}

void BuildInputThenResolve(std::shared_ptr<HookCall> call) {
  call->input = BuildRuleInput(call->request, call->record, call->context->today);
  ResolveMedicationsThenEvaluate(std::move(call));
}

// The keys prefetch did not carry (absent, not null), fetched, then on to the rules.
void FetchRecordThenEvaluate(std::shared_ptr<HookCall> call) {
  RecordFetchRequest fetch = FetchRequestFor(*call);
  const std::vector<PrefetchKey>& keys = RecordPrefetchKeys();
  for (size_t i = 0; i < keys.size() && i < call->record.size(); ++i) {
    if (!call->record[i].available) {
      fetch.queries.push_back({std::string(keys[i].key), std::string(keys[i].prefetch_template)});
    }
  }
  if (!call->may_fetch || fetch.queries.empty()) return BuildInputThenResolve(std::move(call));
  const auto started = std::chrono::steady_clock::now();
  call->context->fetcher->Fetch(std::move(fetch), [call, started](std::vector<FetchedKey> fetched) {
    try {
      CountFetch(*call, fetched, started);
      if (AddFetchedRecord(*call, std::move(fetched))) {
        HttpResponse busy = ErrorResponse(UnavailableError(
            "fhirServer: too many calls are waiting on this FHIR server; retry shortly"));
        busy.headers["Retry-After"] = "1";
        return Answer(*call, std::move(busy));
      }
      BuildInputThenResolve(call);
    } catch (const std::exception& e) {
      AnswerInternalError(*call, e.what());
    } catch (...) {
      AnswerInternalError(*call, "unknown exception after the record fetch");
    }
  });
}

// Parses the request; nullptr after answering it when it is not valid.
std::shared_ptr<HookCall> StartCall(const HttpRequest& http_request,
                                    const ServiceDefinition& service,
                                    std::shared_ptr<const HandlerContext> context, Respond respond,
                                    bool offline) {
  auto call = std::make_shared<HookCall>();
  call->context = std::move(context);
  call->respond = std::move(respond);
  call->service = &service;
  call->facts.service = std::string(service.id);
  const ServiceConfig& config = *call->context->config;
  // A member named twice is refused (400 "duplicate member <path>"): which one counts would
  // otherwise depend on the parser, and the EHR's may have read the other.
  fhir::JsonParseOptions parse_options;
  parse_options.max_depth = config.server.max_json_depth;
  parse_options.reject_duplicate_members = true;
  Status parsed = fhir::ParseJson(http_request.body, parse_options, call->document);
  if (!parsed.ok()) {
    Answer(*call, ErrorResponse(parsed.WithPrefix("request body")));
    return nullptr;
  }
  StatusOr<HookRequest> request = ParseHookRequest(call->document, service);
  if (!request.ok()) {
    Answer(*call, ErrorResponse(request.status()));
    return nullptr;
  }
  call->request = *std::move(request);
  call->record = RecordFromPrefetch(call->request);
  call->may_fetch =
      !offline && call->context->fetcher != nullptr && !call->request.fhir_server.empty();
  if (call->may_fetch) {
    call->deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(config.fhir.total_timeout_ms);
  }
  return call;
}

}  // namespace

void HandleHook(const HttpRequest& http_request, const ServiceDefinition& service,
                std::shared_ptr<const HandlerContext> context, Respond respond) {
  std::shared_ptr<HookCall> call =
      StartCall(http_request, service, std::move(context), std::move(respond), false);
  if (call != nullptr) FetchRecordThenEvaluate(std::move(call));
}

HttpResponse HandleHookOffline(const HttpRequest& http_request, const ServiceDefinition& service,
                               const HandlerContext& context) {
  HttpResponse answer;
  Respond keep = [&answer](HttpResponse response) { answer = std::move(response); };
  std::shared_ptr<HookCall> call = StartCall(
      http_request, service, std::make_shared<HandlerContext>(context), std::move(keep), true);
  // Offline, every step runs on this thread: `answer` is set when this returns.
  if (call != nullptr) FetchRecordThenEvaluate(std::move(call));
  return answer;
}

}  // namespace steroid_advisor::plugin
