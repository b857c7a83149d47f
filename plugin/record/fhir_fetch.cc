#include "plugin/record/fhir_fetch.h"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
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

// One Fetch: the keys' outcomes as they arrive, the deadline timer, and the bulkhead slot.
// Owned by the chains and the timer handler that report into it; whichever reports last, or
// the timer, completes it.
class FhirRecordFetcher::Call : public std::enable_shared_from_this<FhirRecordFetcher::Call> {
 public:
  Call(FhirRecordFetcher* owner, std::vector<FetchedKey> results, FetchDone done,
       std::string origin, boost::asio::io_context& timers)
      : owner_(owner),
        results_(std::move(results)),
        outcomes_(results_.size()),
        cache_keys_(results_.size()),
        remaining_(results_.size()),
        done_(std::move(done)),
        origin_(std::move(origin)),
        timers_(timers),
        timer_(std::make_unique<boost::asio::steady_timer>(timers)) {}

  FhirFetchConfig config;  // the snapshot the call started with
  pplx::cancellation_token_source cancel;

  // Where Complete() stores key `index`'s pages; keys without one (cache hits, no cache) are
  // not stored. Set before the key's search starts.
  void SetCacheKey(size_t index, std::string cache_key) {
    std::lock_guard<std::mutex> lock(mu_);
    cache_keys_[index] = std::move(cache_key);
  }

  void StartTimer(std::chrono::steady_clock::time_point deadline) {
    timer_->expires_at(deadline);
    std::weak_ptr<Call> weak = weak_from_this();
    timer_->async_wait([weak](const boost::system::error_code& error) {
      if (error) return;  // cancelled: the call completed first
      if (std::shared_ptr<Call> self = weak.lock()) self->Complete(/*at_deadline=*/true);
    });
  }

  void Finish(size_t index, SearchOutcome outcome) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (completed_ || outcomes_[index].has_value()) return;
      outcomes_[index] = std::move(outcome);
      if (--remaining_ > 0) return;
    }
    Complete(/*at_deadline=*/false);
  }

 private:
  void Complete(bool at_deadline) {
    std::vector<SearchOutcome> outcomes;
    std::vector<std::string> cache_keys;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (completed_) return;
      completed_ = true;
      cache_keys = std::move(cache_keys_);
      for (std::optional<SearchOutcome>& outcome : outcomes_) {
        outcomes.push_back(outcome.has_value() ? std::move(*outcome)
                                               : SearchOutcome(DeadlineExceededError(
                                                     "no complete answer within the deadline "
                                                     "(fhir.totalTimeoutMs)")));
      }
    }
    if (at_deadline) cancel.cancel();
    // The timer belongs to the fetcher's io_context, which the Call may outlive (a pplx
    // continuation can hold the last reference after the fetcher is gone): hand it to the
    // io_context's own thread, which cancels and destroys it while the fetcher still runs (the
    // fetcher's destructor waits for every call to complete, then for its thread to drain).
    boost::asio::post(timers_, [timer = std::move(timer_)] { timer->cancel(); });
    for (size_t i = 0; i < results_.size(); ++i) {
      if (!outcomes[i].ok()) {
        results_[i].why_unavailable = outcomes[i].status();
        owner_->Log(results_[i].key, outcomes[i].status());
        continue;
      }
      results_[i].available = true;
      results_[i].pages = *outcomes[i];
      if (!cache_keys[i].empty()) {
        owner_->options_.cache->Put(cache_keys[i], *outcomes[i],
                                    std::chrono::seconds(config.cache_seconds),
                                    static_cast<size_t>(config.cache_max_entries));
      }
    }
    if (!origin_.empty()) owner_->Release(origin_);
    FetchDone done = std::move(done_);
    try {
      done(std::move(results_));
    } catch (...) {
      // The caller's own final catch answers its request; nothing of ours to undo.
    }
  }

  FhirRecordFetcher* owner_;
  std::vector<FetchedKey> results_;
  std::mutex mu_;
  std::vector<std::optional<SearchOutcome>> outcomes_;  // guarded by mu_
  std::vector<std::string> cache_keys_;                 // guarded by mu_
  size_t remaining_;                                    // guarded by mu_
  bool completed_ = false;                              // guarded by mu_
  FetchDone done_;
  std::string origin_;  // "" when no bulkhead slot is held
  boost::asio::io_context& timers_;
  std::unique_ptr<boost::asio::steady_timer> timer_;  // moved to the io thread by Complete()
};

FhirRecordFetcher::FhirRecordFetcher(Options options)
    : options_(std::move(options)),
      timers_(std::make_unique<boost::asio::io_context>()),
      events_(options_.log, options_.log_format) {
  timers_work_ =
      std::make_shared<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
          timers_->get_executor());
  timer_thread_ = std::thread([this] { timers_->run(); });
}

FhirRecordFetcher::~FhirRecordFetcher() {
  // Every call ends by its deadline, which needs the timer thread: wait for them first.
  {
    std::unique_lock<std::mutex> lock(bulkhead_mu_);
    drained_.wait(lock, [this] { return active_calls_ == 0; });
  }
  // No stop(): run() returns once the posted timer hand-offs and cancelled waits have run.
  timers_work_.reset();
  if (timer_thread_.joinable()) timer_thread_.join();
}

