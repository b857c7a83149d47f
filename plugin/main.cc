// cds_server: the steroid-advisor CDS Hooks service.
//   cds_server --port N [--host H] [--config FILE] [--audit-log FILE] [--data-dir DIR]
//              [--threads N] [--tls-cert FILE --tls-key FILE] [--log-format text|json]
//              [--log-level L]
//              [--admin-port N [--admin-host H] [--admin-token-file FILE]]
// Runs on the built-in defaults without --config. An invalid config file exits 2 listing every
// problem. The config reloads on SIGHUP and when the file changes; --admin-port starts the admin
// API and page (token from STEROID_ADVISOR_ADMIN_TOKEN or --admin-token-file; exits 2 without).
// Prints "cds_server listening on http://H:N" once ready (and "cds_server admin listening on
// http://H:N/admin/" with --admin-port). SIGINT/SIGTERM stop accepting, let calls in flight
// finish (at most 10 s), write the feedback queue, and exit 0. --tls-cert/--tls-key serve HTTPS
// only (TLS 1.2+), on both listeners. --data-dir (default data/, created on first run) holds the
// embedded feedback store and the patient hash key; a SQLite store that cannot be opened exits 1,
// a PostgreSQL one that cannot be reached is retried while the service runs (feedback answers
// 503 meanwhile).
#include <malloc.h>
#include <pplx/threadpool.h>
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "plugin/admin/assets.h"
#include "plugin/admin/live_config.h"
#include "plugin/auth/admin_token.h"
#include "plugin/config/service_config.h"
#include "plugin/feedback/setup.h"
#include "plugin/http/request_log.h"
#include "plugin/http/server.h"
#include "plugin/http/tls.h"
#include "plugin/ops/event_log.h"
#include "plugin/ops/metrics.h"
#include "plugin/record/cache.h"
#include "plugin/record/fhir_fetch.h"
#include "plugin/server.h"

