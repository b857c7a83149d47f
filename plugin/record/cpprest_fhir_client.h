// The FHIR REST transport over cpprestsdk's http_client: GETs with a bearer token, hard
// timeouts, TLS verification, a body size cap and no redirects.
// Owns: one http_client per origin it has talked to (connections are reused across pages and
// keys of one fetch) and the access token, which goes only into the Authorization header:
// never into a log line, a Status message or an exception.
// Thread-safety: safe for concurrent use (GetAsync may run for several keys at once).
#ifndef STEROID_ADVISOR_PLUGIN_RECORD_CPPREST_FHIR_CLIENT_H_
#define STEROID_ADVISOR_PLUGIN_RECORD_CPPREST_FHIR_CLIENT_H_

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cpprest/http_client.h"
#include "fhir/fhir_client.h"
#include "fhir/status.h"
#include "pplx/pplxtasks.h"

namespace steroid_advisor::plugin {

// pplx::task<T> needs a default-constructible T, which StatusOr deliberately is not; a
// TaskResult carries a StatusOr through a task.
template <typename T>
struct TaskResult {
  StatusOr<T> value = InternalError("task produced no result");
};
using FhirGetResult = TaskResult<fhir::FhirResponse>;

struct FhirTransportOptions {
  // cpprestsdk has one timeout, applied to every network operation (connect, TLS handshake,
  // sending the request, waiting for the headers, each body chunk), not to the whole request;
  // this value is used for it, so a server silent for longer than this in any phase is given up.
  // The record fetch sets it to what the hook call's deadline leaves.
  int operation_timeout_ms = 2000;
  // The whole Get, every phase included (enforced by cancelling the request).
  int total_timeout_ms = 2000;
  bool verify_tls = true;
  // A bigger body (by Content-Length, or as it arrives) aborts the request: ResourceExhausted.
  size_t max_body_bytes = 8 * 1024 * 1024;
};

// A CpprestFhirClient sends GET requests with `Accept: application/fhir+json` and, when it was
// given a token, `Authorization: Bearer <token>`. Redirects are never followed (a 3xx is an
// answer like any other, so the token never reaches a host the caller did not check).
class CpprestFhirClient : public fhir::FhirClient {
 public:
  // `access_token` may be empty: no Authorization header is sent.
  CpprestFhirClient(std::string access_token, FhirTransportOptions options);

  // Starts a GET of the absolute `url`. The task never throws and is never cancelled: its value
  // holds the response or a Status (see fhir::FhirClient). Cancelling `cancel` aborts the request,
  // giving DeadlineExceeded. Continuations of the request never block a pool thread.
  pplx::task<FhirGetResult> GetAsync(
      const std::string& url, pplx::cancellation_token cancel = pplx::cancellation_token::none());

  // Blocks the calling thread up to total_timeout_ms. Not for use inside a pplx continuation
  // (it would hold a pool thread the response needs); use GetAsync there.
  StatusOr<fhir::FhirResponse> Get(const std::string& url) override;

 private:
  std::shared_ptr<web::http::client::http_client> ClientFor(const fhir::HttpUrl& url);

  const std::string access_token_;
  const FhirTransportOptions options_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<web::http::client::http_client>>
      clients_;  // guarded by mu_
};

// Waits for `task` until `deadline`; past it, cancels `source` and answers DeadlineExceeded
// without waiting further (the abandoned task finishes on its own). For the thread that owns
// a request (a hook handler, a test), never for a pool continuation.
StatusOr<fhir::FhirResponse> WaitUntil(pplx::task<FhirGetResult> task,
                                       std::chrono::steady_clock::time_point deadline,
                                       pplx::cancellation_token_source source);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_RECORD_CPPREST_FHIR_CLIENT_H_
