#include "plugin/auth/admin_token.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "fhir/ascii.h"

namespace steroid_advisor::plugin {
namespace {

std::array<unsigned char, 32> Sha256(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

Status CheckTokenShape(std::string_view token, std::string_view where) {
  if (token.size() < kMinAdminTokenLength) {
    return InvalidArgumentError(std::string(where) + ": admin token must be at least " +
                                std::to_string(kMinAdminTokenLength) + " characters");
  }
  for (char c : token) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      return InvalidArgumentError(std::string(where) +
                                  ": admin token must not contain spaces or control characters");
    }
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::string> ResolveAdminToken(const char* env_value, const std::string& token_file) {
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in) return UnavailableError("--admin-token-file " + token_file + ": cannot read");
    std::string first_line;
    std::getline(in, first_line);
    std::string token(fhir::TrimAsciiWhitespace(first_line));
    if (token.empty()) {
      return FailedPreconditionError("--admin-token-file " + token_file + ": empty");
    }
    RETURN_IF_ERROR(CheckTokenShape(token, "--admin-token-file " + token_file));
    return token;
  }
  std::string token = env_value == nullptr ? "" : std::string(fhir::TrimAsciiWhitespace(env_value));
  if (token.empty()) {
    return FailedPreconditionError(std::string("the admin api needs a token: set ") +
                                   kAdminTokenEnvVar + " or pass --admin-token-file FILE");
  }
  RETURN_IF_ERROR(CheckTokenShape(token, kAdminTokenEnvVar));
  return token;
}

AdminAuthenticator::AdminAuthenticator(std::string_view token) : expected_digest_(Sha256(token)) {}

Status AdminAuthenticator::Check(std::string_view authorization_header) const {
  std::string_view header = fhir::TrimAsciiWhitespace(authorization_header);
  constexpr std::string_view kScheme = "bearer ";
  if (header.empty()) return UnauthenticatedError("authorization: bearer token required");
  bool is_bearer = header.size() > kScheme.size();
  for (size_t i = 0; is_bearer && i < kScheme.size(); ++i) {
    is_bearer = std::tolower(static_cast<unsigned char>(header[i])) == kScheme[i];
  }
  if (!is_bearer) return UnauthenticatedError("authorization: expected a bearer token");
  std::array<unsigned char, 32> presented =
      Sha256(fhir::TrimAsciiWhitespace(header.substr(kScheme.size())));
  if (CRYPTO_memcmp(presented.data(), expected_digest_.data(), presented.size()) != 0) {
    return UnauthenticatedError("authorization: wrong admin token");
  }
  return OkStatus();
}

}  // namespace steroid_advisor::plugin
