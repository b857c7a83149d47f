// ServiceConfig: everything an administrator configures about the running service: the cards
// (rules, texts, thresholds; see cards/config.h), service titles and descriptions for discovery,
// the FHIR fallback fetch, server limits, and which CDS Clients are trusted (JWT). Parsed from one
// JSON document whose format is deploy/config/default.json (documented in
// deploy/config/README.md) and validated whole.
// Owns: its values. Thread-safety: immutable once built; share as shared_ptr<const ServiceConfig>
// and swap whole (std::atomic_load/std::atomic_store).
#ifndef STEROID_ADVISOR_PLUGIN_CONFIG_SERVICE_CONFIG_H_
#define STEROID_ADVISOR_PLUGIN_CONFIG_SERVICE_CONFIG_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cards/config.h"
#include "fhir/status.h"
#include "plugin/auth/jwt.h"

namespace steroid_advisor::plugin {

struct ServiceText {
  std::string title;
  std::string description;
};

// JSON names in comments ("fhir" section).
struct FhirFetchConfig {
  std::vector<std::string> allowlist;  // allowlist: URL prefixes; semantics are the fetcher's
  // connectTimeoutMs: validated and kept for existing configs, but it cuts nothing short:
  // cpprestsdk has one per-operation timeout, set to what the call's deadline leaves.
  int connect_timeout_ms = 500;
  int total_timeout_ms = 2000;         // totalTimeoutMs: the whole fetch of one hook call
  int max_in_flight_per_server = 100;  // maxInFlightPerServer: calls waiting on one origin
  int max_pages = 5;                   // maxPages
  int cache_seconds = 5;               // cacheSeconds (0: no cache)
  int cache_max_entries = 1000;        // cacheMaxEntries
  bool verify_tls = true;              // verifyTls
};

// "server" section. maxBodyBytes and maxJsonDepth apply to the next request; the HTTP edge's
// caps and timeouts below are read at start-up (plugin/http/limits.h says what each does).
struct ServerLimits {
  size_t max_body_bytes = 1024 * 1024;  // maxBodyBytes
  int max_json_depth = 64;              // maxJsonDepth
  int max_header_bytes = 16 * 1024;     // maxHeaderBytes: 431 past it
  int max_url_bytes = 8 * 1024;         // maxUrlBytes: 414 past it
  int max_connections = 512;            // maxConnections: closed at once past it
  int header_timeout_ms = 10000;        // headerTimeoutMs: the whole head
  int body_timeout_ms = 30000;          // bodyTimeoutMs: the whole body
  int idle_timeout_ms = 30000;          // idleTimeoutMs: keep-alive with nothing in flight
  int write_timeout_ms = 30000;         // writeTimeoutMs: one response
  int handler_timeout_ms = 30000;       // handlerTimeoutMs: no answer by then: 503
};

// "auth" section: CDS Hooks 2.0 "Trusting CDS Clients". Off by default so a local test EHR
// without keys works; a deployment facing real EHRs turns it on.
struct AuthConfig {
  bool require_jwt = false;                    // requireJwt
  std::vector<TrustedIssuer> trusted_issuers;  // trustedIssuers: [{"iss", "jwks": {"keys"}}]
  // serviceBaseUrl: the service's public URL without a trailing slash (as the EHR calls it,
  // e.g. behind a proxy); the expected `aud` is this plus the request path. Empty: "http://" +
  // the Host header.
  std::string service_base_url;
  // maxTokenLifetimeSeconds: a client JWT's exp - iat may not exceed this (CDS Hooks: minutes).
  int max_token_lifetime_seconds = 3600;
};

// "feedback" section: where feedback and shown cards are stored (plugin/feedback). store,
// postgresqlUrl and queueSize are read at start-up only (a change applies at the next start);
// retentionDays applies live.
struct FeedbackConfig {
  std::string store = "sqlite";  // store: "sqlite" (file under --data-dir) or "postgresql"
  // postgresqlUrl: a libpq URI, "postgresql://user@host:port/db"; never with a password (it
  // would reach the config file, GET /admin/config and the audit trail): use PGPASSWORD,
  // PGPASSFILE or STEROID_ADVISOR_POSTGRESQL_URL.
  std::string postgresql_url;
  int retention_days = 400;  // retentionDays
  int queue_size = 10000;    // queueSize: shown cards + feedback entries waiting to be written
};

struct ServiceConfig {
  cards::CardsConfig cards;
  // By service id; every id of Services() is present (built-in text where the config names none).
  std::map<std::string, ServiceText> services;
  FhirFetchConfig fhir;
  ServerLimits server;
  AuthConfig auth;
  FeedbackConfig feedback;
};

// Parses a whole config document. Every problem is collected with its JSON path (unknown keys,
// wrong types, out-of-range numbers, and everything cards::ParseCardsConfig reports) and returned
// in one InvalidArgument, one problem per line. Sections "services", "fhir", "server", "auth" and
// "feedback" are optional (built-in defaults; no "auth" means no JWT required); "thresholds" and
// "rules" are cards::ParseCardsConfig's business.
StatusOr<ServiceConfig> ParseServiceConfig(std::string_view json_text);

// The embedded default (cards::DefaultConfigJson()), parsed once. Aborts if it does not parse:
// that is a build bug, caught by the tests.
std::shared_ptr<const ServiceConfig> DefaultServiceConfig();

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_CONFIG_SERVICE_CONFIG_H_
