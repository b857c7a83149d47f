// A JtiReplayCache remembers the `jti` of every client JWT accepted, per issuer, until the token
// could no longer pass anyway (exp plus skew), so each token is accepted once. Memory is bounded:
// expired entries are dropped as time passes, and when `max_entries` unexpired tokens are
// remembered a new one is refused (fail closed: only tokens with a valid signature of a trusted
// issuer get this far). Per process: several instances behind a balancer each accept a token once.
// Owns: its entries. Thread-safety: safe for concurrent use (one internal mutex).
#ifndef STEROID_ADVISOR_PLUGIN_AUTH_REPLAY_CACHE_H_
#define STEROID_ADVISOR_PLUGIN_AUTH_REPLAY_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "fhir/status.h"

namespace steroid_advisor::plugin {

class JtiReplayCache {
 public:
  static constexpr size_t kDefaultMaxEntries = 100000;

  explicit JtiReplayCache(size_t max_entries = kDefaultMaxEntries) : max_entries_(max_entries) {}

  // OK the first time (iss, jti) is seen, and it is then remembered until `forget_at` (seconds
  // since the epoch). Unauthenticated "jwt: jti already used" for a replay, and "jwt: too many
  // live tokens" when full of unexpired entries.
  Status Accept(std::string_view iss, std::string_view jti, int64_t forget_at, int64_t now);

  size_t size() const;

 private:
  void DropExpired(int64_t now);  // requires mu_

  const size_t max_entries_;
  mutable std::mutex mu_;
  std::map<std::string, int64_t> forget_at_by_key_;        // guarded by mu_
  std::multimap<int64_t, std::string> keys_by_forget_at_;  // guarded by mu_
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_AUTH_REPLAY_CACHE_H_
