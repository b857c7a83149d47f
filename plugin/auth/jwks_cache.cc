#include "plugin/auth/jwks_cache.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include "cpprest/http_client.h"
#include "fhir/json_parse.h"
#include "plugin/outbound/capped_body.h"

namespace steroid_advisor::plugin {
namespace {

int64_t MonotonicSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

StatusOr<std::vector<JwkPublicKey>> ParseJwksBody(const std::vector<unsigned char>& body) {
  fhir::JsonParseOptions options;
  options.max_depth = 8;
  options.reject_duplicate_members = true;
  rapidjson::Document document;
  std::string_view text(reinterpret_cast<const char*>(body.data()), body.size());
  RETURN_IF_ERROR(fhir::ParseJson(text, options, document).WithPrefix("jwks"));
  if (!document.IsObject()) return InvalidArgumentError("jwks: expected an object");
  return ParseJwkSet(document);
}

}  // namespace

std::optional<int64_t> CacheControlMaxAge(std::string_view value) {
  std::optional<int64_t> max_age;
  while (!value.empty()) {
    size_t end = value.find(',');
    std::string_view directive = value.substr(0, end);
    value = end == std::string_view::npos ? std::string_view() : value.substr(end + 1);
    while (!directive.empty() && directive.front() == ' ') directive.remove_prefix(1);
    while (!directive.empty() && directive.back() == ' ') directive.remove_suffix(1);
    if (directive == "no-store" || directive == "no-cache") return 0;
    constexpr std::string_view kMaxAge = "max-age=";
    if (directive.rfind(kMaxAge, 0) != 0) continue;
    std::string_view digits = directive.substr(kMaxAge.size());
    if (digits.empty() || digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    max_age = std::stoll(std::string(digits));
  }
  return max_age;
}

JwksCache::JwksCache(JwksCacheOptions options) : options_(std::move(options)) {}

JwksCache::~JwksCache() { WaitForFetches(); }

int64_t JwksCache::Now() const {
  return options_.now_seconds ? options_.now_seconds() : MonotonicSeconds();
}

std::shared_ptr<const std::vector<JwkPublicKey>> JwksCache::Keys(const std::string& url) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& entry = entries_[url];
  int64_t now = Now();
  if (entry.keys == nullptr || now >= entry.fresh_until) MaybeFetch(url, entry, now);
  return entry.keys;
}

void JwksCache::KidNotFound(const std::string& url) {
  std::lock_guard<std::mutex> lock(mu_);
  MaybeFetch(url, entries_[url], Now());
}

void JwksCache::Prefetch(const std::vector<TrustedIssuer>& issuers) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = Now();
  for (const TrustedIssuer& issuer : issuers) {
    for (const std::string& url : issuer.jku) {
      Entry& entry = entries_[url];
      if (entry.keys == nullptr) MaybeFetch(url, entry, now);
    }
  }
}

void JwksCache::WaitForFetches() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return in_flight_ == 0; });
}

void JwksCache::MaybeFetch(const std::string& url, Entry& entry, int64_t now) {
  if (entry.in_flight) return;
  if (entry.ever_fetched && now - entry.last_fetch_started < options_.min_refetch_seconds) return;
  entry.in_flight = true;
  entry.ever_fetched = true;
  entry.last_fetch_started = now;
  ++in_flight_;
  Fetch(url);
}

void JwksCache::Fetch(const std::string& url) {
  // Runs under mu_, but only starts the request: everything else happens on cpprestsdk's
  // threads, and Finish takes the lock there.
  try {
    web::http::client::http_client_config config;
    config.set_timeout(std::chrono::milliseconds(options_.timeout_ms));
    config.set_validate_certificates(options_.verify_tls);
    auto client = std::make_shared<web::http::client::http_client>(url, config);
    const size_t max_body_bytes = options_.max_body_bytes;
    // Cancelled when the body passes the cap: until then cpprestsdk keeps reading the stream.
    pplx::cancellation_token_source source;
    // Two continuations, never a wait: cpprestsdk's pool has one thread per core (main.cc), and a
    // continuation blocked on the body would hold a thread the body's own read may need.
    client->request(web::http::methods::GET, source.get_token())
        .then([this, url, client, source,
               max_body_bytes](pplx::task<web::http::http_response> task) {
          int64_t max_age = options_.default_max_age_seconds;
          try {
            web::http::http_response response = task.get();  // done: this is its continuation
            auto cache_control = response.headers().find(web::http::header_names::cache_control);
            if (cache_control != response.headers().end()) {
              max_age = CacheControlMaxAge(cache_control->second).value_or(max_age);
            }
            if (response.status_code() != web::http::status_codes::OK) {
              source.cancel();
              return Finish(
                  url,
                  UnavailableError("jwks: http status " + std::to_string(response.status_code())),
                  max_age);
            }
            if (response.headers().content_length() > max_body_bytes) {
              source.cancel();
              return Finish(url, ResourceExhaustedError("jwks: body too large"), max_age);
            }
            // Read up to the cap whatever the headers said: without Content-Length (chunked, or
            // until close) the size is known only as the bytes arrive.
            ReadCappedBody(response.body(), max_body_bytes)
                .then([this, url, client, source,
                       max_age](pplx::task<std::optional<std::vector<uint8_t>>> read) {
                  StatusOr<std::vector<JwkPublicKey>> keys = UnavailableError("jwks: fetch failed");
                  try {
                    std::optional<std::vector<uint8_t>> body = read.get();  // done, as above
                    if (body.has_value()) {
                      keys = ParseJwksBody(*body);
                    } else {
                      source.cancel();
                      keys = ResourceExhaustedError("jwks: body too large");
                    }
                  } catch (const std::exception&) {
                    // The read failed: keys stays "fetch failed".
                  }
                  Finish(url, std::move(keys), max_age);
                });
          } catch (const std::exception&) {
            Finish(url, UnavailableError("jwks: fetch failed"), max_age);
          }
        });
  } catch (const std::exception&) {
    // A URL cpprestsdk refuses: count it as a failed fetch, without recursion into mu_.
    Entry& entry = entries_[url];
    entry.in_flight = false;
    entry.fresh_until = Now() + options_.min_refetch_seconds;
    --in_flight_;
    idle_.notify_all();
  }
}

void JwksCache::Finish(const std::string& url, StatusOr<std::vector<JwkPublicKey>> keys,
                       int64_t max_age_seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& entry = entries_[url];
  int64_t now = Now();
  if (keys.ok()) {
    entry.keys = std::make_shared<const std::vector<JwkPublicKey>>(*std::move(keys));
    entry.fresh_until = now + std::clamp(max_age_seconds, options_.min_max_age_seconds,
                                         options_.max_max_age_seconds);
  } else {
    // Keep what we had; try again once the rate limit allows.
    entry.fresh_until = now + options_.min_refetch_seconds;
  }
  entry.in_flight = false;
  --in_flight_;
  idle_.notify_all();
}

}  // namespace steroid_advisor::plugin