namespace {

using steroid_advisor::StatusOr;
using steroid_advisor::plugin::ServiceConfig;

struct Flags {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string config_path;
  std::string audit_log_path;
  int admin_port = 0;
  std::string admin_host = "127.0.0.1";
  std::string admin_token_file;
  int threads = 0;
  std::string tls_cert;
  std::string tls_key;
  steroid_advisor::plugin::LogFormat log_format = steroid_advisor::plugin::LogFormat::kText;
  steroid_advisor::plugin::LogLevel log_level = steroid_advisor::plugin::LogLevel::kInfo;
  std::string data_dir = "data";
};

void PrintUsage() {
  std::cerr << "usage: cds_server --port N [--host H] [--config FILE] [--audit-log FILE]\n"
               "                  [--data-dir DIR] [--threads N] [--tls-cert FILE --tls-key FILE]\n"
               "                  [--log-format text|json] [--log-level info|warning|error]\n"
               "                  [--admin-port N [--admin-host H] [--admin-token-file FILE]]\n";
}

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") return false;
    if (i + 1 >= argc) {
      std::cerr << "cds_server: " << flag << " needs a value\n";
      return false;
    }
    std::string value = argv[++i];
    if (flag == "--port" || flag == "--admin-port") {
      char* end = nullptr;
      long port = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || port < 1 || port > 65535) {
        std::cerr << "cds_server: " << flag << " must be a number between 1 and 65535\n";
        return false;
      }
      (flag == "--port" ? flags.port : flags.admin_port) = static_cast<int>(port);
    } else if (flag == "--threads") {
      char* end = nullptr;
      long threads = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || threads < 1 || threads > 256) {
        std::cerr << "cds_server: --threads must be a number between 1 and 256\n";
        return false;
      }
      flags.threads = static_cast<int>(threads);
    } else if (flag == "--tls-cert") {
      flags.tls_cert = value;
    } else if (flag == "--tls-key") {
      flags.tls_key = value;
    } else if (flag == "--log-format") {
      std::optional<steroid_advisor::plugin::LogFormat> format =
          steroid_advisor::plugin::ParseLogFormat(value);
      if (!format) {
        std::cerr << "cds_server: --log-format must be text or json\n";
        return false;
      }
      flags.log_format = *format;
    } else if (flag == "--log-level") {
      std::optional<steroid_advisor::plugin::LogLevel> level =
          steroid_advisor::plugin::ParseLogLevel(value);
      if (!level) {
        std::cerr << "cds_server: --log-level must be info, warning or error\n";
        return false;
      }
      flags.log_level = *level;
    } else if (flag == "--admin-host") {
      flags.admin_host = value;
    } else if (flag == "--admin-token-file") {
      flags.admin_token_file = value;
    } else if (flag == "--audit-log") {
      flags.audit_log_path = value;
    } else if (flag == "--host") {
      flags.host = value;
    } else if (flag == "--config") {
      flags.config_path = value;
    } else if (flag == "--data-dir") {
      flags.data_dir = value;
    } else {
      std::cerr << "cds_server: unknown flag " << flag << "\n";
      return false;
    }
  }
  if (flags.tls_cert.empty() != flags.tls_key.empty()) {
    std::cerr << "cds_server: --tls-cert and --tls-key go together\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // glibc gives each thread that allocates its own malloc arena, up to 8 per core; two arenas
  // halved peak RSS (41 -> 20 MB measured with cpprestsdk's 40 pool threads, bench/RESULTS.md)
  // with no throughput change.
  mallopt(M_ARENA_MAX, 2);
  // Request bodies of ~20 KB are freed and allocated again at every call: without a trim
  // threshold glibc gives the memory back to the kernel and asks for it again each time, about
  // a sixth of the CPU at 32 connections (bench/RESULTS.md).
  mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    PrintUsage();
    return 2;
  }
  // From here on the service's own lines go through the event log: with --log-format json every
  // line on stderr is one JSON object, as the request log's are. (Usage errors above are text:
  // the format is not known before the flags are read.)
  steroid_advisor::plugin::EventLog events(&std::cerr, flags.log_format);
  auto fail = [&events](const std::string& message) {
    events.Write(steroid_advisor::plugin::LogLevel::kError, "cds_server", message);
  };
  // cpprestsdk runs every FHIR response continuation (reading the pages, then the rules and the
  // answer) on its own pool, 40 threads by default. When 64 calls waiting on a slow FHIR server
  // were answered together, 40 runnable pool threads against the server's one per core took the
  // CPU from prefetched calls (their p99 rose to 30 ms, bench/RESULTS.md section 10). Nothing on
  // the pool blocks (every fetch step, and the JWK Set fetch, is a continuation), so the pool
  // gets as many threads as the server, and the scheduler shares the cores evenly between them.
  try {
    crossplat::threadpool::initialize_with_threads(
        static_cast<size_t>(steroid_advisor::plugin::ServerThreads(flags.threads)));
  } catch (const std::exception& e) {
    fail(std::string("cpprestsdk pool: ") + e.what());
    return 1;
  }

  steroid_advisor::plugin::LiveConfigOptions live_options;
  live_options.config_path = flags.config_path;
  live_options.audit_log_path = flags.audit_log_path;
  live_options.admin_port = flags.admin_port;
  live_options.admin_host = flags.admin_host;
  live_options.admin_token_file = flags.admin_token_file;
  live_options.admin_token_env = std::getenv(steroid_advisor::plugin::kAdminTokenEnvVar);
  live_options.admin_assets = steroid_advisor::plugin::EmbeddedAdminAssets();
  std::shared_ptr<boost::asio::ssl::context> tls;
  if (!flags.tls_cert.empty()) {
    StatusOr<std::shared_ptr<boost::asio::ssl::context>> made =
        steroid_advisor::plugin::MakeServerTlsContext(flags.tls_cert, flags.tls_key);
    if (!made.ok()) {
      fail(made.status().message());
      return 2;
    }
    tls = *made;
  }
  live_options.admin_tls = tls;
  live_options.log_format = flags.log_format;
  StatusOr<std::unique_ptr<steroid_advisor::plugin::LiveConfig>> live =
      steroid_advisor::plugin::LiveConfig::Create(std::move(live_options));
  if (!live.ok()) {
    fail(live.status().message());
    return 2;
  }

  // Shown cards and feedback: the store kind is read once, here (a reload does not switch it).
  steroid_advisor::plugin::FeedbackSetupOptions feedback_options;
  feedback_options.data_dir = flags.data_dir;
  feedback_options.log_format = flags.log_format;
  feedback_options.postgresql_url_env = std::getenv(steroid_advisor::plugin::kPostgresqlUrlEnvVar);
  feedback_options.patient_hash_key_env =
      std::getenv(steroid_advisor::plugin::kPatientHashKeyEnvVar);
  StatusOr<std::unique_ptr<steroid_advisor::plugin::FeedbackRecorder>> feedback =
      steroid_advisor::plugin::CreateFeedbackRecorder((*live)->store().Current()->feedback,
                                                      feedback_options);
  if (!feedback.ok()) {
    fail("feedback store: " + feedback.status().message());
    return 1;
  }

  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  steroid_advisor::plugin::ServerOptions options;
  options.host = flags.host;
  options.port = flags.port;
  options.config = (*live)->store().Current();
  options.threads = flags.threads;
  options.limits_from_config = true;
  options.tls = tls;
  options.log_format = flags.log_format;
  options.log_level = flags.log_level;
  steroid_advisor::plugin::Metrics metrics;
  options.metrics = &metrics;
  (*live)->store().SetMetrics(&metrics);

  // Prefetch keys the EHR did not send are fetched from its fhirServer. The fetcher reads the
  // fhir section of the running config at every fetch, so a reload applies to the next request.
  steroid_advisor::plugin::RecordCache record_cache;
  steroid_advisor::plugin::FhirRecordFetcher::Options fetch_options;
  fetch_options.config = [&live] { return (*live)->store().Current()->fhir; };
  fetch_options.cache = &record_cache;
  fetch_options.log =
      flags.log_level == steroid_advisor::plugin::LogLevel::kInfo ? &std::clog : nullptr;
  fetch_options.log_format = flags.log_format;
  steroid_advisor::plugin::FhirRecordFetcher fetcher(std::move(fetch_options));
  options.fetcher = &fetcher;

  (*feedback)->Start();
  if ((*live)->store().Current()->feedback.store == "sqlite") {
    // Migrated already: let the writer report ready before the listener opens, so the first
    // feedback after start is not refused with 503. (PostgreSQL may be down: no wait.)
    (*feedback)->WaitForReady(std::chrono::seconds(5));
  }
  options.feedback = feedback->get();
  (*live)->set_feedback(feedback->get());
  metrics.SetFeedbackGauges(
      [recorder = feedback->get()] { return static_cast<int64_t>(recorder->QueueDepth()); });
  // Ready once the feedback store is reachable (the config is loaded before the listener opens).
  options.readiness = [recorder = feedback->get()] {
    return recorder->Ready() ? steroid_advisor::OkStatus()
                             : steroid_advisor::UnavailableError("feedback store: not reachable");
  };

  steroid_advisor::plugin::Server server(std::move(options));
  // Every config swap (admin API, SIGHUP, file change) reaches the CDS listener; of the feedback
  // section only retentionDays applies live.
  (*live)->store().OnChange([&server, &feedback](std::shared_ptr<const ServiceConfig> config) {
    (*feedback)->SetRetentionDays(config->feedback.retention_days);
    server.SetConfig(std::move(config));
  });
  steroid_advisor::Status started = server.Start();
  if (!started.ok()) {
    fail(started.message());
    return 1;
  }
  std::cout << "cds_server listening on " << server.base_url() << std::endl;
  steroid_advisor::Status live_started = (*live)->Start();
  if (!live_started.ok()) {
    fail(live_started.message());
    return 1;
  }
  if (!(*live)->admin_url().empty()) {
    std::cout << "cds_server admin listening on " << (*live)->admin_url() << std::endl;
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  events.Write(steroid_advisor::plugin::LogLevel::kInfo, "cds_server", "stopping");
  // Calls in flight finish first (bounded by the HTTP edge's stop grace), then the admin API
  // and the config watcher stop.
  server.Stop();
  (*feedback)->Stop();  // writes what is queued
  (*live)->Stop();
  return 0;
}
