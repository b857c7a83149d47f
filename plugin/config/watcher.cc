#include "plugin/config/watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <mutex>

namespace steroid_advisor::plugin {
namespace {

// A signal handler can reach only globals. Set once (under the once_flag) before the handler
// is installed; atomic because a running watcher may look while the handler is installed.
std::atomic<int> g_sighup_read_fd{-1};
std::atomic<int> g_sighup_write_fd{-1};
static_assert(std::atomic<int>::is_always_lock_free, "read from a signal handler");

void OnSighup(int) {
  int saved_errno = errno;  // write() may change errno under the interrupted code's feet
  char byte = 1;
  // async-signal-safe; when the pipe is full a reload is pending anyway.
  ssize_t ignored = ::write(g_sighup_write_fd.load(), &byte, 1);
  (void)ignored;
  errno = saved_errno;
}

bool MakePipe(int fds[2]) { return ::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0; }

// Within this long of its last write, a file's mtime cannot tell two versions apart reliably.
bool RecentlyModified(const FileIdentity& identity) {
  constexpr int64_t kRacyWindowNs = 2'000'000'000;
  int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return now_ns - identity.mtime_ns < kRacyWindowNs;
}

void Drain(int fd) {
  char buffer[64];
  while (::read(fd, buffer, sizeof(buffer)) > 0) {
  }
}

}  // namespace

Status InstallSighupHandler() {
  static std::once_flag once;
  static Status result;
  std::call_once(once, [] {
    int fds[2];
    if (!MakePipe(fds)) {
      result = InternalError(std::string("sighup: pipe failed: ") + std::strerror(errno));
      return;
    }
    g_sighup_read_fd.store(fds[0]);
    g_sighup_write_fd.store(fds[1]);
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = OnSighup;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (::sigaction(SIGHUP, &action, nullptr) != 0) {
      result = InternalError(std::string("sighup: sigaction failed: ") + std::strerror(errno));
    }
  });
  return result;
}

ConfigWatcher::ConfigWatcher(ConfigStore* store, Options options)
    : store_(store), options_(std::move(options)), events_(&std::cerr, options_.log_format) {}

ConfigWatcher::~ConfigWatcher() {
  Stop();
  for (int fd : stop_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

Status ConfigWatcher::Start() {
  if (thread_.joinable()) return FailedPreconditionError("config watcher: already started");
  if (stop_pipe_[0] < 0 && !MakePipe(stop_pipe_)) {
    return InternalError(std::string("config watcher: pipe failed: ") + std::strerror(errno));
  }
  last_identity_ = StatFile(options_.path);
  StatusOr<std::string> text = ReadConfigFile(options_.path);
  last_text_ = text.ok() ? *text : "";
  thread_ = std::thread([this] { Run(); });
  return OkStatus();
}

void ConfigWatcher::Stop() {
  if (!thread_.joinable()) return;
  char byte = 1;
  ssize_t ignored = ::write(stop_pipe_[1], &byte, 1);
  (void)ignored;
  thread_.join();
  Drain(stop_pipe_[0]);
}

void ConfigWatcher::Run() {
  const int timeout_ms = static_cast<int>(options_.poll_interval.count());
  while (true) {
    const int sighup_fd = g_sighup_read_fd.load();
    pollfd fds[2] = {{stop_pipe_[0], POLLIN, 0}, {sighup_fd, POLLIN, 0}};
    // A negative fd is ignored by poll(): no SIGHUP pipe means file polling only.
    int ready = ::poll(fds, 2, timeout_ms);
    if (ready < 0 && errno != EINTR) {
      Log(LogLevel::kError, std::string("poll failed: ") + std::strerror(errno));
      return;
    }
    if (ready > 0 && (fds[0].revents & POLLIN) != 0) return;
    if (ready > 0 && (fds[1].revents & POLLIN) != 0) {
      Drain(sighup_fd);  // several SIGHUPs in a row are one reload
      Reload(ConfigSource::kSighup);
      continue;
    }
    std::optional<FileIdentity> identity = StatFile(options_.path);
    if (!identity.has_value()) continue;
    if (identity != last_identity_) {
      Reload(ConfigSource::kFileWatch);
    } else if (RecentlyModified(*identity)) {
      // Two writes of the same size within one timestamp tick look identical to stat (git's
      // "racy" files); while the mtime is that fresh, compare the bytes too.
      StatusOr<std::string> text = ReadConfigFile(options_.path);
      if (text.ok() && *text != last_text_) Reload(ConfigSource::kFileWatch);
    }
  }
}

void ConfigWatcher::Reload(ConfigSource source) {
  const std::string where = options_.path + " (" + std::string(ConfigSourceName(source)) + ")";
  // Stat before reading: if the file changes in between, the next poll sees a new identity and
  // reads it again, so no write is missed.
  last_identity_ = StatFile(options_.path);
  StatusOr<std::string> text = ReadConfigFile(options_.path);
  if (!text.ok()) {
    Log(LogLevel::kError, where + ": not reloaded: " + text.status().message());
    return;
  }
  last_text_ = *text;
  StatusOr<ConfigStore::ReplaceResult> result = store_->Replace(*text, "system", source);
  if (!result.ok()) {
    std::string line = where + ": rejected, the running config keeps serving:";
    for (const ConfigProblem& problem : ProblemsFromStatus(result.status())) {
      line += "\n  " + (problem.path.empty() ? "" : problem.path + ": ") + problem.message;
    }
    Log(LogLevel::kError, line);
    return;
  }
  if (!result->changed) {
    // A file-watch hit after our own admin-api write is expected; only say so when asked.
    if (source == ConfigSource::kSighup) Log(LogLevel::kInfo, where + ": unchanged");
    return;
  }
  Log(LogLevel::kInfo, where + ": reloaded, version " + std::to_string(result->version) + ", " +
                           std::to_string(result->changes.size()) + " change(s)");
}

void ConfigWatcher::Log(LogLevel level, const std::string& message) {
  if (options_.log) {
    options_.log("config: " + message);
  } else {
    events_.Write(level, "config", message);
  }
}

}  // namespace steroid_advisor::plugin
