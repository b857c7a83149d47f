#include "plugin/http/request_log.h"

#include <random>

namespace steroid_advisor::plugin {

std::string SanitizeForLog(std::string_view value, size_t max_length) {
  if (value.empty()) return "-";
  std::string out;
  size_t length = value.size() < max_length ? value.size() : max_length;
  out.reserve(length + 3);
  for (size_t i = 0; i < length; ++i) {
    char c = value[i];
    bool printable = c > ' ' && c < 127 && c != '"';
    out.push_back(printable ? c : '?');
  }
  if (value.size() > max_length) out += "...";
  return out;
}

RequestLog::RequestLog(std::ostream* sink) : sink_(sink) {
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  uint32_t bits = device();
  for (int i = 0; i < 8; ++i) prefix_.push_back(kHex[(bits >> (4 * i)) & 0xF]);
}

std::string RequestLog::NextRequestId() {
  return prefix_ + "-" + std::to_string(counter_.fetch_add(1, std::memory_order_relaxed) + 1);
}

void RequestLog::LogRequest(std::string_view request_id, std::string_view method,
                            std::string_view path, int status, int64_t latency_ms,
                            std::string_view hook_instance) {
  std::string line = "request id=";
  line += request_id;
  line += " method=";
  line += SanitizeForLog(method, 16);
  line += " path=";
  line += SanitizeForLog(path, 128);
  line += " status=";
  line += std::to_string(status);
  line += " latency_ms=";
  line += std::to_string(latency_ms);
  line += " hook_instance=";
  line += SanitizeForLog(hook_instance, 64);
  WriteLine(line);
}

void RequestLog::LogFeedback(std::string_view request_id, std::string_view facts) {
  std::string line = "feedback id=";
  line += request_id;
  line += ' ';
  line += facts;
  WriteLine(line);
}

void RequestLog::LogError(std::string_view request_id, std::string_view message) {
  std::string line = "error id=";
  line += request_id;
  line += " what=";
  // Our own text, but exception messages may come from libraries: keep it one bounded line.
  for (char c : message.substr(0, 256)) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  WriteLine(line);
}

void RequestLog::WriteLine(const std::string& line) {
  if (sink_ == nullptr) return;
  std::lock_guard<std::mutex> lock(mu_);
  *sink_ << line << '\n' << std::flush;
}

}  // namespace steroid_advisor::plugin
