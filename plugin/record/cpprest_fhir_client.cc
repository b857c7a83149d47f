#include "plugin/record/cpprest_fhir_client.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <future>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "plugin/outbound/capped_body.h"

namespace steroid_advisor::plugin {
namespace {

using fhir::FhirResponse;
using Result = FhirGetResult;

// Messages are fixed texts: cpprestsdk's own what() may quote the URL, and a URL is input.
Status StatusFromException(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const pplx::task_canceled&) {
    return DeadlineExceededError("fhir get: cancelled at the deadline");
  } catch (const web::http::http_exception& e) {
    if (e.error_code() == std::errc::timed_out) {
      return DeadlineExceededError("fhir get: timed out");
    }
    if (e.error_code() == std::errc::operation_canceled) {
      return DeadlineExceededError("fhir get: cancelled at the deadline");
    }
    return UnavailableError("fhir get: connection failed (error " +
                            std::to_string(e.error_code().value()) + ")");
  } catch (const web::uri_exception&) {
    return InvalidArgumentError("fhir get: url not accepted by the transport");
  } catch (const std::exception&) {
    return UnavailableError("fhir get: transport error");
  } catch (...) {
    return InternalError("fhir get: unknown exception");
  }
}

Status BodyTooBig(size_t max_bytes) {
  return ResourceExhaustedError("fhir get: body over " + std::to_string(max_bytes) + " bytes");
}

}  // namespace

CpprestFhirClient::CpprestFhirClient(std::string access_token, FhirTransportOptions options)
    : access_token_(std::move(access_token)), options_(options) {}

std::shared_ptr<web::http::client::http_client> CpprestFhirClient::ClientFor(
    const fhir::HttpUrl& url) {
  const std::string origin = url.Origin();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = clients_.find(origin);
  if (it != clients_.end()) return it->second;
  web::http::client::http_client_config config;
  config.set_timeout(std::chrono::milliseconds(options_.operation_timeout_ms));
  config.set_validate_certificates(options_.verify_tls);
  config.set_max_redirects(0);
  auto client = std::make_shared<web::http::client::http_client>(web::uri(origin), config);
  clients_.emplace(origin, client);
  return client;
}

pplx::task<Result> CpprestFhirClient::GetAsync(const std::string& url,
                                               pplx::cancellation_token cancel) {
  std::optional<fhir::HttpUrl> parsed = fhir::ParseHttpUrl(url);
  if (!parsed) {
    return pplx::task_from_result(
        Result{InvalidArgumentError("fhir get: not an absolute http(s) url")});
  }
  try {
    std::shared_ptr<web::http::client::http_client> client = ClientFor(*parsed);
    web::http::http_request request(web::http::methods::GET);
    request.set_request_uri(web::uri(parsed->PathAndQuery()));
    request.headers().add(web::http::header_names::accept, "application/fhir+json");
    if (!access_token_.empty()) {
      request.headers().add(web::http::header_names::authorization, "Bearer " + access_token_);
    }
    // Our own source, linked to the caller's, so an oversized body can abort this request alone.
    pplx::cancellation_token_source source =
        cancel.is_cancelable() ? pplx::cancellation_token_source::create_linked_source(cancel)
                               : pplx::cancellation_token_source();
    const size_t max_bytes = options_.max_body_bytes;
    return client->request(request, source.get_token())
        .then([client, source, max_bytes](web::http::http_response response) -> pplx::task<Result> {
          if (response.headers().content_length() > max_bytes) {
            source.cancel();
            return pplx::task_from_result(Result{BodyTooBig(max_bytes)});
          }
          const int status = response.status_code();
          std::string content_type = response.headers().content_type();
          return ReadCappedBody(response.body(), max_bytes)
              .then([response, source, status, content_type,
                     max_bytes](std::optional<std::vector<uint8_t>> bytes) -> Result {
                if (!bytes.has_value()) {
                  source.cancel();
                  return Result{BodyTooBig(max_bytes)};
                }
                return Result{
                    FhirResponse{status, content_type, std::string(bytes->begin(), bytes->end())}};
              });
        })
        // Task-based, so no exception (refused connection, timeout, cancel) escapes the chain.
        .then([](pplx::task<Result> done) -> Result {
          try {
            return done.get();
          } catch (...) {
            return Result{StatusFromException(std::current_exception())};
          }
        });
  } catch (...) {
    return pplx::task_from_result(Result{StatusFromException(std::current_exception())});
  }
}

StatusOr<FhirResponse> CpprestFhirClient::Get(const std::string& url) {
  pplx::cancellation_token_source source;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.total_timeout_ms);
  return WaitUntil(GetAsync(url, source.get_token()), deadline, source);
}

StatusOr<FhirResponse> WaitUntil(pplx::task<Result> task,
                                 std::chrono::steady_clock::time_point deadline,
                                 pplx::cancellation_token_source source) {
  // A promise rather than task.wait(): pplx has no timed wait, and the continuation only hands
  // the value over, so it never blocks the pool.
  auto promise = std::make_shared<std::promise<StatusOr<FhirResponse>>>();
  std::future<StatusOr<FhirResponse>> future = promise->get_future();
  task.then([promise](pplx::task<Result> done) {
    try {
      promise->set_value(done.get().value);
    } catch (...) {
      promise->set_value(StatusFromException(std::current_exception()));
    }
  });
  if (future.wait_until(deadline) == std::future_status::ready) return future.get();
  source.cancel();
  return DeadlineExceededError("fhir get: no answer within the total timeout");
}

}  // namespace steroid_advisor::plugin
