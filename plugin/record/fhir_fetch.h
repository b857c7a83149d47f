// The FHIR fallback fetch: the parts of the patient's record that prefetch did not carry, read
// from the EHR's FHIR server (fhirServer + fhirAuthorization) with paging, one deadline per hook
// call, a per-server bulkhead and a short cache. Implements plugin::RecordFetcher (fetcher.h).
// Owns: a timer thread (one io_context) that ends fetches at their deadline, and the bulkhead
// counts; the RecordCache is the caller's.
// Thread-safety: FhirRecordFetcher is safe for concurrent Fetch calls from any thread.
//
// Which fhirServer may be fetched from (`fhir.allowlist`, a list of URL prefixes):
//   - fhirServer must be an absolute http(s) URL without user info; anything else: no fetch.
//   - An entry matches when fhirServer has the entry's scheme, host and port and its path is
//     the entry's path or below it on a '/' boundary ("https://ehr.example.org/fhir" matches
//     ".../fhir" and ".../fhir/r4", not ".../fhir-test" nor "https://ehr.example.org.evil.io").
//     Scheme and host compare case-insensitively; a missing port means 80/443.
//   - Non-empty list: only matching servers are fetched from.
//   - Empty list: any https server, and http only on loopback (localhost, 127.0.0.0/8, [::1]),
//     because a bearer token must not cross a network in clear. To allow a plain-http server
//     elsewhere, list it explicitly.
// A refused server means no request at all: every key is unavailable.
//
// Concurrency design: nothing ever waits. Each key is a chain of pplx continuations (GET page,
// check it, GET the next page...); a steady_timer on the fetcher's own io_context fires at the
// deadline, cancels what still runs and reports it unavailable. Whichever comes first (the last
// key or the timer) calls `done`, exactly once. cpprestsdk's per-operation timeout is set to what
// the deadline leaves, so it never ends a request before the deadline does.
// Bulkhead: at most fhir.maxInFlightPerServer fetches per origin (scheme, host, port) at once;
// a fetch beyond that gets every key unavailable and `shed`, at once, without a request.
#ifndef STEROID_ADVISOR_PLUGIN_RECORD_FHIR_FETCH_H_
#define STEROID_ADVISOR_PLUGIN_RECORD_FHIR_FETCH_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "plugin/config/service_config.h"
#include "plugin/ops/event_log.h"
#include "plugin/record/cache.h"
#include "plugin/record/fetcher.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace steroid_advisor::plugin {

// True when `fhir_server` may be fetched from under `allowlist` (semantics above).
bool IsFhirServerAllowed(std::string_view fhir_server, const std::vector<std::string>& allowlist);

class FhirRecordFetcher : public RecordFetcher {
 public:
  struct Options {
    // Read once at the start of every Fetch, so a config reload applies to the next request.
    // Required.
    std::function<FhirFetchConfig()> config;
    // Not owned; must outlive the fetcher. nullptr: no cache (as does cacheSeconds 0).
    RecordCache* cache = nullptr;
    // One line per key that could not be fetched (key and reason; never a URL, token or
    // body), an event log line of component "fhir_fetch". Not owned; nullptr logs nothing.
    std::ostream* log = nullptr;
    LogFormat log_format = LogFormat::kText;
    size_t max_body_bytes = 8 * 1024 * 1024;  // per page
    int max_json_depth = 64;
  };

  explicit FhirRecordFetcher(Options options);
  // Stops the timer thread; fetches still running end as at their deadline.
  ~FhirRecordFetcher() override;
  FhirRecordFetcher(const FhirRecordFetcher&) = delete;
  FhirRecordFetcher& operator=(const FhirRecordFetcher&) = delete;

  void Fetch(RecordFetchRequest request, FetchDone done) override;

  // Fetches in flight against `origin` ("http://127.0.0.1:8081"); for tests and metrics.
  int InFlight(const std::string& origin) const;

 private:
  class Call;

  // Starts one search chain per query of `request`, each reporting into `call`.
  void StartSearches(const std::shared_ptr<Call>& call, const RecordFetchRequest& request,
                     int64_t left_ms);
  void Log(std::string_view key, const Status& why);
  // Takes a bulkhead slot for `origin`; false when all `limit` are taken.
  bool Acquire(const std::string& origin, int limit);
  void Release(const std::string& origin);

  Options options_;
  std::unique_ptr<boost::asio::io_context> timers_;
  std::shared_ptr<void> timers_work_;  // keeps timers_ running until the destructor
  std::thread timer_thread_;
  EventLog events_;  // writes to options_.log
  mutable std::mutex bulkhead_mu_;
  std::map<std::string, int> in_flight_;  // guarded by bulkhead_mu_
  int active_calls_ = 0;                  // guarded by bulkhead_mu_
  std::condition_variable drained_;       // active_calls_ reached 0
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_RECORD_FHIR_FETCH_H_
