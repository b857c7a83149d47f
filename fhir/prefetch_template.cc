#include "fhir/prefetch_template.h"

#include <array>
#include <cctype>
#include <optional>

#include "fhir/ascii.h"

namespace steroid_advisor::fhir {
namespace {

constexpr std::string_view kContextPrefix = "context.";

// The CDS Hooks 2.0 user tokens and the resource type context.userId must name for each.
struct UserToken {
  std::string_view token;
  std::string_view resource_type;
};
constexpr std::array<UserToken, 4> kUserTokens = {{
    {"userPractitionerId", "Practitioner"},
    {"userPractitionerRoleId", "PractitionerRole"},
    {"userPatientId", "Patient"},
    {"userRelatedPersonId", "RelatedPerson"},
}};

// "Practitioner/123" -> "123" when the type matches and the id is a single non-empty segment.
std::optional<std::string_view> IdOfReference(std::string_view reference,
                                              std::string_view resource_type) {
  if (reference.size() <= resource_type.size() + 1) return std::nullopt;
  if (reference.substr(0, resource_type.size()) != resource_type) return std::nullopt;
  if (reference[resource_type.size()] != '/') return std::nullopt;
  std::string_view id = reference.substr(resource_type.size() + 1);
  if (id.find('/') != std::string_view::npos) return std::nullopt;
  return id;
}

// The value of one token (without braces), or why there is none.
StatusOr<std::string_view> TokenValue(std::string_view token, const PrefetchContext& context) {
  if (token.substr(0, kContextPrefix.size()) == kContextPrefix) {
    const std::string_view name = token.substr(kContextPrefix.size());
    auto it = context.find(std::string(name));
    if (it == context.end() || it->second.empty()) {
      return NotFoundError("prefetch token {{" + std::string(token) + "}}: no value in context");
    }
    return std::string_view(it->second);
  }
  for (const UserToken& user_token : kUserTokens) {
    if (token != user_token.token) continue;
    auto it = context.find("userId");
    std::optional<std::string_view> id;
    if (it != context.end()) id = IdOfReference(it->second, user_token.resource_type);
    if (!id) {
      return NotFoundError("prefetch token {{" + std::string(token) +
                           "}}: context.userId is not a " + std::string(user_token.resource_type) +
                           " reference");
    }
    return *id;
  }
  return InvalidArgumentError("prefetch token {{" + std::string(token) + "}}: unknown token");
}

}  // namespace

std::string PercentEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(value.size());
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[u >> 4];
      encoded += kHex[u & 0x0f];
    }
  }
  return encoded;
}

StatusOr<std::string> RenderPrefetchTemplate(std::string_view template_text,
                                             const PrefetchContext& context) {
  std::string rendered;
  rendered.reserve(template_text.size());
  size_t position = 0;
  while (position < template_text.size()) {
    const size_t open = template_text.find("{{", position);
    if (open == std::string_view::npos) {
      rendered.append(template_text.substr(position));
      break;
    }
    rendered.append(template_text.substr(position, open - position));
    const size_t close = template_text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return InvalidArgumentError("prefetch template: \"{{\" without \"}}\"");
    }
    const std::string_view token = TrimAsciiWhitespace(template_text.substr(open + 2, close - open - 2));
    StatusOr<std::string_view> value = TokenValue(token, context);
    if (!value.ok()) return value.status();
    rendered += PercentEncode(*value);
    position = close + 2;
  }
  return rendered;
}

}  // namespace steroid_advisor::fhir
