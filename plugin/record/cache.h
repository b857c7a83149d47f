// A short-lived, bounded, in-memory cache of fetched search pages, so that order-select then
// order-sign for the same patient (seconds apart) reads the FHIR server once.
// Entries are keyed by (fhirServer, query URL, fingerprint of the access token): a response
// fetched with one user's token is never served to a request carrying another token.
// Owns: its entries (shared, immutable pages). Time comes from an injectable clock.
// Thread-safety: safe for concurrent use; one mutex guards all state.
#ifndef STEROID_ADVISOR_PLUGIN_RECORD_CACHE_H_
#define STEROID_ADVISOR_PLUGIN_RECORD_CACHE_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fhir/search_paging.h"

namespace steroid_advisor::plugin {

class RecordCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` defaults to std::chrono::steady_clock::now.
  explicit RecordCache(Clock clock = nullptr);

  // The cache key for one search. The token enters only as a SHA-256 digest.
  static std::string Key(std::string_view fhir_server, std::string_view query_url,
                         std::string_view access_token);

  // The pages stored under `key`, unless absent or expired.
  std::optional<std::vector<fhir::SearchPage>> Get(const std::string& key);

  // Stores `pages` for `ttl` (limits are per call, so a config reload applies at once).
  // A ttl of zero or max_entries of zero stores nothing. When full, expired entries go first,
  // then the oldest.
  void Put(const std::string& key, std::vector<fhir::SearchPage> pages, std::chrono::seconds ttl,
           size_t max_entries);

  size_t size() const;

 private:
  struct Entry {
    std::vector<fhir::SearchPage> pages;
    std::chrono::steady_clock::time_point expires_at;
    std::list<std::string>::iterator position;  // in order_
  };

  void EraseLocked(std::unordered_map<std::string, Entry>::iterator it);

  const Clock clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  // Keys oldest first. With one ttl for all, the oldest also expires first. guarded by mu_
  std::list<std::string> order_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_RECORD_CACHE_H_
