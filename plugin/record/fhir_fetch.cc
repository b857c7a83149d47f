#include "plugin/record/fhir_fetch.h"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <optional>
#include <utility>

#include "fhir/fhir_client.h"
#include "fhir/prefetch_template.h"
#include "fhir/search_paging.h"
#include "plugin/record/cpprest_fhir_client.h"

namespace steroid_advisor::plugin {
namespace {

using Pages = std::vector<fhir::SearchPage>;
using SearchOutcome = StatusOr<Pages>;
using SearchResult = TaskResult<Pages>;

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  // 127.0.0.0/8 written as a dotted quad.
  if (host.substr(0, 4) != "127.") return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

// One entry of the allowlist against the parsed fhirServer: same origin, path on a boundary.
bool MatchesEntry(const fhir::HttpUrl& server, std::string_view entry) {
  std::optional<fhir::HttpUrl> allowed = fhir::ParseHttpUrl(entry);
  if (!allowed) return false;
  // IsUnderBase compares scheme, host, port and the path on a '/' boundary.
  return fhir::IsUnderBase(server.Origin() + server.path, entry);
}

// What the chains of one Fetch report into, and what the waiting thread reads. Shared with
// chains that may finish after Fetch has returned.
class FetchState {
 public:
  explicit FetchState(size_t keys) : outcomes_(keys), remaining_(keys) {}

  void Finish(size_t index, SearchOutcome outcome) {
    std::lock_guard<std::mutex> lock(mu_);
    if (outcomes_[index].has_value()) return;
    outcomes_[index] = std::move(outcome);
    if (--remaining_ == 0) done_.notify_all();
  }

  // True when every key finished before `deadline`.
  bool WaitUntil(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    return done_.wait_until(lock, deadline, [this] { return remaining_ == 0; });
  }

  // The outcomes so far; keys still running are marked as past the deadline, and later
  // reports for them are ignored.
  std::vector<SearchOutcome> Close() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<SearchOutcome> outcomes;
    outcomes.reserve(outcomes_.size());
    for (std::optional<SearchOutcome>& outcome : outcomes_) {
      if (!outcome.has_value()) {
        outcome =
            SearchOutcome(DeadlineExceededError("no complete answer within fhir.totalTimeoutMs"));
        --remaining_;
      }
      outcomes.push_back(*outcome);
    }
    return outcomes;
  }

 private:
  std::mutex mu_;
  std::condition_variable done_;
  std::vector<std::optional<SearchOutcome>> outcomes_;  // guarded by mu_
  size_t remaining_;                                    // guarded by mu_
};

// GET the pager's next page, feed it back, repeat: each step is a continuation that returns
// the next step's task, so no thread waits on the network.
pplx::task<SearchResult> RunSearch(std::shared_ptr<CpprestFhirClient> client,
                                   std::shared_ptr<fhir::SearchPager> pager,
                                   pplx::cancellation_token cancel) {
  if (pager->done()) return pplx::task_from_result(SearchResult{pager->Result()});
  return client->GetAsync(*pager->next_url(), cancel)
      .then([client, pager, cancel](pplx::task<FhirGetResult> page) {
        try {
          pager->Accept(page.get().value);
        } catch (...) {
          pager->Accept(InternalError("fhir fetch: page task failed"));
        }
        return RunSearch(client, pager, cancel);
      });
}

}  // namespace

bool IsFhirServerAllowed(std::string_view fhir_server, const std::vector<std::string>& allowlist) {
  std::optional<fhir::HttpUrl> server = fhir::ParseHttpUrl(fhir_server);
  if (!server) return false;
  if (allowlist.empty()) return server->scheme == "https" || IsLoopbackHost(server->host);
  for (const std::string& entry : allowlist) {
    if (MatchesEntry(*server, entry)) return true;
  }
  return false;
}

FhirRecordFetcher::FhirRecordFetcher(Options options) : options_(std::move(options)) {}

