// A PatientHasher turns a patient id into a keyed hash (HMAC-SHA256 with OpenSSL, hex), so the
// feedback store can tell cards of one patient apart from another's without holding the id.
// The key is per deployment: from STEROID_ADVISOR_PATIENT_HASH_KEY (shared by replicas), or a
// random 32-byte key kept in <data-dir>/patient-hash.key (created 0600 on first run).
// Owns: the key. Thread-safety: Hash is const and safe from many threads.
#ifndef STEROID_ADVISOR_PLUGIN_FEEDBACK_PATIENT_HASH_H_
#define STEROID_ADVISOR_PLUGIN_FEEDBACK_PATIENT_HASH_H_

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "fhir/status.h"

namespace steroid_advisor::plugin {

inline constexpr char kPatientHashKeyEnvVar[] = "STEROID_ADVISOR_PATIENT_HASH_KEY";
inline constexpr char kPatientHashKeyFileName[] = "patient-hash.key";
// Shorter keys from the environment are refused: the hash must not be guessable.
inline constexpr size_t kMinPatientHashKeyBytes = 32;

class PatientHasher {
 public:
  explicit PatientHasher(std::string key);

  // The key from `env_value` when set (InvalidArgument when shorter than
  // kMinPatientHashKeyBytes), else from <data_dir>/patient-hash.key, created with 32 random bytes
  // (hex) and mode 0600 when missing. Unavailable when the file cannot be read or written.
  static StatusOr<PatientHasher> FromEnvOrDataDir(const char* env_value,
                                                  const std::string& data_dir);

  // 64 lower-case hex digits.
  std::string Hash(std::string_view patient_id) const;

 private:
  std::string key_;
  // HMAC-SHA256 keyed once with key_, copied for each hash: OpenSSL 3's one-shot HMAC() looks the
  // algorithm up and derives the key pads again on every call. Shared by copies, never changed
  // after construction. Null when OpenSSL could not prepare it; Hash then makes the one-shot call.
  std::shared_ptr<const EVP_MAC_CTX> keyed_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_FEEDBACK_PATIENT_HASH_H_
