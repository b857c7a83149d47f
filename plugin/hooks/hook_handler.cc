#include "plugin/hooks/hook_handler.h"

#include <rapidjson/document.h>

#include <memory>
#include <vector>

#include "cards/evaluate.h"
#include "fhir/json_parse.h"
#include "plugin/hooks/card_writer.h"
#include "plugin/hooks/hook_request.h"
#include "plugin/http/error_response.h"

namespace steroid_advisor::plugin {
namespace {

// Fills the parts of `record` that prefetch did not carry from the FHIR server. Fetched pages
// are kept alive in `fetched_pages` for as long as the RuleInput points into them.
void FetchMissingRecord(const HookRequest& request, const HandlerContext& context,
                        std::vector<RecordPartPages>& record,
                        std::vector<std::shared_ptr<const rapidjson::Document>>& fetched_pages) {
  if (context.fetcher == nullptr || request.fhir_server.empty()) return;
  RecordFetchRequest fetch;
  fetch.fhir_server = request.fhir_server;
  if (request.fhir_authorization.has_value()) {
    fetch.access_token = request.fhir_authorization->access_token;
  }
  fetch.context["patientId"] = request.patient_id;
  fetch.context["userId"] = request.user_id;
  if (!request.encounter_id.empty()) fetch.context["encounterId"] = request.encounter_id;
  const std::vector<PrefetchKey>& keys = RecordPrefetchKeys();
  for (size_t i = 0; i < keys.size() && i < record.size(); ++i) {
    if (!record[i].available) {
      fetch.queries.push_back({std::string(keys[i].key), std::string(keys[i].prefetch_template)});
    }
  }
  if (fetch.queries.empty()) return;

  std::vector<FetchedKey> fetched = context.fetcher->Fetch(fetch);
  for (FetchedKey& key : fetched) {
    if (!key.available) continue;
    for (size_t i = 0; i < keys.size() && i < record.size(); ++i) {
      if (keys[i].key != key.key || record[i].available) continue;
      record[i].available = true;
      for (std::shared_ptr<const rapidjson::Document>& page : key.pages) {
        if (page == nullptr) continue;
        record[i].pages.push_back(page.get());
        fetched_pages.push_back(std::move(page));
      }
    }
  }
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

}  // namespace

HttpResponse HandleHook(const HttpRequest& http_request, const ServiceDefinition& service,
                        const HandlerContext& context) {
  const ServiceConfig& config = *context.config;
  rapidjson::Document document;
  Status parsed = fhir::ParseJson(http_request.body, config.server.max_json_depth, document);
  if (!parsed.ok()) return ErrorResponse(parsed.WithPrefix("request body"));

  StatusOr<HookRequest> request = ParseHookRequest(document, service);
  if (!request.ok()) return ErrorResponse(request.status());

  std::vector<RecordPartPages> record = RecordFromPrefetch(*request);
  std::vector<std::shared_ptr<const rapidjson::Document>> fetched_pages;
  FetchMissingRecord(*request, context, record, fetched_pages);

  cards::RuleInput input = BuildRuleInput(*request, record, context.today);
  HttpResponse response;
  response.hook_instance = request->hook_instance;
  if (!input.record.any_available() && cards::RecordNeeded(input, config.cards)) {
    HttpResponse failed = ErrorResponse(FailedPreconditionError(
        "prefetch: the orders under review need the patient's medication record, and neither "
        "prefetch nor fhirServer provided any of it"));
    failed.hook_instance = request->hook_instance;
    return failed;
  }
  std::vector<cards::Card> cards = cards::EvaluateRules(input, config.cards);
  response.status = 200;
  response.headers["Content-Type"] = "application/json";
  if (context.feedback == nullptr || cards.empty()) {
    response.body = WriteCardsResponse(cards);
    return response;
  }
  std::vector<std::string> card_uuids;
  response.body = WriteCardsResponse(cards, &card_uuids);
  RecordShownCards(cards, card_uuids, service, request->patient_id, *context.feedback);
  return response;
}

}  // namespace steroid_advisor::plugin
