#include "plugin/admin/handler.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "plugin/config/service_config.h"
#include "plugin/config/services.h"
#include "plugin/feedback/summary_json.h"
#include "plugin/feedback/timestamps.h"
#include "plugin/hooks/clock.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/hooks/hook_handler.h"
#include "plugin/http/error_response.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace steroid_advisor::plugin {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

enum class Endpoint {
  kPage,
  kCss,
  kJs,
  kConfig,
  kValidate,
  kPreview,
  kAudit,
  kExamples,
  kFeedbackSummary
};

struct AdminRoute {
  std::string_view path;
  Endpoint endpoint;
  std::string_view allow;  // methods, as the Allow header lists them
  bool needs_token;
};

// The page and its assets are public: they hold nothing but code. Everything with data needs the
// token.
constexpr AdminRoute kRoutes[] = {
    {"/admin/", Endpoint::kPage, "GET, HEAD", false},
    {"/admin/admin.css", Endpoint::kCss, "GET, HEAD", false},
    {"/admin/admin.js", Endpoint::kJs, "GET, HEAD", false},
    {"/admin/config", Endpoint::kConfig, "GET, PUT", true},
    {"/admin/validate", Endpoint::kValidate, "POST", true},
    {"/admin/preview", Endpoint::kPreview, "POST", true},
    {"/admin/audit", Endpoint::kAudit, "GET", true},
    {"/admin/examples", Endpoint::kExamples, "GET", true},
    {"/admin/feedback/summary", Endpoint::kFeedbackSummary, "GET", true},
};

constexpr std::string_view kDefaultPreviewService = "steroid-advisor-order-select";

const AdminRoute* FindRoute(std::string_view path) {
  for (const AdminRoute& route : kRoutes) {
    if (route.path == path) return &route;
  }
  return nullptr;
}

bool MethodAllowed(const AdminRoute& route, std::string_view method) {
  std::string_view allow = route.allow;
  while (!allow.empty()) {
    size_t comma = allow.find(", ");
    if (allow.substr(0, comma) == method) return true;
    if (comma == std::string_view::npos) break;
    allow.remove_prefix(comma + 2);
  }
  return false;
}

// Headers on every admin answer: nothing cached (configs, audit), nothing sniffed or framed.
HttpResponse WithAdminHeaders(HttpResponse response) {
  response.headers["Cache-Control"] = "no-store";
  response.headers["X-Content-Type-Options"] = "nosniff";
  response.headers["Referrer-Policy"] = "no-referrer";
  response.headers["X-Frame-Options"] = "DENY";
  return response;
}

HttpResponse MakeResponse(int status, std::string_view content_type, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers["Content-Type"] = std::string(content_type);
  response.body = std::move(body);
  return WithAdminHeaders(std::move(response));
}

HttpResponse Json(int status, std::string body) {
  return MakeResponse(status, "application/json", std::move(body));
}

HttpResponse Error(const Status& status) { return WithAdminHeaders(ErrorResponse(status)); }

HttpResponse Unauthorized(const Status& status) {
  HttpResponse response = Error(status);
  response.headers["WWW-Authenticate"] = "Bearer realm=\"steroid-advisor-admin\"";
  return response;
}

HttpResponse Page(std::string_view content_type, std::string_view body) {
  HttpResponse response = MakeResponse(200, content_type, std::string(body));
  // Scripts and styles only from this origin, no inline code: a config value rendered by the
  // page can never run as script.
  response.headers["Content-Security-Policy"] =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
  return response;
}

