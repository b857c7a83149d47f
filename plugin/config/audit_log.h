// The audit trail of configuration changes: who changed what, when, and through which door
// (admin API, SIGHUP, file watch, startup). Append-only JSON Lines, one entry per line, in a
// file next to the config (`<config>.audit.jsonl`), or in memory when there is no config file.
// The admin token is never part of an entry: entries hold the actor's name, not credentials.
// Owns: the file descriptor it appends to and the newest entries in memory.
// Thread-safety: AuditLog is safe for concurrent use (an internal mutex serializes appends).
#ifndef STEROID_ADVISOR_PLUGIN_CONFIG_AUDIT_LOG_H_
#define STEROID_ADVISOR_PLUGIN_CONFIG_AUDIT_LOG_H_

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/status.h"
#include "plugin/config/diff.h"

namespace steroid_advisor::plugin {

struct AuditEntry {
  std::string time;    // UTC, "2026-11-25T08:12:29Z"
  std::string actor;   // "admin", the X-Admin-Actor name, or "system"
  std::string source;  // "admin-api", "sighup", "file-watch", "startup"
  std::vector<ConfigChange> changes;
};

// "2026-11-25T08:12:29Z".
std::string FormatUtcTime(std::chrono::system_clock::time_point time);

// One entry as one line of JSON (no newline): {"time","actor","source","changes":[{"path","old",
// "new"}]}, where old and new are the JSON values themselves.
std::string FormatAuditEntry(const AuditEntry& entry);
// The inverse; InvalidArgument for a line that is not such an entry.
StatusOr<AuditEntry> ParseAuditEntry(std::string_view line);

// {"entries":[...]} for GET /admin/audit.
std::string FormatAuditEntries(const std::vector<AuditEntry>& newest_first);

// An AuditLog is an append-only record of configuration changes, keeping the newest
// `max_in_memory` entries readable without touching the disk.
class AuditLog {
 public:
  static constexpr size_t kDefaultMaxInMemory = 200;

  // In memory only (no config file).
  explicit AuditLog(size_t max_in_memory = kDefaultMaxInMemory);
  // Appends to `path` (created 0600 if missing) and first reads its newest entries back, so the
  // trail survives restarts. Unreadable lines are skipped (a torn last line after a crash must
  // not stop the service). Unavailable when the file cannot be opened for appending.
  static StatusOr<std::unique_ptr<AuditLog>> Open(const std::string& path,
                                                  size_t max_in_memory = kDefaultMaxInMemory);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Records `entry` in memory, then appends and fsyncs it to the file. Unavailable when the
  // write fails (the entry is still kept in memory).
  Status Append(const AuditEntry& entry);

  // Up to `limit` entries, newest first.
  std::vector<AuditEntry> Newest(size_t limit) const;

  const std::string& path() const { return path_; }  // "" when in memory

 private:
  AuditLog(std::string path, int fd, size_t max_in_memory);

  const std::string path_;
  const int fd_;  // -1 when in memory
  const size_t max_in_memory_;
  mutable std::mutex mu_;
  std::deque<AuditEntry> entries_;  // oldest first; guarded by mu_
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_CONFIG_AUDIT_LOG_H_
