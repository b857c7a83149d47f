// The running service configuration, replaceable while requests are being answered. Readers
// take one snapshot (`Current()`, an atomic shared_ptr load) at the start of a request and
// finish on it; a writer validates the whole new text with ParseServiceConfig and swaps it in
// with one atomic store only when valid, so no request ever sees half a change. Every change
// is recorded in the audit log with what changed (old and new value by JSON path), who made it,
// and through which door; changes through the admin API are also written back to the config
// file, so a restart keeps them.
// Owns: the live config (shared with readers); not the AuditLog.
// Thread-safety: ConfigStore is safe for concurrent use. Current(), CurrentText() and version()
// never block; Replace() calls are serialized by an internal mutex.
#ifndef STEROID_ADVISOR_PLUGIN_CONFIG_STORE_H_
#define STEROID_ADVISOR_PLUGIN_CONFIG_STORE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/status.h"
#include "plugin/config/audit_log.h"
#include "plugin/config/diff.h"
#include "plugin/config/service_config.h"
#include "plugin/ops/metrics.h"

namespace steroid_advisor::plugin {

// Through which door a config change came; spelled in the audit trail as the comments say.
enum class ConfigSource {
  kStartup,    // "startup": --config FILE read when the process starts
  kAdminApi,   // "admin-api": PUT /admin/config
  kSighup,     // "sighup": the file re-read on SIGHUP
  kFileWatch,  // "file-watch": the file re-read because it changed on disk
};
std::string_view ConfigSourceName(ConfigSource source);

// One validation problem, as the admin page shows it next to the field at `path`.
struct ConfigProblem {
  std::string path;  // "thresholds.prolongedDays"; "" when the problem is not about one field
  std::string message;
};

// The problems in a validation Status, whose message holds one "path: message" per line.
std::vector<ConfigProblem> ProblemsFromStatus(const Status& status);

class ConfigStore {
 public:
  struct Options {
    // Where admin-api changes are persisted; "" keeps them in memory only.
    std::string file_path;
    // Not owned; must outlive the store. nullptr records nothing.
    AuditLog* audit_log = nullptr;
    // For audit timestamps; injectable so tests do not depend on the wall clock.
    std::function<std::chrono::system_clock::time_point()> clock;
  };

  // What a successful Replace did.
  struct ReplaceResult {
    bool changed = false;  // false: the text meant the same config; nothing was done
    uint64_t version = 0;  // the version now serving
    std::vector<ConfigChange> changes;
  };

  // Serves `initial_text` (e.g. cards::DefaultConfigJson()) at version 1; InvalidArgument
  // listing every problem when it is not a valid config.
  static StatusOr<std::unique_ptr<ConfigStore>> Create(std::string_view initial_text,
                                                       Options options);

  ConfigStore(const ConfigStore&) = delete;
  ConfigStore& operator=(const ConfigStore&) = delete;

  // The config to answer one request with. Never null. Hold it for the whole request.
  std::shared_ptr<const ServiceConfig> Current() const;
  // The JSON text of the config Current() returns (as it was accepted), for GET /admin/config.
  std::shared_ptr<const std::string> CurrentText() const;
  // Starts at 1 and grows by one with every change actually swapped in.
  uint64_t version() const;

  // Calls `listener` now with the current config, then after every swap with the new one, in
  // swap order, on the thread that made the change (while holding the write lock: keep it
  // short, e.g. Server::SetConfig). For components that hold their own config pointer. One
  // listener; a second call replaces the first.
  using ChangeListener = std::function<void(std::shared_ptr<const ServiceConfig>)>;
  void OnChange(ChangeListener listener);

  // Counts every Replace, applied or rejected, by source. `metrics` must outlive the store.
  void SetMetrics(Metrics* metrics) { metrics_.store(metrics); }

  // Validates the whole `text` without changing anything: InvalidArgument with every problem
  // ("path: message" per line) when invalid.
  static Status Validate(std::string_view text);

  // Replaces the running config by `text` when it is valid and means something different
  // (formatting and member order alone are not a change): persists it first when `source` is
  // kAdminApi and the store has a file, then swaps it in and appends one audit entry naming
  // `actor` and `source`. InvalidArgument with every problem when `text` is invalid,
  // Unavailable when persisting failed; in both cases the old config keeps serving unchanged.
  StatusOr<ReplaceResult> Replace(std::string_view text, std::string_view actor,
                                  ConfigSource source);

 private:
  // One accepted config: parsed form and text are swapped together so they always agree.
  struct Live {
    ServiceConfig config;
    std::string text;
    uint64_t version = 0;
  };

  ConfigStore(std::shared_ptr<const Live> live, Options options);

  std::shared_ptr<const Live> LoadLive() const;

  const Options options_;
  StatusOr<ReplaceResult> ReplaceUncounted(std::string_view text, std::string_view actor,
                                           ConfigSource source);

  std::atomic<Metrics*> metrics_{nullptr};
  std::mutex mu_;  // serializes Replace: validate, persist, swap and audit happen as one step
  ChangeListener listener_;  // guarded by mu_
  // Written (std::atomic_store) only while holding mu_; read lock-free with std::atomic_load.
  std::shared_ptr<const Live> live_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_CONFIG_STORE_H_
