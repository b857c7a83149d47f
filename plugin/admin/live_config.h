// LiveConfig puts together what makes the configuration changeable while the service runs, so
// main() stays a flag parser: the --config file loaded and validated at startup, the audit log
// (next to the config, or in memory), the ConfigStore, SIGHUP and file-change reloads, and the
// admin API on its own port when --admin-port is given (which then requires a token).
// Owns: the audit log, the store, the watcher and the admin server.
// Thread-safety: Create/Start/Stop from main's thread; store() is safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_ADMIN_LIVE_CONFIG_H_
#define STEROID_ADVISOR_PLUGIN_ADMIN_LIVE_CONFIG_H_

#include <functional>
#include <memory>
#include <string>

#include "fhir/date.h"
#include "fhir/status.h"
#include "plugin/admin/server.h"
#include "plugin/config/audit_log.h"
#include "plugin/config/store.h"
#include "plugin/config/watcher.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace steroid_advisor::plugin {

struct LiveConfigOptions {
  std::string config_path;  // --config FILE; "": built-in defaults, nothing to watch or persist
  // --audit-log FILE (must be writable); "": <config>.audit.jsonl when that can be written, else
  // (and without a config file) in memory.
  std::string audit_log_path;
  int admin_port = 0;                     // --admin-port N; 0: no admin API
  std::string admin_host = "127.0.0.1";   // --admin-host H
  std::string admin_token_file;           // --admin-token-file FILE
  const char* admin_token_env = nullptr;  // getenv(kAdminTokenEnvVar)
  std::function<fhir::Day()> clock;       // "today" for admin previews; empty: UTC today
  AdminAssets admin_assets;               // the admin page: EmbeddedAdminAssets() in cds_server
  std::shared_ptr<boost::asio::ssl::context> admin_tls;  // --tls-cert/--tls-key; null: plain
  LogFormat log_format = LogFormat::kText;               // --log-format
  FeedbackRecorder* feedback = nullptr;  // the admin feedback summary; set_feedback before Start
};

class LiveConfig {
 public:
  // Reads and validates the config file (InvalidArgument with every problem, or the read error),
  // opens the audit log (Unavailable when an explicit --audit-log cannot be written) and, when an
  // admin port is given, resolves the admin token (the admin API never runs without one:
  // FailedPrecondition/InvalidArgument naming the fix). Records a "startup" audit entry for how the
  // file differs from the built-in defaults. Starts nothing.
  static StatusOr<std::unique_ptr<LiveConfig>> Create(LiveConfigOptions options);
  ~LiveConfig();  // Stops.

  ConfigStore& store() { return *store_; }
  // The recorder the admin API reads the feedback summary from (it is built from the config, so
  // after Create). Call before Start; it must outlive this.
  void set_feedback(FeedbackRecorder* feedback) { options_.feedback = feedback; }

  // Installs the SIGHUP handler and starts the file watcher (with a config file) and the admin
  // server (with an admin port). Unavailable when the admin port cannot be bound.
  Status Start();
  void Stop();

  // "http://host:port/admin/", or "" without the admin API.
  std::string admin_url() const;

 private:
  explicit LiveConfig(LiveConfigOptions options) : options_(std::move(options)) {}

  LiveConfigOptions options_;
  std::string admin_token_;
  std::unique_ptr<AuditLog> audit_log_;
  std::unique_ptr<ConfigStore> store_;
  std::unique_ptr<ConfigWatcher> watcher_;
  std::unique_ptr<AdminServer> admin_server_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_ADMIN_LIVE_CONFIG_H_
