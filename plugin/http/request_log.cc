#include "plugin/http/request_log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <random>
#include <utility>

namespace steroid_advisor::plugin {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Field(JsonWriter& writer, const char* name, std::string_view value) {
  writer.Key(name);
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// A JSON line's opening members: time, level, msg, requestId.
void OpenLine(JsonWriter& writer, const char* level, const char* message,
              std::string_view request_id) {
  writer.StartObject();
  Field(writer, "time", UtcTimestamp());
  Field(writer, "level", level);
  Field(writer, "msg", message);
  Field(writer, "requestId", request_id.empty() ? "-" : request_id);
}

void TextField(std::string& line, const char* name, std::string_view value) {
  if (value.empty()) return;
  line += ' ';
  line += name;
  line += '=';
  line += value;
}

}  // namespace

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

RequestLog::RequestLog(std::ostream* sink, LogFormat format, LogLevel level)
    : sink_(sink), format_(format), level_(level) {
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  uint32_t bits = device();
  for (int i = 0; i < 8; ++i) prefix_.push_back(kHex[(bits >> (4 * i)) & 0xF]);
}

std::string RequestLog::NextRequestId() {
  return prefix_ + "-" + std::to_string(counter_.fetch_add(1, std::memory_order_relaxed) + 1);
}

void RequestLog::LogRequest(const HttpRequest& request, const HttpResponse& response,
                            int64_t latency_us) {
  if (sink_ == nullptr || level_ > LogLevel::kInfo) return;
  const RequestFacts& facts = response.facts;
  const std::string method = SanitizeForLog(request.method, 16);
  const std::string path = SanitizeForLog(request.path, 128);
  const std::string hook_instance =
      facts.hook_instance.empty() ? "" : SanitizeForLog(facts.hook_instance, 64);
  if (format_ == LogFormat::kJson) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    OpenLine(writer, "info", "request", facts.request_id);
    Field(writer, "method", method);
    Field(writer, "path", path);
    writer.Key("status");
    writer.Int(response.status);
    writer.Key("durationMs");
    writer.Double(static_cast<double>(latency_us) / 1000.0);
    if (!facts.service.empty()) Field(writer, "service", facts.service);
    if (!facts.hook.empty()) Field(writer, "hook", facts.hook);
    if (!hook_instance.empty()) Field(writer, "hookInstance", hook_instance);
    if (!facts.cards.empty()) Field(writer, "cards", facts.cards);
    if (!facts.fetch.empty()) Field(writer, "fetch", facts.fetch);
    writer.EndObject();
    WriteLine(std::string(buffer.GetString(), buffer.GetSize()));
    return;
  }
  std::string line = "request id=";
  line += facts.request_id.empty() ? "-" : facts.request_id;
  TextField(line, "method", method);
  TextField(line, "path", path);
  TextField(line, "status", std::to_string(response.status));
  TextField(line, "latency_ms", std::to_string(latency_us / 1000));
  TextField(line, "service", facts.service);
  TextField(line, "hook", facts.hook);
  TextField(line, "hook_instance", hook_instance.empty() ? "-" : hook_instance);
  TextField(line, "cards", facts.cards);
  TextField(line, "fetch", facts.fetch);
  WriteLine(std::move(line));
}

void RequestLog::LogFeedback(std::string_view request_id, std::string_view facts) {
  if (sink_ == nullptr || level_ > LogLevel::kInfo) return;
  if (format_ == LogFormat::kJson) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    OpenLine(writer, "info", "feedback", request_id);
    Field(writer, "facts", facts);
    writer.EndObject();
    WriteLine(std::string(buffer.GetString(), buffer.GetSize()));
    return;
  }
  std::string line = "feedback id=";
  line += request_id;
  line += ' ';
  line += facts;
  WriteLine(std::move(line));
}

void RequestLog::LogError(std::string_view request_id, std::string_view message) {
  if (sink_ == nullptr) return;
  // Our own text, but exception messages may come from libraries: keep it one bounded line.
  std::string what;
  for (char c : message.substr(0, 256)) what.push_back(c == '\n' || c == '\r' ? ' ' : c);
  if (format_ == LogFormat::kJson) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    OpenLine(writer, "error", "error", request_id);
    Field(writer, "what", what);
    writer.EndObject();
    WriteLine(std::string(buffer.GetString(), buffer.GetSize()));
    return;
  }
  WriteLine("error id=" + std::string(request_id) + " what=" + what);
}

void RequestLog::WriteLine(std::string line) {
  if (sink_ == nullptr) return;
  // With its newline, in one write: the event log shares stderr (see plugin/ops/event_log.cc).
  line += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  *sink_ << line << std::flush;
}

}  // namespace steroid_advisor::plugin
