// What every endpoint handler gets besides the request: the config snapshot taken once at the
// start of the request, today's date and the current time (for client JWT exp/iat) from the
// server's clocks, the FHIR fallback fetcher, the feedback recorder, and the request id for log
// lines.
// Owns: a reference on the config snapshot; borrows the fetcher, the recorder and the log (owned
// by whoever built the Server). Thread-safety: one HandlerContext per request.
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_HANDLER_CONTEXT_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_HANDLER_CONTEXT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "fhir/date.h"
#include "fhir/status.h"
#include "plugin/config/service_config.h"
#include "plugin/feedback/recorder.h"
#include "plugin/http/request_log.h"
#include "plugin/ops/metrics.h"
#include "plugin/record/fetcher.h"

namespace steroid_advisor::plugin {

struct HandlerContext {
  std::shared_ptr<const ServiceConfig> config;  // never null
  fhir::Day today = 0;
  int64_t now_seconds = 0;  // seconds since the epoch; what a client JWT's exp/nbf/iat meet
  RecordFetcher* fetcher = nullptr;  // nullptr: no fallback fetch
  std::string request_id;
  RequestLog* log = nullptr;   // nullptr: log nothing
  Metrics* metrics = nullptr;  // nullptr: count nothing
  // GET /health/ready: OK when the service can do its work (config loaded, feedback store
  // reachable when configured); the reason otherwise. nullptr: always ready. Owned by the server.
  const std::function<Status()>* readiness = nullptr;
  // nullptr: shown cards are not recorded and feedback is validated and logged only.
  FeedbackRecorder* feedback = nullptr;
  // Client JWT state that outlives a config (plugin/auth): each jti accepted once, and the JWK
  // Sets fetched from issuers' jku URLs. nullptr: no replay check, no jku keys. Owned by the
  // server.
  JtiReplayCache* jwt_replay = nullptr;
  JwksSource* jwks = nullptr;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_HANDLER_CONTEXT_H_
