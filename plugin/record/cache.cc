#include "plugin/record/cache.h"

#include <openssl/sha.h>

#include <utility>

namespace steroid_advisor::plugin {

RecordCache::RecordCache(Clock clock)
    : clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {}

std::string RecordCache::Key(std::string_view fhir_server, std::string_view query_url,
                             std::string_view access_token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(access_token.data()), access_token.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key;
  key.reserve(fhir_server.size() + query_url.size() + 2 + 2 * SHA256_DIGEST_LENGTH);
  key.append(fhir_server);
  key += '\n';  // URLs never hold a newline (fhir::ParseHttpUrl refuses them)
  key.append(query_url);
  key += '\n';
  for (unsigned char byte : digest) {
    key += kHex[byte >> 4];
    key += kHex[byte & 0x0f];
  }
  return key;
}

void RecordCache::EraseLocked(std::unordered_map<std::string, Entry>::iterator it) {
  order_.erase(it->second.position);
  entries_.erase(it);
}

std::optional<std::vector<fhir::SearchPage>> RecordCache::Get(const std::string& key) {
  const auto now = clock_();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires_at <= now) {
    EraseLocked(it);
    return std::nullopt;
  }
  return it->second.pages;
}

void RecordCache::Put(const std::string& key, std::vector<fhir::SearchPage> pages,
                      std::chrono::seconds ttl, size_t max_entries) {
  if (ttl.count() <= 0 || max_entries == 0) return;
  const auto now = clock_();
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) EraseLocked(it);
  while (!order_.empty() && entries_.size() >= max_entries) {
    // The oldest entry: expired or not, it is the one to go.
    EraseLocked(entries_.find(order_.front()));
  }
  // Drop expired entries from the front too, so memory follows the ttl, not only the bound.
  while (!order_.empty()) {
    auto oldest = entries_.find(order_.front());
    if (oldest->second.expires_at > now) break;
    EraseLocked(oldest);
  }
  order_.push_back(key);
  entries_.emplace(key, Entry{std::move(pages), now + ttl, std::prev(order_.end())});
}

size_t RecordCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace steroid_advisor::plugin
