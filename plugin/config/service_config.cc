#include "plugin/config/service_config.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "fhir/problem_list.h"
#include "plugin/config/services.h"

namespace steroid_advisor::plugin {
namespace {

using fhir::JsonValue;

void CheckKnownKeys(const JsonValue& object, const std::string& path,
                    const std::set<std::string_view>& known, fhir::ProblemList& problems) {
  for (const auto& [name, value] : fhir::ObjectMembers(object)) {
    (void)value;
    if (known.count(name) == 0) {
      problems.Add(path.empty() ? std::string(name) : path + "." + std::string(name),
                   "unknown key");
    }
  }
}

// A whole number as the admin wrote it, for messages: digits while a 64-bit integer holds it,
// else the shortest exponent form (casting 2e98 to an integer is undefined; config_fuzzer found
// it through the message of an out-of-range value).
std::string WholeNumberText(double number) {
  if (std::fabs(number) < 9.0e15) return std::to_string(static_cast<long long>(number));
  char text[32];
  std::snprintf(text, sizeof(text), "%g", number);
  return text;
}

// Reads an integer member in [min, max] into `out` (left unchanged when absent or wrong).
void ReadInt(const JsonValue& object, std::string_view key, const std::string& path, int64_t min,
             int64_t max, int64_t& out, fhir::ProblemList& problems) {
  const JsonValue* member = fhir::FindMember(object, key);
  if (member == nullptr) return;
  std::string member_path = path + "." + std::string(key);
  std::optional<double> number = fhir::AsNumber(*member);
  if (!number.has_value() || std::floor(*number) != *number) {
    problems.Add(member_path, "expected an integer");
    return;
  }
  if (*number < static_cast<double>(min) || *number > static_cast<double>(max)) {
    problems.Add(member_path, "must be between " + std::to_string(min) + " and " +
                                  std::to_string(max) + ", got " + WholeNumberText(*number));
    return;
  }
  out = static_cast<int64_t>(*number);
}

void ReadIntField(const JsonValue& object, std::string_view key, const std::string& path,
                  int64_t min, int64_t max, int& field, fhir::ProblemList& problems) {
  int64_t value = field;
  ReadInt(object, key, path, min, max, value, problems);
  field = static_cast<int>(value);
}

bool IsHttpUrl(std::string_view text) {
  auto starts = [&](std::string_view prefix) {
    return text.size() > prefix.size() && text.substr(0, prefix.size()) == prefix;
  };
  return starts("http://") || starts("https://");
}

void ParseServices(const JsonValue& root, ServiceConfig& config, fhir::ProblemList& problems) {
  for (const ServiceDefinition& service : Services()) {
    config.services[std::string(service.id)] = {std::string(service.default_title),
                                                std::string(service.default_description)};
  }
  const JsonValue* section = fhir::FindMember(root, "services");
  if (section == nullptr) return;
  if (!section->IsObject()) {
    problems.Add("services", "expected an object");
    return;
  }
  for (const auto& [id, value] : fhir::ObjectMembers(*section)) {
    std::string path = "services." + std::string(id);
    if (FindService(id) == nullptr) {
      problems.Add(path, "unknown service");
      continue;
    }
    if (!value->IsObject()) {
      problems.Add(path, "expected an object");
      continue;
    }
    CheckKnownKeys(*value, path, {"title", "description"}, problems);
    ServiceText& text = config.services[std::string(id)];
    for (auto [key, field] : {std::pair<std::string_view, std::string*>{"title", &text.title},
                              {"description", &text.description}}) {
      const JsonValue* member = fhir::FindMember(*value, key);
      if (member == nullptr) continue;  // the built-in text stays
      std::optional<std::string_view> string = fhir::AsString(*member);
      if (!string.has_value() || string->empty()) {
        problems.Add(path + "." + std::string(key), "expected a non-empty string");
        continue;
      }
      *field = std::string(*string);
    }
  }
}

void ParseFhir(const JsonValue& root, FhirFetchConfig& fhir, fhir::ProblemList& problems) {
  const JsonValue* section = fhir::FindMember(root, "fhir");
  if (section == nullptr) return;
  if (!section->IsObject()) {
    problems.Add("fhir", "expected an object");
    return;
  }
  CheckKnownKeys(*section, "fhir",
                 {"allowlist", "connectTimeoutMs", "totalTimeoutMs", "maxInFlightPerServer",
                  "maxPages", "cacheSeconds", "cacheMaxEntries", "verifyTls"},
                 problems);
  if (const JsonValue* allowlist = fhir::FindMember(*section, "allowlist")) {
    if (!allowlist->IsArray()) {
      problems.Add("fhir.allowlist", "expected an array of URL prefixes");
    } else {
      size_t index = 0;
      for (const JsonValue& entry : fhir::ArrayView(allowlist)) {
        std::string path = "fhir.allowlist[" + std::to_string(index++) + "]";
        std::optional<std::string_view> url = fhir::AsString(entry);
        if (!url.has_value() || !IsHttpUrl(*url)) {
          problems.Add(path, "expected an absolute http(s) URL prefix");
          continue;
        }
        fhir.allowlist.emplace_back(*url);
      }
    }
  }
  ReadIntField(*section, "connectTimeoutMs", "fhir", 1, 60000, fhir.connect_timeout_ms, problems);
  ReadIntField(*section, "totalTimeoutMs", "fhir", 1, 60000, fhir.total_timeout_ms, problems);
  ReadIntField(*section, "maxInFlightPerServer", "fhir", 1, 100000, fhir.max_in_flight_per_server,
               problems);
  ReadIntField(*section, "maxPages", "fhir", 1, 100, fhir.max_pages, problems);
  ReadIntField(*section, "cacheSeconds", "fhir", 0, 3600, fhir.cache_seconds, problems);
  ReadIntField(*section, "cacheMaxEntries", "fhir", 0, 1000000, fhir.cache_max_entries, problems);
  if (const JsonValue* verify = fhir::FindMember(*section, "verifyTls")) {
    if (!verify->IsBool()) {
      problems.Add("fhir.verifyTls", "expected true or false");
    } else {
      fhir.verify_tls = fhir::FindBool(*section, "verifyTls").value_or(true);
    }
  }
  if (fhir.total_timeout_ms < fhir.connect_timeout_ms) {
    problems.Add("fhir.totalTimeoutMs", "must not be less than fhir.connectTimeoutMs");
  }
}

void ParseServer(const JsonValue& root, ServerLimits& server, fhir::ProblemList& problems) {
  const JsonValue* section = fhir::FindMember(root, "server");
  if (section == nullptr) return;
  if (!section->IsObject()) {
    problems.Add("server", "expected an object");
    return;
  }
  CheckKnownKeys(
      *section, "server",
      {"maxBodyBytes", "maxJsonDepth", "maxHeaderBytes", "maxUrlBytes", "maxConnections",
       "headerTimeoutMs", "bodyTimeoutMs", "idleTimeoutMs", "writeTimeoutMs", "handlerTimeoutMs"},
      problems);
  int64_t max_body = static_cast<int64_t>(server.max_body_bytes);
  // 1 KiB is too small for any real request; 64 MiB is far above any medication record.
  ReadInt(*section, "maxBodyBytes", "server", 1024, 64 * 1024 * 1024, max_body, problems);
  server.max_body_bytes = static_cast<size_t>(max_body);
  // A CDS request with a Bundle of MedicationRequests nests about 10 deep; 16 leaves room.
  ReadIntField(*section, "maxJsonDepth", "server", 16, 512, server.max_json_depth, problems);
  // The HTTP edge's caps and timeouts: read at start-up (a change applies at the next start).
  ReadIntField(*section, "maxHeaderBytes", "server", 1024, 1024 * 1024, server.max_header_bytes,
               problems);
  ReadIntField(*section, "maxUrlBytes", "server", 256, 1024 * 1024, server.max_url_bytes, problems);
  ReadIntField(*section, "maxConnections", "server", 1, 100000, server.max_connections, problems);
  ReadIntField(*section, "headerTimeoutMs", "server", 100, 600000, server.header_timeout_ms,
               problems);
  ReadIntField(*section, "bodyTimeoutMs", "server", 100, 600000, server.body_timeout_ms, problems);
  ReadIntField(*section, "idleTimeoutMs", "server", 100, 3600000, server.idle_timeout_ms, problems);
  ReadIntField(*section, "writeTimeoutMs", "server", 100, 600000, server.write_timeout_ms,
               problems);
  ReadIntField(*section, "handlerTimeoutMs", "server", 100, 600000, server.handler_timeout_ms,
               problems);
}

// True for a segment of a jwt.h problem line that is a JSON path ("[0].jwks", "keys[1]", "crv")
// rather than a description ("required string", "x, y").
bool IsPathSegment(std::string_view segment) {
  if (segment.empty()) return false;
  for (char c : segment) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '.' || c == '[' || c == ']';
    if (!word) return false;
  }
  return true;
}

// ParseTrustedIssuers reports "[0].jwks: keys[1]: crv: expected P-384 or P-256" relative to the
// array; the config speaks in whole paths: "auth.trustedIssuers[0].jwks.keys[1].crv: expected
// ...". The last ": " segment is always the description, so a one-word one ("empty") stays one.
std::string AuthProblemLine(std::string_view line) {
  std::vector<std::string_view> segments;
  while (true) {
    size_t end = line.find(": ");
    segments.push_back(line.substr(0, end));
    if (end == std::string_view::npos) break;
    line.remove_prefix(end + 2);
  }
  std::string path = "auth.trustedIssuers";
  size_t index = 0;
  for (; index + 1 < segments.size() && IsPathSegment(segments[index]); ++index) {
    if (segments[index].front() != '[') path += '.';
    path += std::string(segments[index]);
  }
  std::string out = path;
  for (; index < segments.size(); ++index) out += ": " + std::string(segments[index]);
  return out;
}

void ParseAuth(const JsonValue& root, AuthConfig& auth, fhir::ProblemList& problems) {
  const JsonValue* section = fhir::FindMember(root, "auth");
  if (section == nullptr) return;
  if (!section->IsObject()) {
    problems.Add("auth", "expected an object");
    return;
  }
  CheckKnownKeys(*section, "auth",
                 {"requireJwt", "trustedIssuers", "serviceBaseUrl", "maxTokenLifetimeSeconds"},
                 problems);
  ReadIntField(*section, "maxTokenLifetimeSeconds", "auth", 1, 86400,
               auth.max_token_lifetime_seconds, problems);
  if (const JsonValue* require = fhir::FindMember(*section, "requireJwt")) {
    if (!require->IsBool()) {
      problems.Add("auth.requireJwt", "expected true or false");
    } else {
      auth.require_jwt = fhir::FindBool(*section, "requireJwt").value_or(false);
    }
  }
  if (const JsonValue* issuers = fhir::FindMember(*section, "trustedIssuers")) {
    StatusOr<std::vector<TrustedIssuer>> parsed =
        ParseTrustedIssuers(issuers->IsArray() ? issuers : nullptr);
    if (parsed.ok()) {
      auth.trusted_issuers = *std::move(parsed);
    } else {
      std::string_view report = parsed.status().message();
      while (!report.empty()) {
        size_t end = report.find('\n');
        std::string_view line = report.substr(0, end);
        // "expected an array" comes without a leading path: it is about the member itself.
        if (!line.empty()) {
          problems.AddLines(line.front() == '[' ? AuthProblemLine(line)
                                                : "auth.trustedIssuers: " + std::string(line));
        }
        report = end == std::string_view::npos ? std::string_view() : report.substr(end + 1);
      }
    }
  }
  if (const JsonValue* base = fhir::FindMember(*section, "serviceBaseUrl")) {
    // The audience is this plus the request path, which starts with '/': drop trailing ones.
    std::string_view url = fhir::AsString(*base).value_or("");
    while (!url.empty() && url.back() == '/') url.remove_suffix(1);
    if (!IsHttpUrl(url)) {
      problems.Add("auth.serviceBaseUrl", "expected an absolute http(s) URL");
    } else {
      auth.service_base_url = std::string(url);
    }
  }
  // Checked on the section as written: an issuer that failed to parse is a problem already.
  bool any_issuer_listed = fhir::Elements(*section, "trustedIssuers").size() > 0;
  if (auth.require_jwt && !any_issuer_listed) {
    problems.Add("auth.trustedIssuers",
                 "at least one issuer is required when auth.requireJwt is true (no call could "
                 "ever be served)");
  }
}

// True when a libpq URI carries a password ("scheme://user:secret@host" or "?password=").
bool UrlHasPassword(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    std::string_view rest = url.substr(scheme + 3);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos &&
        authority.substr(0, at).find(':') != std::string_view::npos) {
      return true;
    }
  }
  size_t query = url.find('?');
  if (query == std::string_view::npos) return false;
  std::string_view params = url.substr(query + 1);
  while (!params.empty()) {
    std::string_view param = params.substr(0, params.find('&'));
    if (param.substr(0, 9) == "password=") return true;
    if (param.size() == params.size()) break;
    params.remove_prefix(param.size() + 1);
  }
  return false;
}

