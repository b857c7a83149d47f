#include "plugin/router.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "fhir/ascii.h"
#include "plugin/auth/jwt.h"
#include "plugin/hooks/discovery_handler.h"
#include "plugin/hooks/feedback_handler.h"
#include "plugin/hooks/hook_handler.h"
#include "plugin/http/cors.h"
#include "plugin/http/error_response.h"

namespace steroid_advisor::plugin {
namespace {

constexpr std::string_view kServicesPath = "/cds-services";

// A missing Content-Type is accepted: curl and some CDS clients leave it out.
bool IsJsonContentType(std::optional<std::string_view> content_type) {
  if (!content_type.has_value()) return true;
  std::string media_type =
      fhir::AsciiLower(fhir::TrimAsciiWhitespace(content_type->substr(0, content_type->find(';'))));
  return media_type == "application/json" || media_type == "application/fhir+json";
}

std::optional<size_t> DeclaredLength(const HttpRequest& head) {
  std::optional<std::string_view> header = head.Header("content-length");
  if (!header.has_value()) return std::nullopt;
  std::string_view digits = fhir::TrimAsciiWhitespace(*header);
  if (digits.empty()) return std::nullopt;
  if (digits.size() > 18)
    return SIZE_MAX;  // more than any cap; also keeps the sum below from overflowing
  size_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<size_t>(c - '0');
  }
  return value;
}

bool IsOperationsEndpoint(Route::Endpoint endpoint) {
  return endpoint == Route::Endpoint::kHealthLive || endpoint == Route::Endpoint::kHealthReady ||
         endpoint == Route::Endpoint::kMetrics;
}

HttpResponse StatusJson(int status, std::string_view body) {
  HttpResponse response;
  response.status = status;
  response.headers["Content-Type"] = "application/json";
  response.headers["Cache-Control"] = "no-store";
  response.body = std::string(body);
  return response;
}

// {"status": status, "reason": reason}.
std::string WriteStatusObject(std::string_view status, std::string_view reason) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("status");
  writer.String(status.data(), static_cast<rapidjson::SizeType>(status.size()));
  writer.Key("reason");
  writer.String(reason.data(), static_cast<rapidjson::SizeType>(reason.size()));
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

HttpResponse Readiness(const HandlerContext& context) {
  Status ready =
      context.readiness != nullptr && *context.readiness ? (*context.readiness)() : OkStatus();
  if (ready.ok()) return StatusJson(200, R"({"status":"ready"})");
  // Our own words (which dependency is down), never a URL or credential.
  return StatusJson(503, WriteStatusObject("not ready", ready.message()));
}

HttpResponse MetricsText(const HandlerContext& context) {
  HttpResponse response;
  response.headers["Content-Type"] = "text/plain; version=0.0.4; charset=utf-8";
  response.headers["Cache-Control"] = "no-store";
  response.body = context.metrics != nullptr ? context.metrics->RenderPrometheus() : "";
  return response;
}

std::string_view AllowedMethods(Route::Endpoint endpoint) {
  return endpoint == Route::Endpoint::kDiscovery ? "GET, OPTIONS" : "POST, OPTIONS";
}

HttpResponse Unauthenticated(const Status& status) {
  HttpResponse response = ErrorResponse(status);
  // RFC 6750 section 3: a 401 names the scheme the client should use. No error details here:
  // the body says what was wrong, and the header must never carry token material.
  response.headers["WWW-Authenticate"] = "Bearer";
  return response;
}

// CDS Hooks 2.0 "Trusting CDS Clients": nullopt when the call may go on. When the config does
// not require a JWT the Authorization header is not even looked at (a test EHR may send
// anything). Messages come from jwt.h and never include the token or a claim value.
std::optional<HttpResponse> CheckClientJwt(const HttpRequest& request,
                                           const HandlerContext& context) {
  const AuthConfig& auth = context.config->auth;
  if (!auth.require_jwt) return std::nullopt;
  std::optional<std::string_view> token;
  if (std::optional<std::string_view> header = request.Header("authorization")) {
    token = BearerToken(*header);
  }
  if (!token.has_value()) {
    return Unauthenticated(UnauthenticatedError("authorization: a bearer jwt is required"));
  }
  // The aud of the client's JWT is the URL it called: our public base URL (configured, or as
  // the client addressed us) followed by the endpoint path.
  std::string audience = auth.service_base_url;
  if (audience.empty()) {
    audience = "http://" + std::string(request.Header("host").value_or(""));
  }
  audience += request.path;
  JwtCheckOptions options;
  options.audience = std::move(audience);
  options.now_seconds = context.now_seconds;
  options.max_lifetime_seconds = auth.max_token_lifetime_seconds;
  options.replay = context.jwt_replay;
  options.jwks = context.jwks;
  StatusOr<JwtClaims> claims = VerifyJwt(*token, auth.trusted_issuers, options);
  // Every failure is a 401, whatever code a future jwt.cc might pick.
  if (!claims.ok()) return Unauthenticated(UnauthenticatedError(claims.status().message()));
  return std::nullopt;
}

// `respond` that also counts the hook call and its latency (from now to the answer).
Respond Counted(const ServiceDefinition& service, Metrics* metrics, Respond respond) {
  if (metrics == nullptr) return respond;
  const auto started = std::chrono::steady_clock::now();
  return [&service, metrics, started, respond = std::move(respond)](HttpResponse response) {
    std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - started;
    metrics->CountHookCall(service.id, response.status, seconds.count());
    respond(std::move(response));
  };
}

void Dispatch(const HttpRequest& request, const Route& route,
              const std::shared_ptr<const HandlerContext>& context, Respond respond) {
  switch (route.endpoint) {
    case Route::Endpoint::kDiscovery:
      return respond(HandleDiscovery(request, *context));
    case Route::Endpoint::kHook:
      return HandleHook(request, *route.service, context,
                        Counted(*route.service, context->metrics, std::move(respond)));
    case Route::Endpoint::kHealthLive:
      return respond(StatusJson(200, R"({"status":"live"})"));
    case Route::Endpoint::kHealthReady:
      return respond(Readiness(*context));
    case Route::Endpoint::kMetrics:
      return respond(MetricsText(*context));
    case Route::Endpoint::kFeedback:
      return HandleFeedback(request, *route.service, *context, std::move(respond));
    case Route::Endpoint::kNone:
    default:
      return respond(ErrorResponse(NotFoundError("no such endpoint")));
  }
}

// `respond` made safe to call from a handler and from the final catch: CORS headers on every
// answer, and only the first answer goes out (a handler that answered and then threw must not
// answer twice).
Respond OnceWithCors(Respond respond, std::string request_id) {
  auto answered = std::make_shared<std::atomic<bool>>(false);
  return [answered, request_id = std::move(request_id),
          respond = std::move(respond)](HttpResponse response) {
    if (answered->exchange(true)) return;
    AddCorsHeaders(response);
    response.facts.request_id = request_id;
    respond(std::move(response));
  };
}

}  // namespace