bool IsJsonContentType(std::optional<std::string_view> content_type) {
  if (!content_type.has_value()) return true;
  std::string lower;
  for (char c : *content_type) {
    if (c == ';') break;
    if (c != ' ') lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower == "application/json" || lower.empty();
}

HttpResponse BodyTooLarge() {
  return Error(ResourceExhaustedError("request body: larger than " +
                                      std::to_string(kMaxAdminBodyBytes) + " bytes"));
}

// Digits only; values past 15 digits saturate (they are over any cap anyway).
std::optional<size_t> ParseContentLength(std::string_view text) {
  if (text.empty()) return std::nullopt;
  size_t value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    if (value < 1'000'000'000'000'000) value = value * 10 + static_cast<size_t>(c - '0');
  }
  return value;
}

void WriteProblems(Writer& writer, const std::vector<ConfigProblem>& problems) {
  writer.Key("problems");
  writer.StartArray();
  for (const ConfigProblem& problem : problems) {
    writer.StartObject();
    writer.Key("path");
    writer.String(problem.path);
    writer.Key("message");
    writer.String(problem.message);
    writer.EndObject();
  }
  writer.EndArray();
}

// 400 {"error":{"code":"invalid_argument","message":"config: N problem(s)"},"problems":[...]}.
HttpResponse InvalidConfig(const Status& status) {
  std::vector<ConfigProblem> problems = ProblemsFromStatus(status);
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.StartObject();
  writer.Key("code");
  writer.String("invalid_argument");
  writer.Key("message");
  writer.String("config: " + std::to_string(problems.size()) +
                (problems.size() == 1 ? " problem" : " problems"));
  writer.EndObject();
  WriteProblems(writer, problems);
  writer.EndObject();
  return Json(400, std::string(buffer.GetString(), buffer.GetSize()));
}

std::string ValueAsJson(const fhir::JsonValue& value) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

HttpResponse GetConfig(const AdminContext& context) {
  HttpResponse response = Json(200, *context.store->CurrentText());
  response.headers["X-Config-Version"] = std::to_string(context.store->version());
  return response;
}

HttpResponse PutConfig(const HttpRequest& request, const AdminContext& context) {
  StatusOr<ConfigStore::ReplaceResult> result =
      context.store->Replace(request.body, AdminActor(request), ConfigSource::kAdminApi);
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kInvalidArgument) {
      return InvalidConfig(result.status());
    }
    return Error(result.status());
  }
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("version");
  writer.Uint64(result->version);
  writer.Key("changed");
  writer.Bool(result->changed);
  writer.Key("changes");
  writer.StartArray();
  for (const ConfigChange& change : result->changes) {
    writer.StartObject();
    writer.Key("path");
    writer.String(change.path);
    writer.Key("old");
    writer.RawValue(change.old_json.data(), change.old_json.size(), rapidjson::kObjectType);
    writer.Key("new");
    writer.RawValue(change.new_json.data(), change.new_json.size(), rapidjson::kObjectType);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return Json(200, std::string(buffer.GetString(), buffer.GetSize()));
}

HttpResponse Validate(const HttpRequest& request) {
  Status status = ConfigStore::Validate(request.body);
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("valid");
  writer.Bool(status.ok());
  WriteProblems(writer, ProblemsFromStatus(status));
  writer.EndObject();
  return Json(200, std::string(buffer.GetString(), buffer.GetSize()));
}