void FhirRecordFetcher::Log(std::string_view key, const Status& why) {
  if (options_.log == nullptr) return;
  std::lock_guard<std::mutex> lock(log_mu_);
  *options_.log << "fhir_fetch key=" << key << " unavailable: " << why.ToString() << '\n';
  options_.log->flush();
}

std::vector<FetchedKey> FhirRecordFetcher::Fetch(const RecordFetchRequest& request) {
  std::vector<FetchedKey> results;
  results.reserve(request.queries.size());
  for (const RecordQuery& query : request.queries) results.push_back({query.key, false, {}});
  if (results.empty()) return results;
  try {
    const FhirFetchConfig config = options_.config ? options_.config() : FhirFetchConfig();
    if (!IsFhirServerAllowed(request.fhir_server, config.allowlist)) {
      for (const FetchedKey& key : results) {
        Log(key.key, PermissionDeniedError("fhirServer not allowed by fhir.allowlist"));
      }
      return results;
    }
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(config.total_timeout_ms);
    FhirTransportOptions transport;
    transport.connect_timeout_ms = config.connect_timeout_ms;
    transport.total_timeout_ms = config.total_timeout_ms;
    transport.verify_tls = config.verify_tls;
    transport.max_body_bytes = options_.max_body_bytes;
    auto client = std::make_shared<CpprestFhirClient>(request.access_token, transport);
    fhir::SearchPagingOptions paging;
    paging.max_pages = config.max_pages;
    paging.max_json_depth = options_.max_json_depth;
    const bool use_cache =
        options_.cache != nullptr && config.cache_seconds > 0 && config.cache_max_entries > 0;

    auto state = std::make_shared<FetchState>(results.size());
    pplx::cancellation_token_source cancel;
    std::vector<std::string> cache_keys(results.size());
    std::vector<bool> from_cache(results.size(), false);
    for (size_t i = 0; i < request.queries.size(); ++i) {
      StatusOr<std::string> relative =
          fhir::RenderPrefetchTemplate(request.queries[i].prefetch_template, request.context);
      if (!relative.ok()) {
        state->Finish(i, relative.status());
        continue;
      }
      std::string url = fhir::JoinFhirUrl(request.fhir_server, *relative);
      if (use_cache) {
        cache_keys[i] = RecordCache::Key(request.fhir_server, url, request.access_token);
        if (std::optional<Pages> cached = options_.cache->Get(cache_keys[i])) {
          from_cache[i] = true;
          state->Finish(i, std::move(*cached));
          continue;
        }
      }
      auto pager = std::make_shared<fhir::SearchPager>(request.fhir_server, std::move(url), paging);
      RunSearch(client, pager, cancel.get_token()).then([state, i](pplx::task<SearchResult> done) {
        try {
          state->Finish(i, done.get().value);
        } catch (...) {
          state->Finish(i, InternalError("fhir fetch: search task failed"));
        }
      });
    }
    if (!state->WaitUntil(deadline)) cancel.cancel();

    std::vector<SearchOutcome> outcomes = state->Close();
    for (size_t i = 0; i < results.size(); ++i) {
      if (!outcomes[i].ok()) {
        Log(results[i].key, outcomes[i].status());
        continue;
      }
      results[i].available = true;
      results[i].pages = *outcomes[i];
      if (use_cache && !from_cache[i]) {
        options_.cache->Put(cache_keys[i], *outcomes[i], std::chrono::seconds(config.cache_seconds),
                            static_cast<size_t>(config.cache_max_entries));
      }
    }
    return results;
  } catch (const std::exception&) {
    // Never throws (record_fetcher.h): a failure here makes every key unavailable.
  } catch (...) {
  }
  for (FetchedKey& key : results) {
    key.available = false;
    key.pages.clear();
    Log(key.key, InternalError("fhir fetch: unexpected exception"));
  }
  return results;
}

}  // namespace steroid_advisor::plugin
