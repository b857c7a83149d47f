// The FHIR fallback fetch: the parts of the patient's record that prefetch did not carry, read
// from the EHR's FHIR server (fhirServer + fhirAuthorization) with paging, a hard total budget
// and a short cache. Implements plugin::RecordFetcher (record_fetcher.h).
// Owns: nothing long-lived but its options source; the RecordCache is the caller's.
// Thread-safety: FhirRecordFetcher is safe for concurrent Fetch calls.
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
// Concurrency design: each key is a chain of pplx continuations (GET page, check it, GET the
// next page...) in which no continuation ever blocks. Only the thread that called Fetch (the
// hook handler's) waits, on a condition variable with a deadline of fhir.totalTimeoutMs; at the
// deadline it cancels every request still running and answers with what has arrived. So even
// if every pool thread were busy in handlers, nothing waits forever: the worst case is keys
// reported unavailable at the deadline, never a deadlock (unlike when_all(...).wait() inside a
// continuation). Chains that outlive Fetch own their state through shared_ptr.
#ifndef STEROID_ADVISOR_PLUGIN_RECORD_FHIR_FETCH_H_
#define STEROID_ADVISOR_PLUGIN_RECORD_FHIR_FETCH_H_

#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/config/service_config.h"
#include "plugin/record/cache.h"
#include "plugin/record/fetcher.h"

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
    // body). Not owned; nullptr logs nothing.
    std::ostream* log = nullptr;
    size_t max_body_bytes = 8 * 1024 * 1024;  // per page
    int max_json_depth = 64;
  };

  explicit FhirRecordFetcher(Options options);

  std::vector<FetchedKey> Fetch(const RecordFetchRequest& request) override;

 private:
  void Log(std::string_view key, const Status& why);

  Options options_;
  std::mutex log_mu_;  // serializes whole lines on options_.log
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_RECORD_FHIR_FETCH_H_
