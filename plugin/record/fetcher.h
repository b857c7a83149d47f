// Fetching the parts of the patient's record that prefetch did not carry, from the EHR's FHIR
// server. Owns: nothing; this is the seam between the hook handler (which decides what is missing)
// and the FHIR fallback fetch (which knows how to talk to the FHIR server, cache and time out).
// Thread-safety: implementations must allow concurrent Fetch calls from any thread; a Fetch
// never blocks its caller on I/O, and its `done` may run on any thread.
#ifndef STEROID_ADVISOR_PLUGIN_RECORD_FETCHER_H_
#define STEROID_ADVISOR_PLUGIN_RECORD_FETCHER_H_

#include <rapidjson/document.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fhir/status.h"

namespace steroid_advisor::plugin {

// One prefetch key to fetch, with the template the service declared for it.
struct RecordQuery {
  std::string key;                // e.g. "medicationRequests"
  std::string prefetch_template;  // e.g. "MedicationRequest?patient={{context.patientId}}"
};

struct RecordFetchRequest {
  // context fhirServer as sent (the fetcher checks it against the allowlist)
  std::string fhir_server;
  std::string access_token;  // fhirAuthorization.access_token; may be empty; never logged
  // "patientId", "encounterId", "userId" (for template rendering)
  std::map<std::string, std::string> context;
  // only the keys that prefetch did not carry
  std::vector<RecordQuery> queries;
  // The hook call's one budget: every connect, page and key of this fetch (and of any later
  // fetch in the same call) ends by then. Default (epoch): now + fhir.totalTimeoutMs.
  std::chrono::steady_clock::time_point deadline{};
};

struct FetchedKey {
  std::string key;
  bool available = false;  // false: the rules that need this key make no card
  // Set when the fetch was refused because too many calls already wait on this FHIR server
  // (fhir.maxInFlightPerServer): the caller answers 503 rather than cards without the record.
  bool shed = false;
  Status why_unavailable;                                         // OK when available
  std::vector<std::shared_ptr<const rapidjson::Document>> pages;  // searchset Bundles, page order
};

// Receives one FetchedKey per query, in order. Called exactly once.
using FetchDone = std::function<void(std::vector<FetchedKey>)>;

class RecordFetcher {
 public:
  virtual ~RecordFetcher() = default;
  // Starts fetching every query in parallel and returns at once; `done` runs when all have
  // answered or the deadline has passed (keys still running are then unavailable), possibly
  // before Fetch returns (cache hits, a refused server). Never throws.
  virtual void Fetch(RecordFetchRequest request, FetchDone done) = 0;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_RECORD_FETCHER_H_
