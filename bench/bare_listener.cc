// bare_listener: the throughput ceiling for bench/load.sh. A cpprestsdk http_listener with the
// same listener setup as plugin/server.cc that reads each request body (as any real handler
// must) and answers every POST with `{"cards":[]}`, anything else with 405. What cds_server
// costs beyond this is our code; what this costs is cpprestsdk and the kernel.
//   bare_listener --port N [--host H] [--threads N]
// --threads sizes cpprestsdk's thread pool (default: cpprestsdk's own, 40 threads), so the
// ceiling can be measured with the same pool as the cds_server it is compared with.
// Prints "bare_listener listening on http://H:N" once ready; SIGINT/SIGTERM stop it.
// Thread-safety: requests are served on cpprestsdk's thread pool; the handler keeps no state.
#include <cpprest/http_listener.h>
#include <pplx/threadpool.h>
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

namespace {

using web::http::http_request;
using web::http::experimental::listener::http_listener;

void Answer(http_request message) {
  if (message.method() != web::http::methods::POST) {
    message.reply(web::http::status_codes::MethodNotAllowed).then([](pplx::task<void> sent) {
      try {
        sent.get();
      } catch (...) {
      }
    });
    return;
  }
  message.extract_string(true)
      .then([message](pplx::task<utility::string_t> body) {
        try {
          body.get();
        } catch (...) {
        }
        return message.reply(web::http::status_codes::OK, "{\"cards\":[]}", "application/json");
      })
      .then([](pplx::task<void> sent) {
        // pplx terminates the process on an unobserved exception (a client that hung up).
        try {
          sent.get();
        } catch (...) {
        }
      });
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--port") port = std::atoi(argv[i + 1]);
    if (flag == "--host") host = argv[i + 1];
    if (flag == "--threads") threads = std::atoi(argv[i + 1]);
  }
  if (port <= 0 || port > 65535 || threads < 0) {
    std::cerr << "usage: bare_listener --port N [--host H] [--threads N]\n";
    return 2;
  }
  // Must run before anything touches cpprestsdk.
  if (threads > 0) crossplat::threadpool::initialize_with_threads(static_cast<size_t>(threads));

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::string url = "http://" + host + ":" + std::to_string(port);
  try {
    http_listener listener{web::uri(url)};
    listener.support(Answer);
    listener.open().wait();
    std::cout << "bare_listener listening on " << url << std::endl;
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    listener.close().wait();
  } catch (const std::exception& e) {
    std::cerr << "bare_listener: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
