// Routing of the CDS Hooks endpoints and the checks every request passes before a handler sees
// it: 404 unknown route or service, 204 CORS preflight, 405 wrong method (with Allow), 415 a
// Content-Type that is not JSON, 413 a body over the cap, and 401 (with WWW-Authenticate: Bearer)
// when the config's auth.requireJwt is on and the call carries no valid client JWT.
// Transport-neutral: server.cc calls CheckBeforeBody as soon as headers arrive (so an oversized
// or unauthenticated request is refused unread) and HandleCheckedRequest once the body is in;
// tests call HandleRequest alone, which runs the same checks first.
// Thread-safety: stateless, safe from many threads.
#ifndef STEROID_ADVISOR_PLUGIN_ROUTER_H_
#define STEROID_ADVISOR_PLUGIN_ROUTER_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "plugin/config/services.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

struct Route {
  enum class Endpoint { kNone, kDiscovery, kHook, kFeedback, kHealthLive, kHealthReady, kMetrics };
  Endpoint endpoint = Endpoint::kNone;
  const ServiceDefinition* service = nullptr;  // kHook, kFeedback
};

// "/cds-services" (discovery), "/cds-services/{id}" (hook), "/cds-services/{id}/feedback",
// "/health/live", "/health/ready", "/metrics"; one trailing slash is ignored. kNone for anything
// else, an unknown id included.
Route MatchRoute(std::string_view path);

// The answer when method, path or headers already decide it (404, 204 preflight, 405, 415, 413
// by Content-Length against context.config->server.max_body_bytes, 401 for a missing or invalid
// client JWT when auth requires one); nullopt when the body should be read and handled. Runs
// before the body is read, so an unauthenticated caller cannot make the server read a body.
std::optional<HttpResponse> CheckBeforeBody(const HttpRequest& head, const HandlerContext& context);

// Answers a whole request through `respond`, exactly once, CORS headers included. Discovery,
// hook and feedback calls pass the client JWT check (plugin/auth/jwt.h, against
// context->config->auth and context->now_seconds) before any handler runs; preflight never
// needs a token. May answer after returning (a hook call waiting on the FHIR server), from
// another thread. Never throws: anything a handler throws becomes a generic 500 JSON error,
// logged with the request id.
void HandleRequest(const HttpRequest& request, std::shared_ptr<const HandlerContext> context,
                   Respond respond);

// HandleRequest for a request whose head already passed CheckBeforeBody (the server checks it
// before reading the body): the checks, the JWT signature verification above all, are not run
// twice.
void HandleCheckedRequest(const HttpRequest& request, std::shared_ptr<const HandlerContext> context,
                          Respond respond);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_ROUTER_H_
