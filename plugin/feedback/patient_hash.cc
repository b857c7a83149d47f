#include "plugin/feedback/patient_hash.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace steroid_advisor::plugin {
namespace {

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 0xf];
  }
  return hex;
}

std::string TrimNewlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// Creates the key file with O_EXCL so two processes starting together cannot both write one.
Status CreateKeyFile(const std::string& path) {
  unsigned char random[32];
  if (RAND_bytes(random, sizeof(random)) != 1) {
    return InternalError("patient hash key: no random bytes from OpenSSL");
  }
  std::string key = Hex(random, sizeof(random)) + "\n";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return OkStatus();
    return UnavailableError("patient hash key: cannot create " + path + ": " +
                            std::strerror(errno));
  }
  bool written =
      write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && fsync(fd) == 0;
  close(fd);
  if (!written) return UnavailableError("patient hash key: cannot write " + path);
  return OkStatus();
}

// An HMAC-SHA256 context keyed with `key`, or null.
std::shared_ptr<const EVP_MAC_CTX> KeyedHmac(const std::string& key) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  if (mac == nullptr) return nullptr;
  EVP_MAC_CTX* context = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);  // the context holds its own reference
  if (context == nullptr) return nullptr;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (key.empty() || EVP_MAC_init(context, reinterpret_cast<const unsigned char*>(key.data()),
                                  key.size(), params) != 1) {
    EVP_MAC_CTX_free(context);
    return nullptr;
  }
  return std::shared_ptr<const EVP_MAC_CTX>(
      context, [](const EVP_MAC_CTX* owned) { EVP_MAC_CTX_free(const_cast<EVP_MAC_CTX*>(owned)); });
}

}  // namespace

PatientHasher::PatientHasher(std::string key) : key_(std::move(key)), keyed_(KeyedHmac(key_)) {}

StatusOr<PatientHasher> PatientHasher::FromEnvOrDataDir(const char* env_value,
                                                        const std::string& data_dir) {
  if (env_value != nullptr && *env_value != '\0') {
    std::string key = env_value;
    if (key.size() < kMinPatientHashKeyBytes) {
      return InvalidArgumentError(std::string(kPatientHashKeyEnvVar) + ": at least " +
                                  std::to_string(kMinPatientHashKeyBytes) +
                                  " characters are required");
    }
    return PatientHasher(std::move(key));
  }
  std::string path = data_dir + "/" + kPatientHashKeyFileName;
  RETURN_IF_ERROR(CreateKeyFile(path));
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  std::string key = TrimNewlines(text.str());
  if (!file || key.size() < kMinPatientHashKeyBytes) {
    return UnavailableError("patient hash key: cannot read a key of at least " +
                            std::to_string(kMinPatientHashKeyBytes) + " characters from " + path);
  }
  return PatientHasher(std::move(key));
}

std::string PatientHasher::Hash(std::string_view patient_id) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  if (keyed_ != nullptr) {
    std::unique_ptr<EVP_MAC_CTX, void (*)(EVP_MAC_CTX*)> context(EVP_MAC_CTX_dup(keyed_.get()),
                                                                 EVP_MAC_CTX_free);
    size_t length = 0;
    if (context != nullptr &&
        EVP_MAC_update(context.get(), reinterpret_cast<const unsigned char*>(patient_id.data()),
                       patient_id.size()) == 1 &&
        EVP_MAC_final(context.get(), digest, &length, sizeof(digest)) == 1) {
      return Hex(digest, length);
    }
  }
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(patient_id.data()), patient_id.size(), digest,
           &length) == nullptr) {
    return "";
  }
  return Hex(digest, length);
}

}  // namespace steroid_advisor::plugin