Route MatchRoute(std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/health/live") return {Route::Endpoint::kHealthLive, nullptr};
  if (path == "/health/ready") return {Route::Endpoint::kHealthReady, nullptr};
  if (path == "/metrics") return {Route::Endpoint::kMetrics, nullptr};
  if (path.substr(0, kServicesPath.size()) != kServicesPath) return {};
  std::string_view rest = path.substr(kServicesPath.size());
  if (rest.empty()) return {Route::Endpoint::kDiscovery, nullptr};
  if (rest.front() != '/') return {};
  rest.remove_prefix(1);
  Route::Endpoint endpoint = Route::Endpoint::kHook;
  constexpr std::string_view kFeedbackSuffix = "/feedback";
  if (rest.size() > kFeedbackSuffix.size() &&
      rest.substr(rest.size() - kFeedbackSuffix.size()) == kFeedbackSuffix) {
    rest.remove_suffix(kFeedbackSuffix.size());
    endpoint = Route::Endpoint::kFeedback;
  }
  const ServiceDefinition* service = FindService(rest);
  if (service == nullptr) return {};
  return {endpoint, service};
}

std::optional<HttpResponse> CheckBeforeBody(const HttpRequest& head,
                                            const HandlerContext& context) {
  const size_t max_body_bytes = context.config->server.max_body_bytes;
  Route route = MatchRoute(head.path);
  if (route.endpoint == Route::Endpoint::kNone) {
    // Says which kind of thing is missing, never the path that was asked for.
    bool under_services = head.path.substr(0, kServicesPath.size()) == kServicesPath;
    return ErrorResponse(
        NotFoundError(under_services ? "no service with this id" : "no such endpoint"));
  }
  if (IsOperationsEndpoint(route.endpoint)) {
    // For probes and Prometheus on the pod network: no token, no CORS preflight, no body.
    if (head.method == "GET" || head.method == "HEAD") return std::nullopt;
    HttpResponse response =
        ErrorResponse(405, "method_not_allowed", "method not allowed; allowed: GET");
    response.headers["Allow"] = "GET";
    return response;
  }
  if (head.method == "OPTIONS") return PreflightResponse();
  bool is_get = head.method == "GET";
  bool allowed = route.endpoint == Route::Endpoint::kDiscovery ? is_get : head.method == "POST";
  if (!allowed) {
    HttpResponse response = ErrorResponse(
        405, "method_not_allowed",
        "method not allowed; allowed: " + std::string(AllowedMethods(route.endpoint)));
    response.headers["Allow"] = std::string(AllowedMethods(route.endpoint));
    return response;
  }
  if (head.method == "POST" && !IsJsonContentType(head.Header("content-type"))) {
    return ErrorResponse(415, "unsupported_media_type",
                         "content-type: expected application/json or application/fhir+json");
  }
  std::optional<size_t> declared = DeclaredLength(head);
  if (declared.has_value() && *declared > max_body_bytes) {
    return BodyTooLargeResponse(max_body_bytes);
  }
  return CheckClientJwt(head, context);
}

