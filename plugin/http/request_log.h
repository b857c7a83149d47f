// The request log: one line per request, as text or as one JSON object per line (for log
// shippers), e.g.
//   request id=5f2c0a1e-17 method=POST path=/cds-services/x status=200 latency_ms=2
//     service=steroid-advisor-order-sign hook=order-sign hook_instance=d157... cards=... fetch=ok
//   {"time":"2026-11-29T14:03:07.123Z","level":"info","msg":"request","requestId":"5f2c0a1e-17",
//    "method":"POST","path":"/cds-services/x","status":200,"durationMs":2.1,...}
// Never headers (Authorization carries a JWT), tokens, bodies or patient identifiers. Values
// that come from the client (method, path, hookInstance) are cut to a bounded length and
// stripped of anything but printable ASCII, so one request is always one line.
// Owns: nothing (the sink is the caller's). Thread-safety: safe from many threads; lines are
// written whole under a mutex.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_REQUEST_LOG_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_REQUEST_LOG_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "plugin/http/message.h"
#include "plugin/ops/event_log.h"

namespace steroid_advisor::plugin {

// LogFormat and LogLevel come from plugin/ops/event_log.h, shared with the event log. Request
// and feedback lines are kInfo, failures kError; lines below the level are dropped.

class RequestLog {
 public:
  // `sink` must outlive the log; nullptr logs nothing.
  explicit RequestLog(std::ostream* sink, LogFormat format = LogFormat::kText,
                      LogLevel level = LogLevel::kInfo);
  // A new id, unique within the process: a random per-process prefix and a counter, so lines
  // from several replicas do not collide.
  std::string NextRequestId();
  // One answered request: `request` is its head, `response.facts` what the handler knew.
  void LogRequest(const HttpRequest& request, const HttpResponse& response, int64_t latency_us);
  // "feedback id=<request id> <facts>": `facts` must hold only validated uuids and outcomes.
  void LogFeedback(std::string_view request_id, std::string_view facts);
  // For the final catch: "error id=... what=<message>". `message` is our own text, never input.
  void LogError(std::string_view request_id, std::string_view message);

 private:
  void WriteLine(std::string line);

  std::ostream* sink_;
  const LogFormat format_;
  const LogLevel level_;
  std::mutex mu_;
  std::string prefix_;
  std::atomic<uint64_t> counter_{0};
};

// `value` cut to `max_length` characters, with everything but printable ASCII except space and
// '"' replaced by '?'. Empty becomes "-".
std::string SanitizeForLog(std::string_view value, size_t max_length);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_REQUEST_LOG_H_