HttpResponse Preview(const HttpRequest& request, const AdminContext& context) {
  rapidjson::Document document;
  Status parsed = fhir::ParseJson(request.body, fhir::kDefaultMaxJsonDepth, document);
  if (!parsed.ok()) return Error(parsed.WithPrefix("request body"));
  if (!document.IsObject()) return Error(InvalidArgumentError("request body: expected an object"));

  const fhir::JsonValue* hook_request = fhir::FindObject(document, "request");
  if (hook_request == nullptr) {
    return Error(InvalidArgumentError("request: required, a CDS Hooks request object"));
  }
  std::string_view service_id =
      fhir::FindString(document, "service").value_or(kDefaultPreviewService);
  const ServiceDefinition* service = FindService(service_id);
  if (service == nullptr) return Error(InvalidArgumentError("service: unknown service id"));

  fhir::Day today = context.clock ? context.clock() : TodayUtc();
  if (fhir::FindMember(document, "now") != nullptr) {
    std::optional<std::string_view> now = fhir::FindString(document, "now");
    std::optional<fhir::Day> day = now ? fhir::ParseFhirDate(*now) : std::nullopt;
    if (!day) return Error(InvalidArgumentError("now: expected a date, YYYY-MM-DD"));
    today = *day;
  }

  std::shared_ptr<const ServiceConfig> config;
  if (fhir::FindMember(document, "config") == nullptr) {
    config = context.store->Current();
  } else {
    const fhir::JsonValue* config_value = fhir::FindObject(document, "config");
    if (config_value == nullptr) return Error(InvalidArgumentError("config: expected an object"));
    StatusOr<ServiceConfig> proposed = ParseServiceConfig(ValueAsJson(*config_value));
    if (!proposed.ok()) return InvalidConfig(proposed.status());
    config = std::make_shared<const ServiceConfig>(std::move(*proposed));
  }

  HttpRequest hook_http;
  hook_http.method = "POST";
  hook_http.path = "/cds-services/" + std::string(service->id);
  hook_http.headers["content-type"] = "application/json";
  hook_http.body = ValueAsJson(*hook_request);
  HandlerContext hook_context;
  hook_context.config = std::move(config);
  hook_context.today = today;
  hook_context.fetcher = nullptr;  // a preview never reaches out to a FHIR server
  hook_context.request_id = "admin-preview";
  HttpResponse response = HandleHookOffline(hook_http, *service, hook_context);
  response.facts = RequestFacts();
  return WithAdminHeaders(std::move(response));
}

HttpResponse GetAudit(const AdminContext& context) {
  std::vector<AuditEntry> entries;
  if (context.audit_log != nullptr) entries = context.audit_log->Newest(kAdminAuditLimit);
  return Json(200, FormatAuditEntries(entries));
}

