// The config file on disk: reading it (bounded), writing it atomically (temp file in the same
// directory, fsync, rename, fsync the directory) so a reader or a crash never sees half a
// config, and the identity (inode, size, mtime) the watcher compares to notice a change.
// Owns: nothing. Thread-safety: stateless functions, safe from any thread; two concurrent
// writers of the same path each leave a complete file (the last rename wins).
#ifndef STEROID_ADVISOR_PLUGIN_CONFIG_FILE_H_
#define STEROID_ADVISOR_PLUGIN_CONFIG_FILE_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fhir/status.h"

namespace steroid_advisor::plugin {

// Larger files are refused: a config is a few tens of kilobytes.
inline constexpr size_t kMaxConfigFileBytes = 1 << 20;

// The whole file. NotFound when it does not exist, Unavailable when it cannot be read,
// ResourceExhausted when it is larger than `max_bytes`.
StatusOr<std::string> ReadConfigFile(const std::string& path,
                                     size_t max_bytes = kMaxConfigFileBytes);

// Replaces `path` with `contents` atomically: writes "<path>.tmp-XXXXXX" in the same directory
// (same filesystem, so rename is atomic), fsyncs it, keeps the old file's permission bits (0600
// for a new file), renames it over `path` and fsyncs the directory. Unavailable on any failure;
// the old file is then untouched and the temp file removed.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

// What identifies one version of a file without reading it.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  int64_t mtime_ns = 0;

  bool operator==(const FileIdentity& other) const {
    return device == other.device && inode == other.inode && size == other.size &&
           mtime_ns == other.mtime_ns;
  }
  bool operator!=(const FileIdentity& other) const { return !(*this == other); }
};

// std::nullopt when the file does not exist or cannot be stat'ed.
std::optional<FileIdentity> StatFile(const std::string& path);

// "<config>.audit.jsonl": where the audit trail lives by default.
std::string DefaultAuditLogPath(const std::string& config_path);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_CONFIG_FILE_H_
