// evaluate_bench: the in-process cost of one CDS Hooks call, per request, through the plugin's
// own functions (no socket): JSON parse, request validation + RuleInput, rule evaluation, card
// serialization, each alone, and all of them together through HandleHook (the real path the
// HTTP server calls). Three requests (bench/make_fixtures.js): 0 small (one draft alemtuzumab
// order, empty record), 1 large (20 drafts, 200-entry record), 2 realistic (the body
// bench/load.sh posts: 2 drafts, 12-entry record, one card back).
// Run: build-bench/bench/evaluate_bench [--benchmark_filter=...]. Benchmarks, never tests.
#include <benchmark/benchmark.h>
#include <rapidjson/document.h>
#include <stdlib.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cards/evaluate.h"
#include "fhir/date.h"
#include "fhir/json_parse.h"
#include "plugin/config/service_config.h"
#include "plugin/config/services.h"
#include "plugin/feedback/recorder.h"
#include "plugin/feedback/sqlite_store.h"
#include "plugin/hooks/card_writer.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/hooks/hook_handler.h"
#include "plugin/hooks/hook_request.h"
#include "plugin/http/message.h"

namespace steroid_advisor::plugin {
namespace {

// A request body and the service it is posted to.
struct BenchRequest {
  std::string body;
  const ServiceDefinition* service;
};

BenchRequest Load(const std::string& name, std::string_view service_id) {
  std::ifstream file(std::string(STEROID_ADVISOR_SOURCE_DIR) + "/bench/data/" + name,
                     std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return {text.str(), FindService(service_id)};
}

const BenchRequest& Request(int which) {
  static const BenchRequest small = Load("order_select_small.json", "steroid-advisor-order-select");
  static const BenchRequest large = Load("order_sign_large.json", "steroid-advisor-order-sign");
  static const BenchRequest realistic =
      Load("order_select_realistic.json", "steroid-advisor-order-select");
  return which == 0 ? small : which == 1 ? large : realistic;
}

const char* RequestName(int which) {
  return which == 0 ? "small" : which == 1 ? "large" : "realistic";
}

// The day the fixtures were written for, so the cards do not drift with the calendar.
const fhir::Day kToday = fhir::DayFromCivil(2026, 11, 25);

HandlerContext Context() {
  HandlerContext context;
  context.config = DefaultServiceConfig();
  context.today = kToday;
  return context;
}

// Everything before the rules run, kept alive together (RuleInput borrows from the document).
struct Prepared {
  rapidjson::Document document;
  HookRequest request;
  std::vector<RecordPartPages> record;
};

bool Prepare(const BenchRequest& bench, Prepared& prepared, benchmark::State& state) {
  if (bench.service == nullptr || bench.body.empty() ||
      !fhir::ParseJson(bench.body, fhir::kDefaultMaxJsonDepth, prepared.document).ok()) {
    state.SkipWithError("fixture missing or unreadable");
    return false;
  }
  StatusOr<HookRequest> request = ParseHookRequest(prepared.document, *bench.service);
  if (!request.ok()) {
    state.SkipWithError(request.status().ToString().c_str());
    return false;
  }
  prepared.request = *std::move(request);
  prepared.record = RecordFromPrefetch(prepared.request);
  return true;
}

void SetLabel(benchmark::State& state) {
  state.SetLabel(RequestName(static_cast<int>(state.range(0))));
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations()) *
      static_cast<int64_t>(Request(static_cast<int>(state.range(0))).body.size()));
}

// JSON text -> rapidjson::Document (iterative parser with the depth cap, as the handler does).
void BM_ParseJson(benchmark::State& state) {
  const BenchRequest& bench = Request(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    rapidjson::Document document;
    Status parsed = fhir::ParseJson(bench.body, fhir::kDefaultMaxJsonDepth, document);
    benchmark::DoNotOptimize(parsed);
  }
  SetLabel(state);
}

// Document -> validated HookRequest -> RuleInput (FHIR model of drafts and record).
void BM_BuildRuleInput(benchmark::State& state) {
  const BenchRequest& bench = Request(static_cast<int>(state.range(0)));
  Prepared prepared;
  if (!Prepare(bench, prepared, state)) return;
  for (auto _ : state) {
    StatusOr<HookRequest> request = ParseHookRequest(prepared.document, *bench.service);
    std::vector<RecordPartPages> record = RecordFromPrefetch(*request);
    cards::RuleInput input = BuildRuleInput(*request, record, kToday);
    benchmark::DoNotOptimize(input);
  }
  SetLabel(state);
}

// RuleInput -> cards (every enabled rule of the default config).
void BM_EvaluateRules(benchmark::State& state) {
  const BenchRequest& bench = Request(static_cast<int>(state.range(0)));
  Prepared prepared;
  if (!Prepare(bench, prepared, state)) return;
  cards::RuleInput input = BuildRuleInput(prepared.request, prepared.record, kToday);
  std::shared_ptr<const ServiceConfig> config = DefaultServiceConfig();
  size_t card_count = 0;
  for (auto _ : state) {
    std::vector<cards::Card> cards = cards::EvaluateRules(input, config->cards);
    card_count = cards.size();
    benchmark::DoNotOptimize(cards);
  }
  state.counters["cards"] = static_cast<double>(card_count);
  SetLabel(state);
}

// Cards -> response JSON text.
void BM_WriteCardsResponse(benchmark::State& state) {
  const BenchRequest& bench = Request(static_cast<int>(state.range(0)));
  Prepared prepared;
  if (!Prepare(bench, prepared, state)) return;
  cards::RuleInput input = BuildRuleInput(prepared.request, prepared.record, kToday);
  std::vector<cards::Card> cards = cards::EvaluateRules(input, DefaultServiceConfig()->cards);
  size_t response_bytes = 0;
  for (auto _ : state) {
    std::string body = WriteCardsResponse(cards);
    response_bytes = body.size();
    benchmark::DoNotOptimize(body);
  }
  state.counters["response_bytes"] = static_cast<double>(response_bytes);
  SetLabel(state);
}

// The whole request through HandleHook, as the server calls it for a POST (minus the socket).
void BM_HandleHook(benchmark::State& state) {
  const BenchRequest& bench = Request(static_cast<int>(state.range(0)));
  if (bench.service == nullptr || bench.body.empty()) {
    state.SkipWithError("fixture missing");
    return;
  }
  HttpRequest http_request;
  http_request.method = "POST";
  http_request.path = "/cds-services/" + std::string(bench.service->id);
  http_request.headers["content-type"] = "application/json";
  http_request.body = bench.body;
  auto context = std::make_shared<const HandlerContext>(Context());
  int status = 0;
  for (auto _ : state) {
    // With prefetch and no fetcher the handler answers before it returns.
    HandleHook(http_request, *bench.service, context, [&status](HttpResponse response) {
      status = response.status;
      benchmark::DoNotOptimize(response);
    });
  }
  if (status != 200) state.SkipWithError("HandleHook did not answer 200");
  SetLabel(state);
}

// HandleHook with a FeedbackRecorder on a real SQLite store (in a fresh /tmp directory): the cost
// of recording the shown cards on the request path (building ShownCards, one queue push). The
// writer thread commits in the background on the other core; its time is not in this thread's
// CPU figure. "dropped" counts cards the queue could not take.
void BM_HandleHookRecordingShownCards(benchmark::State& state) {
  const BenchRequest& bench = Request(static_cast<int>(state.range(0)));
  char dir[] = "/tmp/steroid-advisor-bench-XXXXXX";
  if (bench.service == nullptr || bench.body.empty() || mkdtemp(dir) == nullptr) {
    state.SkipWithError("fixture or temporary directory missing");
    return;
  }
  StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(std::string(dir) + "/feedback.sqlite3");
  if (!store.ok() || !(*store)->Migrate().ok()) {
    state.SkipWithError("cannot open the SQLite store");
    return;
  }
  FeedbackRecorderOptions options;
  options.store = *std::move(store);
  options.hasher = PatientHasher("bench-key-bench-key-bench-key-bench-key");
  options.queue_capacity = 1'000'000;
  FeedbackRecorder recorder(std::move(options));
  recorder.Start();
  recorder.WaitForReady(std::chrono::seconds(10));
  HttpRequest http_request;
  http_request.method = "POST";
  http_request.path = "/cds-services/" + std::string(bench.service->id);
  http_request.headers["content-type"] = "application/json";
  http_request.body = bench.body;
  auto context = std::make_shared<HandlerContext>(Context());
  context->feedback = &recorder;
  int status = 0;
  for (auto _ : state) {
    // With prefetch and no fetcher the handler answers before it returns.
    HandleHook(http_request, *bench.service, context, [&status](HttpResponse response) {
      status = response.status;
      benchmark::DoNotOptimize(response);
    });
  }
  recorder.Stop();
  state.counters["dropped"] = static_cast<double>(recorder.dropped_shown_cards());
  if (std::system((std::string("rm -rf ") + dir).c_str()) != 0) state.SkipWithError("rm failed");
  if (status != 200) state.SkipWithError("HandleHook did not answer 200");
  SetLabel(state);
}

// The recording step alone, as hook_handler.cc does it for a 2-card answer: two ShownCards built
// and one RecordShownCards (a lock, a queue push, a notify). The writer runs on another thread.
void BM_RecordShownCards(benchmark::State& state) {
  char dir[] = "/tmp/steroid-advisor-bench-XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    state.SkipWithError("no temporary directory");
    return;
  }
  StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(std::string(dir) + "/feedback.sqlite3");
  if (!store.ok() || !(*store)->Migrate().ok()) {
    state.SkipWithError("cannot open the SQLite store");
    return;
  }
  FeedbackRecorderOptions options;
  options.store = *std::move(store);
  options.queue_capacity = 10'000'000;
  FeedbackRecorder recorder(std::move(options));
  recorder.Start();
  recorder.WaitForReady(std::chrono::seconds(10));
  const std::string uuid = "1d4b8a52-6a7e-4f6e-9d6e-0a4b1c2d3e4f";
  for (auto _ : state) {
    std::vector<ShownCard> cards(2);
    for (ShownCard& card : cards) {
      card.card_uuid = uuid;
      card.service_id = "steroid-advisor-order-select";
      card.rule = "steroid-premedication";
      card.indicator = "warning";
    }
    recorder.RecordShownCards("example-patient-id", std::move(cards));
  }
  recorder.Stop();
  state.counters["dropped"] = static_cast<double>(recorder.dropped_shown_cards());
  if (std::system((std::string("rm -rf ") + dir).c_str()) != 0) state.SkipWithError("rm failed");
}

BENCHMARK(BM_ParseJson)->DenseRange(0, 2);
BENCHMARK(BM_BuildRuleInput)->DenseRange(0, 2);
BENCHMARK(BM_EvaluateRules)->DenseRange(0, 2);
BENCHMARK(BM_WriteCardsResponse)->DenseRange(0, 2);
BENCHMARK(BM_HandleHook)->DenseRange(0, 2);
BENCHMARK(BM_HandleHookRecordingShownCards)->DenseRange(0, 2);
BENCHMARK(BM_RecordShownCards);

}  // namespace
}  // namespace steroid_advisor::plugin

BENCHMARK_MAIN();
