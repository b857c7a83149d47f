// Reloads the config file into the ConfigStore when an operator asks (SIGHUP) or when the file
// changes on disk (polled by inode, size and mtime). An invalid file (for instance one caught
// half-written) is rejected and logged and the running config keeps serving; the next complete
// write is picked up. Re-reading a file that means the same config changes nothing. While the
// file's mtime is under two seconds old its bytes are compared too, since two same-size writes
// within one timestamp tick have the same identity.
// The SIGHUP handler only writes one byte to a self-pipe: all work happens on the watcher's
// own thread.
// Owns: its thread and its stop pipe; not the store.
// Thread-safety: Start and Stop from one owning thread; the watcher thread only calls the
// (thread-safe) ConfigStore. One running watcher per process receives SIGHUP.
#ifndef STEROID_ADVISOR_PLUGIN_CONFIG_WATCHER_H_
#define STEROID_ADVISOR_PLUGIN_CONFIG_WATCHER_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "fhir/status.h"
#include "plugin/config/file.h"
#include "plugin/config/store.h"
#include "plugin/ops/event_log.h"

namespace steroid_advisor::plugin {

// Installs the process-wide SIGHUP handler (idempotent). Until a ConfigWatcher runs, SIGHUPs
// are remembered in the pipe, not lost; the process no longer dies of SIGHUP. Internal when
// the pipe or sigaction fails.
Status InstallSighupHandler();

class ConfigWatcher {
 public:
  struct Options {
    std::string path;  // the --config file
    std::chrono::milliseconds poll_interval{1000};
    // One line per reload outcome (accepted, unchanged, rejected with every problem), as
    // "config: <message>". Default: the event log on stderr, in `log_format`.
    std::function<void(std::string_view)> log;
    LogFormat log_format = LogFormat::kText;
  };

  // `store` must outlive the watcher.
  ConfigWatcher(ConfigStore* store, Options options);
  ~ConfigWatcher();  // Stops the thread.
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

  // Starts polling (and serving SIGHUP when InstallSighupHandler was called). Internal when the
  // stop pipe cannot be made; FailedPrecondition when already started.
  Status Start();
  // Returns after the thread has finished; safe to call twice.
  void Stop();

 private:
  void Run();
  void Reload(ConfigSource source);
  void Log(LogLevel level, const std::string& message);

  ConfigStore* const store_;
  const Options options_;
  EventLog events_;  // used when options_.log is empty
  int stop_pipe_[2] = {-1, -1};
  std::thread thread_;
  // Used only by the watcher thread (and by Start before the thread exists).
  std::optional<FileIdentity> last_identity_;
  std::string last_text_;  // the file as last read
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_CONFIG_WATCHER_H_
