#include "plugin/feedback/setup.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "plugin/feedback/postgresql_store.h"
#include "plugin/feedback/sqlite_store.h"

namespace steroid_advisor::plugin {

Status CreateDirectories(const std::string& path) {
  if (path.empty()) return InvalidArgumentError("--data-dir: must not be empty");
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return UnavailableError("cannot create directory " + prefix + ": " + std::strerror(errno));
    }
    if (slash == std::string::npos) break;
  }
  struct stat info;
  if (stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return UnavailableError(path + ": not a directory");
  }
  return OkStatus();
}

StatusOr<std::unique_ptr<FeedbackRecorder>> CreateFeedbackRecorder(
    const FeedbackConfig& config, const FeedbackSetupOptions& options) {
  RETURN_IF_ERROR(CreateDirectories(options.data_dir));
  StatusOr<PatientHasher> hasher =
      PatientHasher::FromEnvOrDataDir(options.patient_hash_key_env, options.data_dir);
  if (!hasher.ok()) return hasher.status();

  FeedbackRecorderOptions recorder;
  recorder.hasher = *std::move(hasher);
  recorder.queue_capacity = static_cast<size_t>(config.queue_size);
  recorder.retention_days = config.retention_days;
  recorder.log = options.log;
  recorder.log_format = options.log_format;
  if (config.store == "postgresql") {
    std::string url = options.postgresql_url_env != nullptr && *options.postgresql_url_env != '\0'
                          ? options.postgresql_url_env
                          : config.postgresql_url;
    if (url.empty()) {
      return InvalidArgumentError(std::string("feedback.store is \"postgresql\": set "
                                              "feedback.postgresqlUrl or ") +
                                  kPostgresqlUrlEnvVar);
    }
    recorder.store = std::make_unique<PostgresqlStore>(std::move(url));
  } else {
    StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open(options.data_dir + "/" + kSqliteFileName);
    if (!store.ok()) return store.status();
    RETURN_IF_ERROR((*store)->Migrate());
    recorder.store = *std::move(store);
  }
  return std::make_unique<FeedbackRecorder>(std::move(recorder));
}

}  // namespace steroid_advisor::plugin
