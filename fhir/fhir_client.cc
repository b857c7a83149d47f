#include "fhir/fhir_client.h"

#include <cctype>

#include "fhir/ascii.h"

namespace steroid_advisor::fhir {
namespace {

int DefaultPort(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

// Control characters and spaces never belong in a URL we send; refusing them keeps a request
// line from being split (CRLF injection) by a hostile fhirServer or next link.
bool HasForbiddenCharacter(std::string_view url) {
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return true;
  }
  return false;
}

bool IsHostCharacter(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::optional<int> ParsePort(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  int port = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port == 0 || port > 65535) return std::nullopt;
  return port;
}

}  // namespace

std::string HttpUrl::Origin() const {
  std::string origin = scheme + "://" + host;
  if (port != DefaultPort(scheme)) origin += ":" + std::to_string(port);
  return origin;
}

std::string HttpUrl::PathAndQuery() const { return query.empty() ? path : path + "?" + query; }

std::optional<HttpUrl> ParseHttpUrl(std::string_view url) {
  if (HasForbiddenCharacter(url)) return std::nullopt;
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  HttpUrl parsed;
  parsed.scheme = AsciiLower(url.substr(0, scheme_end));
  if (parsed.scheme != "http" && parsed.scheme != "https") return std::nullopt;

  std::string_view rest = url.substr(scheme_end + 3);
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  const size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view path_and_query =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  // User info would let "https://trusted.example@evil.example" pass a naive prefix check.
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;

  std::string_view host;
  std::string_view port_text;
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
      if (port_text.empty()) return std::nullopt;
    }
    for (char c : host.substr(1, host.size() - 2)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.')
        return std::nullopt;
    }
  } else {
    const size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return std::nullopt;
    }
    if (host.empty()) return std::nullopt;
    for (char c : host) {
      if (!IsHostCharacter(c)) return std::nullopt;
    }
  }
  parsed.host = AsciiLower(host);
  if (port_text.empty()) {
    parsed.port = DefaultPort(parsed.scheme);
  } else {
    std::optional<int> port = ParsePort(port_text);
    if (!port) return std::nullopt;
    parsed.port = *port;
  }

  const size_t question = path_and_query.find('?');
  parsed.path = std::string(path_and_query.substr(0, question));
  if (parsed.path.empty()) parsed.path = "/";
  if (question != std::string_view::npos) {
    parsed.query = std::string(path_and_query.substr(question + 1));
  }
  return parsed;
}

bool IsUnderBase(std::string_view url, std::string_view base) {
  std::optional<HttpUrl> target = ParseHttpUrl(url);
  std::optional<HttpUrl> server = ParseHttpUrl(base);
  if (!target || !server) return false;
  if (target->scheme != server->scheme || target->host != server->host ||
      target->port != server->port) {
    return false;
  }
  std::string_view base_path = server->path;
  while (!base_path.empty() && base_path.back() == '/') base_path.remove_suffix(1);
  std::string_view path = target->path;
  if (path.substr(0, base_path.size()) != base_path) return false;
  // "/fhir" covers "/fhir" and "/fhir/..." but not "/fhirX".
  return path.size() == base_path.size() || path[base_path.size()] == '/';
}

std::string JoinFhirUrl(std::string_view base, std::string_view relative) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  std::string joined(base);
  joined += '/';
  joined += relative;
  return joined;
}

}  // namespace steroid_advisor::fhir