void ParseFeedback(const JsonValue& root, FeedbackConfig& feedback, fhir::ProblemList& problems) {
  const JsonValue* section = fhir::FindMember(root, "feedback");
  if (section == nullptr) return;
  if (!section->IsObject()) {
    problems.Add("feedback", "expected an object");
    return;
  }
  CheckKnownKeys(*section, "feedback", {"store", "postgresqlUrl", "retentionDays", "queueSize"},
                 problems);
  if (const JsonValue* store = fhir::FindMember(*section, "store")) {
    std::optional<std::string_view> kind = fhir::AsString(*store);
    if (!kind.has_value() || (*kind != "sqlite" && *kind != "postgresql")) {
      problems.Add("feedback.store", "expected \"sqlite\" or \"postgresql\"");
    } else {
      feedback.store = std::string(*kind);
    }
  }
  if (const JsonValue* url = fhir::FindMember(*section, "postgresqlUrl")) {
    std::optional<std::string_view> text = fhir::AsString(*url);
    bool uri = text.has_value() &&
               (text->substr(0, 13) == "postgresql://" || text->substr(0, 11) == "postgres://");
    if (!text.has_value() || (!text->empty() && !uri)) {
      // The value is never echoed: it may hold credentials.
      problems.Add("feedback.postgresqlUrl", "expected a postgresql:// URI");
    } else if (UrlHasPassword(*text)) {
      problems.Add("feedback.postgresqlUrl",
                   "must not contain a password: use PGPASSWORD, PGPASSFILE or "
                   "STEROID_ADVISOR_POSTGRESQL_URL");
    } else {
      feedback.postgresql_url = std::string(*text);
    }
  }
  // 1 day at least (0 would delete what was just written); 100 years at most.
  ReadIntField(*section, "retentionDays", "feedback", 1, 36500, feedback.retention_days, problems);
  ReadIntField(*section, "queueSize", "feedback", 1, 1000000, feedback.queue_size, problems);
}

}  // namespace

