#include "plugin/ops/event_log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace steroid_advisor::plugin {
namespace {

void Field(rapidjson::Writer<rapidjson::StringBuffer>& writer, const char* name,
           std::string_view value) {
  writer.Key(name);
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

std::optional<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return std::nullopt;
}

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "info") return LogLevel::kInfo;
  if (name == "warning") return LogLevel::kWarning;
  if (name == "error") return LogLevel::kError;
  return std::nullopt;
}

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::string UtcTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[80];  // the compiler's worst case for the ints; 24 characters are written
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

EventLog::EventLog(std::ostream* sink, LogFormat format, LogLevel level)
    : sink_(sink), format_(format), level_(level) {}

void EventLog::Write(LogLevel level, std::string_view component, std::string_view message) {
  if (sink_ == nullptr || level < level_) return;
  std::string line;
  if (format_ == LogFormat::kJson) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    Field(writer, "time", UtcTimestamp());
    Field(writer, "level", LogLevelName(level));
    Field(writer, "msg", message);
    Field(writer, "component", component);
    writer.EndObject();
    line.assign(buffer.GetString(), buffer.GetSize());
  } else {
    line.reserve(component.size() + 2 + message.size());
    line.append(component.data(), component.size());
    line += ": ";
    line.append(message.data(), message.size());
  }
  // One write with its newline: std::clog and std::cerr are unbuffered, so a separate '\n'
  // would be a second write() that another log on the same stderr could land between.
  line += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  *sink_ << line << std::flush;
}

}  // namespace steroid_advisor::plugin
