// The request log: one line per request with method, path, status, latency, hookInstance and a
// request id, e.g.
//   request id=5f2c0a1e-17 method=POST path=/cds-services/x status=200 latency_ms=2
//   hook_instance=d157...
// Never headers (Authorization carries a JWT), tokens or bodies (they carry patient data).
// Values that come from the client (path, hookInstance) are cut to a bounded length and stripped
// of anything but printable ASCII without spaces, so one request is always one line.
// Owns: nothing (the sink is the caller's). Thread-safety: safe from many threads; lines are
// written whole under a mutex.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_REQUEST_LOG_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_REQUEST_LOG_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace steroid_advisor::plugin {

class RequestLog {
 public:
  // `sink` must outlive the log; nullptr logs nothing.
  explicit RequestLog(std::ostream* sink);

  // A new id, unique within the process: a random per-process prefix and a counter, so lines
  // from several replicas do not collide.
  std::string NextRequestId();

  void LogRequest(std::string_view request_id, std::string_view method, std::string_view path,
                  int status, int64_t latency_ms, std::string_view hook_instance);
  // "feedback id=<request id> <facts>": `facts` must hold only validated uuids and outcomes.
  void LogFeedback(std::string_view request_id, std::string_view facts);
  // For the final catch: "error id=... what=<message>". `message` is our own text, never input.
  void LogError(std::string_view request_id, std::string_view message);

 private:
  void WriteLine(const std::string& line);

  std::ostream* sink_;
  std::mutex mu_;
  std::string prefix_;
  std::atomic<uint64_t> counter_{0};
};

// `value` cut to `max_length` characters, with everything but printable ASCII except space and
// '"' replaced by '?'. Empty becomes "-".
std::string SanitizeForLog(std::string_view value, size_t max_length);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_REQUEST_LOG_H_
