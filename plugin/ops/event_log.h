// Operational events, one line each: the feedback store ready, down or back, a config reloaded
// or rejected, a FHIR record key unavailable, the service stopping. In the format of the request
// log (plugin/http/request_log.h), so under --log-format json every line a log shipper reads is
// one JSON object:
//   text: feedback: store ready
//   json: {"time":"2026-12-06T12:03:07.123Z","level":"info","msg":"store ready",
//          "component":"feedback"}
// A message may span lines (a rejected config lists its problems); in JSON it stays one record.
// Messages are our own text and never hold tokens, bodies or patient identifiers.
// Also here: the log format and level flags, shared with the request log.
// Owns: nothing (the sink is the caller's). Thread-safety: safe from many threads; a line is
// written whole under a mutex.
#ifndef STEROID_ADVISOR_PLUGIN_OPS_EVENT_LOG_H_
#define STEROID_ADVISOR_PLUGIN_OPS_EVENT_LOG_H_

#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace steroid_advisor::plugin {

enum class LogFormat { kText, kJson };
// Lines below the configured level are dropped.
enum class LogLevel { kInfo = 0, kWarning = 1, kError = 2 };

// "text" | "json"; nullopt for anything else.
std::optional<LogFormat> ParseLogFormat(std::string_view name);
// "info" | "warning" | "error"; nullopt for anything else.
std::optional<LogLevel> ParseLogLevel(std::string_view name);
// "info" | "warning" | "error".
const char* LogLevelName(LogLevel level);
// Now, as "2026-11-29T14:03:07.123Z".
std::string UtcTimestamp();

class EventLog {
 public:
  // `sink` must outlive the log; nullptr writes nothing.
  explicit EventLog(std::ostream* sink, LogFormat format = LogFormat::kText,
                    LogLevel level = LogLevel::kInfo);
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // "<component>: <message>", or the JSON object above.
  void Write(LogLevel level, std::string_view component, std::string_view message);

 private:
  std::ostream* const sink_;
  const LogFormat format_;
  const LogLevel level_;
  std::mutex mu_;
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_OPS_EVENT_LOG_H_
