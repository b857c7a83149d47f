#include "plugin/config/audit_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <utility>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace steroid_advisor::plugin {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Old and new values are stored as JSON text; write them back as JSON, not as strings.
void WriteRawJson(Writer& writer, const std::string& json) {
  writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

void WriteEntry(Writer& writer, const AuditEntry& entry) {
  writer.StartObject();
  writer.Key("time");
  writer.String(entry.time);
  writer.Key("actor");
  writer.String(entry.actor);
  writer.Key("source");
  writer.String(entry.source);
  writer.Key("changes");
  writer.StartArray();
  for (const ConfigChange& change : entry.changes) {
    writer.StartObject();
    writer.Key("path");
    writer.String(change.path);
    writer.Key("old");
    WriteRawJson(writer, change.old_json);
    writer.Key("new");
    WriteRawJson(writer, change.new_json);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
}

std::string ValueAsJson(const fhir::JsonValue* value) {
  if (value == nullptr) return "null";
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  value->Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return UnavailableError(std::string("audit log: write failed: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return OkStatus();
}

}  // namespace

std::string FormatUtcTime(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string FormatAuditEntry(const AuditEntry& entry) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  WriteEntry(writer, entry);
  return std::string(buffer.GetString(), buffer.GetSize());
}

StatusOr<AuditEntry> ParseAuditEntry(std::string_view line) {
  rapidjson::Document document;
  RETURN_IF_ERROR(fhir::ParseJson(line, fhir::kDefaultMaxJsonDepth, document));
  AuditEntry entry;
  std::optional<std::string_view> time = fhir::FindString(document, "time");
  std::optional<std::string_view> actor = fhir::FindString(document, "actor");
  std::optional<std::string_view> source = fhir::FindString(document, "source");
  if (!time || !actor || !source || fhir::FindArray(document, "changes") == nullptr) {
    return InvalidArgumentError("audit entry: expected time, actor, source and changes");
  }
  entry.time = std::string(*time);
  entry.actor = std::string(*actor);
  entry.source = std::string(*source);
  for (const fhir::JsonValue& change : fhir::Elements(document, "changes")) {
    std::optional<std::string_view> path = fhir::FindString(change, "path");
    if (!path) return InvalidArgumentError("audit entry: changes: expected a path");
    entry.changes.push_back({std::string(*path), ValueAsJson(fhir::FindMember(change, "old")),
                             ValueAsJson(fhir::FindMember(change, "new"))});
  }
  return entry;
}

std::string FormatAuditEntries(const std::vector<AuditEntry>& newest_first) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("entries");
  writer.StartArray();
  for (const AuditEntry& entry : newest_first) WriteEntry(writer, entry);
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

AuditLog::AuditLog(size_t max_in_memory) : AuditLog("", -1, max_in_memory) {}

AuditLog::AuditLog(std::string path, int fd, size_t max_in_memory)
    : path_(std::move(path)), fd_(fd), max_in_memory_(max_in_memory == 0 ? 1 : max_in_memory) {}

AuditLog::~AuditLog() {
  if (fd_ >= 0) ::close(fd_);
}

StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path, size_t max_in_memory) {
  // O_APPEND: every entry lands at the end even if an operator's tool appends too.
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return UnavailableError("audit log " + path + ": cannot open: " + std::strerror(errno));
  }
  std::unique_ptr<AuditLog> log(new AuditLog(path, fd, max_in_memory));

  std::deque<std::string> last_lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    last_lines.push_back(std::move(line));
    if (last_lines.size() > log->max_in_memory_) last_lines.pop_front();
  }
  for (const std::string& line : last_lines) {
    StatusOr<AuditEntry> entry = ParseAuditEntry(line);
    if (entry.ok()) log->entries_.push_back(std::move(*entry));
  }
  return log;
}

Status AuditLog::Append(const AuditEntry& entry) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(entry);
  if (entries_.size() > max_in_memory_) entries_.pop_front();
  if (fd_ < 0) return OkStatus();
  RETURN_IF_ERROR(WriteAll(fd_, FormatAuditEntry(entry) + "\n"));
  if (::fsync(fd_) != 0) {
    return UnavailableError(std::string("audit log: fsync failed: ") + std::strerror(errno));
  }
  return OkStatus();
}

std::vector<AuditEntry> AuditLog::Newest(size_t limit) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<AuditEntry> newest;
  for (auto it = entries_.rbegin(); it != entries_.rend() && newest.size() < limit; ++it) {
    newest.push_back(*it);
  }
  return newest;
}

}  // namespace steroid_advisor::plugin