StatusOr<ServiceConfig> ParseServiceConfig(std::string_view json_text) {
  rapidjson::Document document;
  Status parsed = fhir::ParseJson(json_text, fhir::kDefaultMaxJsonDepth, document);
  if (!parsed.ok()) return parsed.WithPrefix("config");
  if (!document.IsObject()) return InvalidArgumentError("config: expected a JSON object");

  fhir::ProblemList problems;
  CheckKnownKeys(document, "",
                 {"services", "thresholds", "rules", "fhir", "server", "auth", "feedback"},
                 problems);
  ServiceConfig config;
  ParseServices(document, config, problems);
  ParseFhir(document, config.fhir, problems);
  ParseServer(document, config.server, problems);
  ParseAuth(document, config.auth, problems);
  ParseFeedback(document, config.feedback, problems);
  StatusOr<cards::CardsConfig> cards = cards::ParseCardsConfig(document);
  if (cards.ok()) {
    config.cards = *std::move(cards);
  } else {
    problems.AddLines(cards.status().message());
  }
  if (!problems.empty()) return InvalidArgumentError(problems.Joined());
  return config;
}

std::shared_ptr<const ServiceConfig> DefaultServiceConfig() {
  static const std::shared_ptr<const ServiceConfig> kDefault = [] {
    StatusOr<ServiceConfig> config = ParseServiceConfig(cards::DefaultConfigJson());
    if (!config.ok()) {
      std::fprintf(stderr, "built-in default config does not parse:\n%s\n",
                   config.status().message().c_str());
      std::abort();
    }
    return std::make_shared<const ServiceConfig>(*std::move(config));
  }();
  return kDefault;
}

}  // namespace steroid_advisor::plugin