void FhirRecordFetcher::Log(std::string_view key, const Status& why) {
  // A missing key means cards may lack what it would have told: worth a warning.
  events_.Write(LogLevel::kWarning, "fhir_fetch",
                "key=" + std::string(key) + " unavailable: " + why.ToString());
}

bool FhirRecordFetcher::Acquire(const std::string& origin, int limit) {
  std::lock_guard<std::mutex> lock(bulkhead_mu_);
  int& count = in_flight_[origin];
  if (count >= limit) return false;
  ++count;
  ++active_calls_;
  return true;
}

void FhirRecordFetcher::Release(const std::string& origin) {
  std::lock_guard<std::mutex> lock(bulkhead_mu_);
  auto it = in_flight_.find(origin);
  if (it != in_flight_.end() && --it->second <= 0) in_flight_.erase(it);
  if (--active_calls_ == 0) drained_.notify_all();
}

int FhirRecordFetcher::InFlight(const std::string& origin) const {
  std::lock_guard<std::mutex> lock(bulkhead_mu_);
  auto it = in_flight_.find(origin);
  return it == in_flight_.end() ? 0 : it->second;
}

void FhirRecordFetcher::Fetch(RecordFetchRequest request, FetchDone done) {
  std::vector<FetchedKey> results;
  results.reserve(request.queries.size());
  for (const RecordQuery& query : request.queries) {
    FetchedKey key;
    key.key = query.key;
    results.push_back(std::move(key));
  }
  if (results.empty()) {
    done(std::move(results));
    return;
  }
  // Every key unavailable for `why`, answered at once.
  auto refuse = [&](const Status& why, bool shed) {
    for (FetchedKey& key : results) {
      Log(key.key, why);
      key.why_unavailable = why;
      key.shed = shed;
    }
    done(std::move(results));
  };
  const FhirFetchConfig config = options_.config ? options_.config() : FhirFetchConfig();
  std::optional<fhir::HttpUrl> server = fhir::ParseHttpUrl(request.fhir_server);
  if (!server || !IsFhirServerAllowed(request.fhir_server, config.allowlist)) {
    return refuse(PermissionDeniedError("fhirServer not allowed by fhir.allowlist"), false);
  }
  const auto now = std::chrono::steady_clock::now();
  const auto deadline = request.deadline != std::chrono::steady_clock::time_point{}
                            ? request.deadline
                            : now + std::chrono::milliseconds(config.total_timeout_ms);
  const int64_t left_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
  if (left_ms <= 0) {
    return refuse(DeadlineExceededError("no time left in the call's deadline"), false);
  }
  const std::string origin = server->Origin();
  if (!Acquire(origin, config.max_in_flight_per_server)) {
    return refuse(UnavailableError("fhir.maxInFlightPerServer calls already wait on this server"),
                  true);
  }
  auto call = std::make_shared<Call>(this, std::move(results), std::move(done), origin, *timers_);
  call->config = config;
  call->StartTimer(deadline);
  try {
    StartSearches(call, request, left_ms);
  } catch (...) {
    // What started reports into `call`; every other key is unavailable now (Finish ignores
    // keys that already answered).
    for (size_t i = 0; i < request.queries.size(); ++i) {
      call->Finish(i, InternalError("fhir fetch: unexpected exception"));
    }
  }
}

void FhirRecordFetcher::StartSearches(const std::shared_ptr<Call>& call,
                                      const RecordFetchRequest& request, int64_t left_ms) {
  const FhirFetchConfig& config = call->config;
  FhirTransportOptions transport;
  // cpprestsdk's one timeout covers each network operation; what the deadline leaves is the
  // longest any of them may take, so it never ends a request the deadline would have kept.
  transport.operation_timeout_ms = static_cast<int>(std::min<int64_t>(left_ms, 600000));
  transport.verify_tls = config.verify_tls;
  transport.max_body_bytes = options_.max_body_bytes;
  auto client = std::make_shared<CpprestFhirClient>(request.access_token, transport);
  fhir::SearchPagingOptions paging;
  paging.max_pages = config.max_pages;
  paging.max_json_depth = options_.max_json_depth;
  const bool use_cache =
      options_.cache != nullptr && config.cache_seconds > 0 && config.cache_max_entries > 0;

  for (size_t i = 0; i < request.queries.size(); ++i) {
    StatusOr<std::string> relative =
        fhir::RenderPrefetchTemplate(request.queries[i].prefetch_template, request.context);
    if (!relative.ok()) {
      call->Finish(i, relative.status());
      continue;
    }
    std::string url = fhir::JoinFhirUrl(request.fhir_server, *relative);
    if (use_cache) {
      std::string cache_key = RecordCache::Key(request.fhir_server, url, request.access_token);
      if (std::optional<Pages> cached = options_.cache->Get(cache_key)) {
        call->Finish(i, std::move(*cached));
        continue;
      }
      call->SetCacheKey(i, std::move(cache_key));
    }
    auto pager = std::make_shared<fhir::SearchPager>(request.fhir_server, std::move(url), paging);
    RunSearch(client, pager, call->cancel.get_token())
        .then([call, i](pplx::task<SearchResult> done) {
          try {
            call->Finish(i, done.get().value);
          } catch (...) {
            call->Finish(i, InternalError("fhir fetch: search task failed"));
          }
        });
  }
}

}  // namespace steroid_advisor::plugin
