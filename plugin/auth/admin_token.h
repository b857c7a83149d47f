// The admin API's credential: one bearer token, from the environment variable
// STEROID_ADVISOR_ADMIN_TOKEN or from a file (--admin-token-file), checked in constant time.
// The token is never logged, echoed in an error, or written to the audit trail.
// Owns: a copy of the expected token's SHA-256 digest.
// Thread-safety: AdminAuthenticator is immutable after construction; Check is safe from many
// threads.
#ifndef STEROID_ADVISOR_PLUGIN_AUTH_ADMIN_TOKEN_H_
#define STEROID_ADVISOR_PLUGIN_AUTH_ADMIN_TOKEN_H_

#include <array>
#include <string>
#include <string_view>

#include "fhir/status.h"

namespace steroid_advisor::plugin {

inline constexpr char kAdminTokenEnvVar[] = "STEROID_ADVISOR_ADMIN_TOKEN";
// Shorter tokens are refused at startup: the admin API can change clinical advice.
inline constexpr size_t kMinAdminTokenLength = 16;

// The admin token: the first line of `token_file` (surrounding whitespace trimmed) when a file
// is given, else `env_value` (nullptr when the variable is unset). FailedPrecondition when there
// is no token at all (the admin API must not start), InvalidArgument when it is shorter than
// kMinAdminTokenLength or holds whitespace or control characters, Unavailable when the file
// cannot be read. Messages never contain the token.
StatusOr<std::string> ResolveAdminToken(const char* env_value, const std::string& token_file);

// An AdminAuthenticator decides whether an Authorization header carries the admin token.
class AdminAuthenticator {
 public:
  explicit AdminAuthenticator(std::string_view token);

  // OK for "Bearer <token>" (scheme case-insensitive). Unauthenticated otherwise, with a message
  // that says what is missing but never what was sent. The comparison runs over SHA-256 digests
  // with CRYPTO_memcmp, so its time depends neither on where the tokens differ nor on length.
  Status Check(std::string_view authorization_header) const;

 private:
  std::array<unsigned char, 32> expected_digest_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_AUTH_ADMIN_TOKEN_H_