namespace {

// HandleRequest and HandleCheckedRequest without the final catch and CORS headers.
void RouteRequest(const HttpRequest& request, const std::shared_ptr<const HandlerContext>& context,
                  bool head_checked, Respond respond) {
  if (!head_checked) {
    if (std::optional<HttpResponse> early = CheckBeforeBody(request, *context)) {
      return respond(*std::move(early));
    }
  }
  size_t max_body_bytes = context->config->server.max_body_bytes;
  if (request.body.size() > max_body_bytes) return respond(BodyTooLargeResponse(max_body_bytes));
  Dispatch(request, MatchRoute(request.path), context, std::move(respond));
}

void RouteRequestSafely(const HttpRequest& request, std::shared_ptr<const HandlerContext> context,
                        bool head_checked, Respond respond) {
  Respond once = OnceWithCors(std::move(respond), context->request_id);
  try {
    RouteRequest(request, context, head_checked, once);
  } catch (const std::exception& e) {
    if (context->log != nullptr) context->log->LogError(context->request_id, e.what());
    once(ErrorResponse(InternalError("handler threw")));
  } catch (...) {
    if (context->log != nullptr) context->log->LogError(context->request_id, "unknown exception");
    once(ErrorResponse(InternalError("handler threw")));
  }
}

}  // namespace

void HandleRequest(const HttpRequest& request, std::shared_ptr<const HandlerContext> context,
                   Respond respond) {
  RouteRequestSafely(request, std::move(context), /*head_checked=*/false, std::move(respond));
}

void HandleCheckedRequest(const HttpRequest& request, std::shared_ptr<const HandlerContext> context,
                          Respond respond) {
  RouteRequestSafely(request, std::move(context), /*head_checked=*/true, std::move(respond));
}

}  // namespace steroid_advisor::plugin
