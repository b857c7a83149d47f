// A JwksCache keeps the JWK Sets that trusted issuers publish at their allowlisted `jku` URLs,
// so that verifying a client JWT never waits on the network: the router checks tokens on an
// HTTP server thread before the body is read. Sets are fetched asynchronously (cpprestsdk
// client, hard timeout, capped body) when the server starts or its config changes (Prefetch),
// when a token needs a URL not fetched yet (that token gets 401 "key not yet available"), when
// a cached set is past its Cache-Control max-age (clamped to [min, max]; it keeps being used
// while the refetch runs), and when a token names a kid the cached set lacks (key rotation).
// At most one fetch per URL is in flight, and a URL is refetched at most once per
// min_refetch_seconds. A failed fetch or an unusable set keeps the previous set.
// Owns: the cached sets and the fetches in flight (the destructor waits for them).
// Thread-safety: safe for concurrent use (one internal mutex).
#ifndef STEROID_ADVISOR_PLUGIN_AUTH_JWKS_CACHE_H_
#define STEROID_ADVISOR_PLUGIN_AUTH_JWKS_CACHE_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/status.h"
#include "plugin/auth/jwt.h"

namespace steroid_advisor::plugin {

struct JwksCacheOptions {
  int timeout_ms = 3000;                   // one fetch, connect to last byte
  size_t max_body_bytes = 64 * 1024;       // a JWK Set is a few keys
  int64_t default_max_age_seconds = 3600;  // without Cache-Control max-age
  int64_t min_max_age_seconds = 60;        // Cache-Control max-age is clamped to this range
  int64_t max_max_age_seconds = 86400;
  int64_t min_refetch_seconds = 30;  // at most one fetch per URL this often
  bool verify_tls = true;
  std::function<int64_t()> now_seconds;  // empty: a monotonic clock in seconds
};

class JwksCache : public JwksSource {
 public:
  explicit JwksCache(JwksCacheOptions options = {});
  ~JwksCache() override;  // waits for fetches in flight
  JwksCache(const JwksCache&) = delete;
  JwksCache& operator=(const JwksCache&) = delete;

  std::shared_ptr<const std::vector<JwkPublicKey>> Keys(const std::string& url) override;
  void KidNotFound(const std::string& url) override;

  // Starts fetching every `jku` URL of `issuers` that is not cached yet (start-up, config swap).
  void Prefetch(const std::vector<TrustedIssuer>& issuers);

  // Blocks until no fetch is in flight (shutdown; tests that need a fetch to have landed).
  void WaitForFetches();

 private:
  struct Entry {
    std::shared_ptr<const std::vector<JwkPublicKey>> keys;  // nullptr until a fetch succeeds
    int64_t fresh_until = 0;
    int64_t last_fetch_started = 0;
    bool ever_fetched = false;
    bool in_flight = false;
  };

  int64_t Now() const;
  // Starts a fetch of `url` unless one is in flight or the rate limit says wait.
  void MaybeFetch(const std::string& url, Entry& entry, int64_t now);  // requires mu_
  void Fetch(const std::string& url);
  void Finish(const std::string& url, StatusOr<std::vector<JwkPublicKey>> keys,
              int64_t max_age_seconds);

  const JwksCacheOptions options_;
  std::mutex mu_;
  std::condition_variable idle_;
  std::map<std::string, Entry> entries_;  // guarded by mu_; only allowlisted URLs get here
  int in_flight_ = 0;                     // guarded by mu_
};

// The max-age of a Cache-Control header value, if any ("no-store"/"no-cache" count as 0).
std::optional<int64_t> CacheControlMaxAge(std::string_view cache_control);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_AUTH_JWKS_CACHE_H_
