// The service's Prometheus metrics (text exposition format 0.0.4), served at GET /metrics:
// hook calls by service and status with a latency histogram, cards by rule and indicator, FHIR
// fetches by outcome with a latency histogram, bulkhead rejections, config reloads, feedback
// writes and queue depth, and the process's memory. Labels carry only our own vocabulary
// (service ids, rule ids, outcomes, status codes): never a patient, user, URL or token.
// Owns: its counters. Thread-safety: every method is safe from many threads.
#ifndef STEROID_ADVISOR_PLUGIN_OPS_METRICS_H_
#define STEROID_ADVISOR_PLUGIN_OPS_METRICS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace steroid_advisor::plugin {

class Metrics {
 public:
  Metrics();

  // One answered hook call (POST /cds-services/{id}): `service` is a known service id.
  void CountHookCall(std::string_view service, int http_status, double seconds);
  // One card returned, by RULES.md id and indicator (info, warning, critical).
  void CountCard(std::string_view rule, std::string_view indicator);
  // One record fetch of a hook call: "ok", "partial", "unavailable" or "shed" (bulkhead).
  void CountFhirFetch(std::string_view outcome, double seconds);
  // One config change offered: "applied" or "rejected"; `source` is "admin", "file", "signal".
  void CountConfigReload(std::string_view source, std::string_view result);
  // One feedback batch: "committed", "rejected" (queue full or store down).
  void CountFeedbackWrite(std::string_view result);
  // Read at every scrape: the feedback queue's depth, and whether its store is reachable.
  void SetFeedbackGauges(std::function<int64_t()> queue_depth);

  // The whole exposition, one family after another, each with HELP and TYPE.
  std::string RenderPrometheus() const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;  // cumulative counts are computed when rendering
    double sum = 0;
    uint64_t count = 0;
  };
  void Observe(std::map<std::string, Histogram>& family, const std::string& labels, double seconds);

  mutable std::mutex mu_;
  std::map<std::string, uint64_t> hook_calls_;       // guarded by mu_; key: label text
  std::map<std::string, Histogram> hook_latency_;    // guarded by mu_
  std::map<std::string, uint64_t> cards_;            // guarded by mu_
  std::map<std::string, uint64_t> fhir_fetches_;     // guarded by mu_
  std::map<std::string, Histogram> fhir_latency_;    // guarded by mu_
  std::map<std::string, uint64_t> config_reloads_;   // guarded by mu_
  std::map<std::string, uint64_t> feedback_writes_;  // guarded by mu_
  std::function<int64_t()> feedback_queue_depth_;    // guarded by mu_
  const int64_t start_time_seconds_;
};

// `value` as a Prometheus label value: only [A-Za-z0-9_.:-] kept, anything else becomes '_',
// at most 64 characters. Our label values are our own words; this keeps a bug from ever
// breaking the exposition format.
std::string SafeLabelValue(std::string_view value);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_OPS_METRICS_H_
