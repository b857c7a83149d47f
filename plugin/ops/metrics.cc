#include "plugin/ops/metrics.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <utility>

namespace steroid_advisor::plugin {
namespace {

// Seconds: from a millisecond cache hit to a FHIR server at the edge of its budget.
constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                               0.25,  0.5,    1,     2.5,  5,     10};
constexpr size_t kBucketCount = sizeof(kBuckets) / sizeof(kBuckets[0]);

std::string Label(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + SafeLabelValue(value) + "\"";
}

std::string FormatDouble(double value) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.9g", value);
  return text;
}

void Family(std::ostringstream& out, std::string_view name, std::string_view type,
            std::string_view help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

void Counters(std::ostringstream& out, std::string_view name,
              const std::map<std::string, uint64_t>& values) {
  for (const auto& [labels, value] : values) {
    out << name << '{' << labels << "} " << value << '\n';
  }
}

// Resident and virtual memory from /proc/self/statm (pages); {0, 0} where it cannot be read.
std::pair<int64_t, int64_t> ProcessMemoryBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size_pages = 0;
  int64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return {0, 0};
  const int64_t page = sysconf(_SC_PAGESIZE);
  return {resident_pages * page, size_pages * page};
}

}  // namespace

std::string SafeLabelValue(std::string_view value) {
  std::string safe;
  for (char c : value.substr(0, 64)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == ':' || c == '-';
    safe.push_back(ok ? c : '_');
  }
  return safe;
}

Metrics::Metrics() : start_time_seconds_(static_cast<int64_t>(std::time(nullptr))) {}

void Metrics::Observe(std::map<std::string, Histogram>& family, const std::string& labels,
                      double seconds) {
  Histogram& histogram = family[labels];
  if (histogram.buckets.empty()) histogram.buckets.assign(kBucketCount, 0);
  for (size_t i = 0; i < kBucketCount; ++i) {
    if (seconds <= kBuckets[i]) {
      ++histogram.buckets[i];
      break;
    }
  }
  histogram.sum += seconds;
  ++histogram.count;
}

void Metrics::CountHookCall(std::string_view service, int http_status, double seconds) {
  const std::string service_label = Label("service", service);
  const std::string labels = service_label + "," + Label("status", std::to_string(http_status));
  std::lock_guard<std::mutex> lock(mu_);
  ++hook_calls_[labels];
  Observe(hook_latency_, service_label, seconds);
}

void Metrics::CountCard(std::string_view rule, std::string_view indicator) {
  const std::string labels = Label("rule", rule) + "," + Label("indicator", indicator);
  std::lock_guard<std::mutex> lock(mu_);
  ++cards_[labels];
}

void Metrics::CountFhirFetch(std::string_view outcome, double seconds) {
  const std::string labels = Label("outcome", outcome);
  std::lock_guard<std::mutex> lock(mu_);
  ++fhir_fetches_[labels];
  if (outcome != "shed") Observe(fhir_latency_, "", seconds);
}

void Metrics::CountConfigReload(std::string_view source, std::string_view result) {
  const std::string labels = Label("source", source) + "," + Label("result", result);
  std::lock_guard<std::mutex> lock(mu_);
  ++config_reloads_[labels];
}

void Metrics::CountFeedbackWrite(std::string_view result) {
  const std::string labels = Label("result", result);
  std::lock_guard<std::mutex> lock(mu_);
  ++feedback_writes_[labels];
}

void Metrics::SetFeedbackGauges(std::function<int64_t()> queue_depth) {
  std::lock_guard<std::mutex> lock(mu_);
  feedback_queue_depth_ = std::move(queue_depth);
}

std::string Metrics::RenderPrometheus() const {
  std::ostringstream out;
  auto histograms = [&out](std::string_view name, const std::map<std::string, Histogram>& family) {
    for (const auto& [labels, histogram] : family) {
      const std::string prefix = labels.empty() ? "" : labels + ",";
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kBucketCount; ++i) {
        cumulative += histogram.buckets[i];
        out << name << "_bucket{" << prefix << "le=\"" << FormatDouble(kBuckets[i]) << "\"} "
            << cumulative << '\n';
      }
      out << name << "_bucket{" << prefix << "le=\"+Inf\"} " << histogram.count << '\n';
      const std::string braces = labels.empty() ? "" : "{" + labels + "}";
      out << name << "_sum" << braces << ' ' << FormatDouble(histogram.sum) << '\n';
      out << name << "_count" << braces << ' ' << histogram.count << '\n';
    }
  };
  std::function<int64_t()> queue_depth;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Family(out, "steroid_advisor_hook_calls_total", "counter",
           "CDS Hooks service calls answered, by service and HTTP status.");
    Counters(out, "steroid_advisor_hook_calls_total", hook_calls_);
    Family(out, "steroid_advisor_hook_call_duration_seconds", "histogram",
           "Time from a hook call's body being read to its answer, by service.");
    histograms("steroid_advisor_hook_call_duration_seconds", hook_latency_);
    Family(out, "steroid_advisor_cards_total", "counter",
           "Cards returned, by rule (RULES.md id) and indicator.");
    Counters(out, "steroid_advisor_cards_total", cards_);
    Family(out, "steroid_advisor_fhir_fetches_total", "counter",
           "Record fetches from the EHR's FHIR server, by outcome (shed: refused by the "
           "per-server bulkhead).");
    Counters(out, "steroid_advisor_fhir_fetches_total", fhir_fetches_);
    Family(out, "steroid_advisor_fhir_fetch_duration_seconds", "histogram",
           "Time a hook call waited for its record fetch.");
    histograms("steroid_advisor_fhir_fetch_duration_seconds", fhir_latency_);
    Family(out, "steroid_advisor_config_reloads_total", "counter",
           "Configuration changes offered, by source and result.");
    Counters(out, "steroid_advisor_config_reloads_total", config_reloads_);
    Family(out, "steroid_advisor_feedback_writes_total", "counter", "Feedback batches, by result.");
    Counters(out, "steroid_advisor_feedback_writes_total", feedback_writes_);
    queue_depth = feedback_queue_depth_;
  }
  // Outside the lock: the callback takes the recorder's own lock.
  Family(out, "steroid_advisor_feedback_queue_depth", "gauge",
         "Feedback and shown-card records waiting to be committed.");
  out << "steroid_advisor_feedback_queue_depth " << (queue_depth ? queue_depth() : 0) << '\n';
  const auto [resident, virtual_bytes] = ProcessMemoryBytes();
  Family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out << "process_resident_memory_bytes " << resident << '\n';
  Family(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
  out << "process_virtual_memory_bytes " << virtual_bytes << '\n';
  Family(out, "process_start_time_seconds", "gauge",
         "Start time of the process since the Unix epoch in seconds.");
  out << "process_start_time_seconds " << start_time_seconds_ << '\n';
  return out.str();
}

}  // namespace steroid_advisor::plugin
