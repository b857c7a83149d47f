#include "plugin/router.h"

#include <chrono>
#include <cstdint>
#include <exception>
#include <future>
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
  StatusOr<JwtClaims> claims = VerifyJwt(*token, auth.trusted_issuers, options);
  // Every failure is a 401, whatever code a future jwt.cc might pick.
  if (!claims.ok()) return Unauthenticated(UnauthenticatedError(claims.status().message()));
  return std::nullopt;
}

// TEMPORARY adapter (issue #15) until the router answers through a respond callback: the
// feedback handler is asynchronous (it answers once the recorder has committed), the router is
// not yet, so wait here, with a bound. On timeout the client gets 503 + Retry-After; the entries
// may still commit, and its retry is then stored once (the store ignores duplicates).
HttpResponse WaitForFeedback(const HttpRequest& request, const ServiceDefinition& service,
                             const HandlerContext& context) {
  constexpr auto kMaxFeedbackWait = std::chrono::seconds(10);
  auto answer = std::make_shared<std::promise<HttpResponse>>();
  std::future<HttpResponse> answered = answer->get_future();
  HandleFeedback(request, service, context,
                 [answer](HttpResponse response) { answer->set_value(std::move(response)); });
  if (answered.wait_for(kMaxFeedbackWait) == std::future_status::ready) return answered.get();
  HttpResponse busy = ErrorResponse(UnavailableError("feedback store: too slow, retry later"));
  busy.headers["Retry-After"] = std::to_string(kFeedbackRetryAfterSeconds);
  return busy;
}

HttpResponse Dispatch(const HttpRequest& request, const Route& route,
                      const HandlerContext& context) {
  switch (route.endpoint) {
    case Route::Endpoint::kDiscovery:
      return HandleDiscovery(request, context);
    case Route::Endpoint::kHook:
      return HandleHook(request, *route.service, context);
    case Route::Endpoint::kFeedback:
      return WaitForFeedback(request, *route.service, context);
    case Route::Endpoint::kNone:
    default:
      return ErrorResponse(NotFoundError("no such endpoint"));
  }
}

}  // namespace

Route MatchRoute(std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
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
HttpResponse Respond(const HttpRequest& request, const HandlerContext& context, bool head_checked) {
  if (!head_checked) {
    if (std::optional<HttpResponse> early = CheckBeforeBody(request, context)) return *early;
  }
  size_t max_body_bytes = context.config->server.max_body_bytes;
  if (request.body.size() > max_body_bytes) return BodyTooLargeResponse(max_body_bytes);
  return Dispatch(request, MatchRoute(request.path), context);
}

HttpResponse RespondSafely(const HttpRequest& request, const HandlerContext& context,
                           bool head_checked) {
  HttpResponse response;
  try {
    response = Respond(request, context, head_checked);
  } catch (const std::exception& e) {
    if (context.log != nullptr) context.log->LogError(context.request_id, e.what());
    response = ErrorResponse(InternalError("handler threw"));
  } catch (...) {
    if (context.log != nullptr) context.log->LogError(context.request_id, "unknown exception");
    response = ErrorResponse(InternalError("handler threw"));
  }
  AddCorsHeaders(response);
  return response;
}

}  // namespace

HttpResponse HandleRequest(const HttpRequest& request, const HandlerContext& context) {
  return RespondSafely(request, context, /*head_checked=*/false);
}

HttpResponse HandleCheckedRequest(const HttpRequest& request, const HandlerContext& context) {
  return RespondSafely(request, context, /*head_checked=*/true);
}

}  // namespace steroid_advisor::plugin
