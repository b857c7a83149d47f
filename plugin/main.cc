// cds_server: the steroid-advisor CDS Hooks service.
//   cds_server --port N [--host H] [--config FILE]
// Runs on the built-in defaults without --config. An invalid config file exits 2 listing every
// problem. Prints "cds_server listening on http://H:N" once ready; SIGINT/SIGTERM stop it cleanly.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "plugin/server.h"
#include "plugin/service_config.h"

namespace {

using steroid_advisor::StatusOr;
using steroid_advisor::plugin::ServiceConfig;

struct Flags {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string config_path;
};

void PrintUsage() {
  std::cerr << "usage: cds_server --port N [--host H] [--config FILE]\n";
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
    if (flag == "--port") {
      char* end = nullptr;
      long port = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || port < 1 || port > 65535) {
        std::cerr << "cds_server: --port must be a number between 1 and 65535\n";
        return false;
      }
      flags.port = static_cast<int>(port);
    } else if (flag == "--host") {
      flags.host = value;
    } else if (flag == "--config") {
      flags.config_path = value;
    } else {
      std::cerr << "cds_server: unknown flag " << flag << "\n";
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    PrintUsage();
    return 2;
  }

  std::shared_ptr<const ServiceConfig> config;
  if (!flags.config_path.empty()) {
    std::ifstream file(flags.config_path, std::ios::binary);
    if (!file) {
      std::cerr << "cds_server: cannot read config file " << flags.config_path << "\n";
      return 2;
    }
    std::ostringstream text;
    text << file.rdbuf();
    StatusOr<ServiceConfig> parsed = steroid_advisor::plugin::ParseServiceConfig(text.str());
    if (!parsed.ok()) {
      std::cerr << "cds_server: invalid config " << flags.config_path << ":\n"
                << parsed.status().message() << "\n";
      return 2;
    }
    config = std::make_shared<const ServiceConfig>(*std::move(parsed));
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
  options.config = config;
  steroid_advisor::plugin::Server server(std::move(options));
  steroid_advisor::Status started = server.Start();
  if (!started.ok()) {
    std::cerr << "cds_server: " << started.message() << "\n";
    return 1;
  }
  std::cout << "cds_server listening on " << server.base_url() << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cerr << "cds_server: stopping\n";
  server.Stop();
  return 0;
}
