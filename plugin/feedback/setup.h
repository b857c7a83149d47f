// Builds the FeedbackRecorder cds_server runs with, from the config's "feedback" section and
// --data-dir, so main() stays a flag parser:
//   - the data directory is created (0700) when missing: it holds the patient hash key and, for
//     store "sqlite", feedback.sqlite3;
//   - "sqlite": the file is opened and migrated now; failure is an error (the service must not
//     run without its embedded store);
//   - "postgresql": the URL comes from STEROID_ADVISOR_POSTGRESQL_URL when set, else from
//     feedback.postgresqlUrl; the server is not contacted here: the recorder connects (with
//     backoff) once started, and answers feedback 503 until then.
// Thread-safety: call from main's thread.
#ifndef STEROID_ADVISOR_PLUGIN_FEEDBACK_SETUP_H_
#define STEROID_ADVISOR_PLUGIN_FEEDBACK_SETUP_H_

#include <iosfwd>
#include <memory>
#include <string>

#include "fhir/status.h"
#include "plugin/config/service_config.h"
#include "plugin/feedback/recorder.h"

namespace steroid_advisor::plugin {

inline constexpr char kPostgresqlUrlEnvVar[] = "STEROID_ADVISOR_POSTGRESQL_URL";
inline constexpr char kSqliteFileName[] = "feedback.sqlite3";

struct FeedbackSetupOptions {
  std::string data_dir = "data";
  const char* postgresql_url_env = nullptr;    // getenv(kPostgresqlUrlEnvVar)
  const char* patient_hash_key_env = nullptr;  // getenv(kPatientHashKeyEnvVar)
  std::ostream* log = nullptr;                 // nullptr: std::clog
  LogFormat log_format = LogFormat::kText;     // of the lines written to `log`
};

// The recorder, not yet started. Unavailable when the data directory or the SQLite file cannot
// be created or migrated; InvalidArgument when store "postgresql" has no URL or the patient hash
// key from the environment is too short.
StatusOr<std::unique_ptr<FeedbackRecorder>> CreateFeedbackRecorder(
    const FeedbackConfig& config, const FeedbackSetupOptions& options);

// mkdir -p with mode 0700 for what it creates. Unavailable naming the directory on failure.
Status CreateDirectories(const std::string& path);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_FEEDBACK_SETUP_H_