// The value of `name` in a query string, percent-decoded ('+' is a space; a broken escape is
// kept as written); nullopt when absent.
std::optional<std::string> QueryParameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    if (pair.substr(0, pair.find('=')) != name) continue;
    std::string_view raw = pair.find('=') == std::string_view::npos
                               ? std::string_view()
                               : pair.substr(pair.find('=') + 1);
    std::string value;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '+') {
        value += ' ';
      } else if (raw[i] != '%') {
        value += raw[i];
      } else {
        if (i + 2 >= raw.size() || !std::isxdigit(static_cast<unsigned char>(raw[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
          value += raw[i];
          continue;
        }
        value += static_cast<char>(std::stoi(std::string(raw.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      }
    }
    return value;
  }
  return std::nullopt;
}

// GET /admin/feedback/summary?from=...&to=...: `from` and `to` are ISO dates or dateTimes; a
// date `to` includes its whole day. Default: the 90 days up to now.
HttpResponse GetFeedbackSummary(const HttpRequest& request, const AdminContext& context) {
  if (context.feedback == nullptr) {
    return Error(UnavailableError("feedback store: not configured"));
  }
  constexpr int64_t kDefaultDays = 90;
  int64_t to_ms = NowMs();
  int64_t from_ms = to_ms - kDefaultDays * kMillisPerDay;
  bool from_given = false;
  for (std::string_view name : {"from", "to"}) {
    std::optional<std::string> text = QueryParameter(request.query, name);
    if (!text.has_value()) continue;
    std::optional<int64_t> ms = ParseInstantMs(*text);
    if (!ms.has_value()) {
      return Error(InvalidArgumentError(std::string(name) +
                                        ": expected a date (YYYY-MM-DD) or a dateTime "
                                        "(YYYY-MM-DDThh:mm:ssZ)"));
    }
    if (name == "from") {
      from_ms = *ms;
      from_given = true;
    } else {
      to_ms = IsDateOnly(*text) ? *ms + kMillisPerDay : *ms;
      if (!from_given) from_ms = to_ms - kDefaultDays * kMillisPerDay;
    }
  }
  if (from_ms >= to_ms) return Error(InvalidArgumentError("from: must be before to"));
  StatusOr<FeedbackSummary> summary = context.feedback->Summary(from_ms, to_ms);
  if (!summary.ok()) return Error(UnavailableError(summary.status().message()));
  return Json(200, WriteFeedbackSummary(*summary, from_ms, to_ms));
}

HttpResponse Dispatch(const HttpRequest& request, const AdminRoute& route,
                      const AdminContext& context) {
  const bool is_get = request.method == "GET" || request.method == "HEAD";
  switch (route.endpoint) {
    case Endpoint::kPage:
      return Page("text/html; charset=utf-8", context.assets.index_html);
    case Endpoint::kCss:
      return Page("text/css; charset=utf-8", context.assets.css);
    case Endpoint::kJs:
      return Page("text/javascript; charset=utf-8", context.assets.js);
    case Endpoint::kConfig:
      return is_get ? GetConfig(context) : PutConfig(request, context);
    case Endpoint::kValidate:
      return Validate(request);
    case Endpoint::kPreview:
      return Preview(request, context);
    case Endpoint::kAudit:
      return GetAudit(context);
    case Endpoint::kFeedbackSummary:
      return GetFeedbackSummary(request, context);
    case Endpoint::kExamples:
      return Json(200, context.assets.examples_json.empty()
                           ? std::string("{\"examples\":[]}")
                           : std::string(context.assets.examples_json));
    default:
      return Error(InternalError("unrouted admin endpoint"));
  }
}

}  // namespace

std::string AdminActor(const HttpRequest& request) {
  constexpr size_t kMaxActorLength = 64;
  std::string actor;
  for (char c : request.Header("x-admin-actor").value_or("")) {
    if (actor.size() >= kMaxActorLength) break;
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == ' ' || c == '.' || c == '-' || c == '_' || c == '@') actor += c;
  }
  size_t first = actor.find_first_not_of(' ');
  if (first == std::string::npos) return "admin";
  return actor.substr(first, actor.find_last_not_of(' ') - first + 1);
}

std::optional<HttpResponse> CheckAdminBeforeBody(const HttpRequest& head,
                                                 const AdminContext& context) {
  if (head.path == "/admin") {
    // Relative links in the page resolve against "/admin/".
    HttpResponse redirect = MakeResponse(308, "text/plain; charset=utf-8", "");
    redirect.headers["Location"] = "/admin/";
    return redirect;
  }
  const AdminRoute* route = FindRoute(head.path);
  if (route == nullptr) return Error(NotFoundError("no such admin route"));
  if (!MethodAllowed(*route, head.method)) {
    HttpResponse response =
        WithAdminHeaders(ErrorResponse(405, "method_not_allowed", "method not allowed here"));
    response.headers["Allow"] = std::string(route->allow);
    return response;
  }
  if (route->needs_token) {
    Status authorized = context.authenticator->Check(head.Header("authorization").value_or(""));
    if (!authorized.ok()) return Unauthorized(authorized);
  }
  if (head.method == "PUT" || head.method == "POST") {
    if (!IsJsonContentType(head.Header("content-type"))) {
      return WithAdminHeaders(
          ErrorResponse(415, "unsupported_media_type", "content-type: expected application/json"));
    }
    std::optional<std::string_view> length = head.Header("content-length");
    if (length.has_value()) {
      std::optional<size_t> bytes = ParseContentLength(*length);
      if (!bytes.has_value()) return Error(InvalidArgumentError("content-length: not a number"));
      if (*bytes > kMaxAdminBodyBytes) return BodyTooLarge();
    }
  }
  return std::nullopt;
}

HttpResponse HandleAdmin(const HttpRequest& request, const AdminContext& context) {
  try {
    if (std::optional<HttpResponse> early = CheckAdminBeforeBody(request, context)) {
      return *std::move(early);
    }
    if (request.body.size() > kMaxAdminBodyBytes) return BodyTooLarge();
    HttpResponse response = Dispatch(request, *FindRoute(request.path), context);
    if (request.method == "HEAD") response.body.clear();
    return response;
  } catch (const std::exception&) {
    return Error(InternalError("admin handler threw"));
  } catch (...) {
    return Error(InternalError("admin handler threw"));
  }
}

}  // namespace steroid_advisor::plugin
