// Fetching the parts of the patient's record that prefetch did not carry, from the EHR's FHIR
// server. Owns: nothing; this is the seam between the hook handler (which decides what is missing)
// and the FHIR fallback fetch (which knows how to talk to the FHIR server, cache and time out).
// Thread-safety: implementations must allow concurrent Fetch calls from several request threads.
#ifndef STEROID_ADVISOR_PLUGIN_RECORD_FETCHER_H_
#define STEROID_ADVISOR_PLUGIN_RECORD_FETCHER_H_

#include <rapidjson/document.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace steroid_advisor::plugin {

// One prefetch key to fetch, with the template the service declared for it.
struct RecordQuery {
  std::string key;                // e.g. "medicationRequests"
  std::string prefetch_template;  // e.g. "MedicationRequest?patient={{context.patientId}}"
};

struct RecordFetchRequest {
  std::string
      fhir_server;  // context fhirServer as sent (the fetcher checks it against the allowlist)
  std::string access_token;  // fhirAuthorization.access_token; may be empty; never logged
  std::map<std::string, std::string>
      context;  // "patientId", "encounterId", "userId" (for template rendering)
  std::vector<RecordQuery>
      queries;  // only the keys that prefetch did not carry (or carried as null)
};

struct FetchedKey {
  std::string key;
  bool available = false;  // false: the rules that need this key make no card
  std::vector<std::shared_ptr<const rapidjson::Document>> pages;  // searchset Bundles, page order
};

class RecordFetcher {
 public:
  virtual ~RecordFetcher() = default;
  // Fetches every query in parallel within the configured total budget; never throws; one
  // FetchedKey per query, in order.
  virtual std::vector<FetchedKey> Fetch(const RecordFetchRequest& request) = 0;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_RECORD_FETCHER_H_
