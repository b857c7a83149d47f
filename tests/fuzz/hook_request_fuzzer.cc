// libFuzzer target: a hook request body all the way to the response JSON, as the hook handler
// runs it without a FHIR server: strict JSON parse (duplicate members refused) -> HookRequest
// for each service -> record from prefetch -> RuleInput -> cards -> response JSON, which must
// itself parse. A case file of tests/data/cases (the request under "request") is read as its
// request, so that corpus seeds this target as it is.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cards/evaluate.h"
#include "fhir/date.h"
#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "plugin/config/service_config.h"
#include "plugin/config/services.h"
#include "plugin/hooks/card_writer.h"
#include "plugin/hooks/hook_request.h"

using namespace steroid_advisor;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::shared_ptr<const plugin::ServiceConfig> config = plugin::DefaultServiceConfig();
  static const fhir::Day today = *fhir::ParseFhirDate("2026-11-24");

  std::string_view text(reinterpret_cast<const char*>(data), size);
  fhir::JsonParseOptions options;
  options.max_depth = config->server.max_json_depth;
  options.reject_duplicate_members = true;
  rapidjson::Document document;
  if (!fhir::ParseJson(text, options, document).ok()) return 0;
  const fhir::JsonValue* body = fhir::FindObject(document, "request");
  if (body == nullptr) body = &document;

  for (const plugin::ServiceDefinition& service : plugin::Services()) {
    StatusOr<plugin::HookRequest> request = plugin::ParseHookRequest(*body, service);
    if (!request.ok()) continue;
    std::vector<plugin::RecordPartPages> record = plugin::RecordFromPrefetch(*request);
    cards::RuleInput input = plugin::BuildRuleInput(*request, record, today);
    (void)cards::RecordNeeded(input, config->cards);
    std::vector<cards::Card> cards = cards::EvaluateRules(input, config->cards);
    std::string response = plugin::WriteCardsResponse(cards);
    rapidjson::Document written;
    if (!fhir::ParseJson(response, 256, written).ok()) std::abort();  // we wrote invalid JSON
  }
  return 0;
}
