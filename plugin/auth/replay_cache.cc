#include "plugin/auth/replay_cache.h"

namespace steroid_advisor::plugin {

Status JtiReplayCache::Accept(std::string_view iss, std::string_view jti, int64_t forget_at,
                              int64_t now) {
  // Length-prefixed, so no (iss, jti) pair can spell another one.
  std::string key = std::to_string(iss.size()) + ":" + std::string(iss) + std::string(jti);
  std::lock_guard<std::mutex> lock(mu_);
  DropExpired(now);
  if (forget_at_by_key_.count(key) != 0) return UnauthenticatedError("jwt: jti already used");
  if (forget_at_by_key_.size() >= max_entries_) {
    return UnauthenticatedError("jwt: too many live tokens, retry shortly");
  }
  forget_at_by_key_.emplace(key, forget_at);
  keys_by_forget_at_.emplace(forget_at, std::move(key));
  return OkStatus();
}

size_t JtiReplayCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return forget_at_by_key_.size();
}

void JtiReplayCache::DropExpired(int64_t now) {
  while (!keys_by_forget_at_.empty() && keys_by_forget_at_.begin()->first < now) {
    forget_at_by_key_.erase(keys_by_forget_at_.begin()->second);
    keys_by_forget_at_.erase(keys_by_forget_at_.begin());
  }
}

}  // namespace steroid_advisor::plugin
