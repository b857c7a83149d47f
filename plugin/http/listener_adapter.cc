#include "plugin/http/listener_adapter.h"

#include <cpprest/http_msg.h>

#include <chrono>
#include <exception>
#include <memory>
#include <utility>

#include "fhir/ascii.h"
#include "plugin/http/error_response.h"

namespace steroid_advisor::plugin {
namespace {

constexpr std::size_t kReadChunkBytes = 64 * 1024;

// The body read so far, kept only while it fits under the cap.
struct BodyReader {
  concurrency::streams::streambuf<uint8_t> source;
  std::size_t max_bytes = 0;
  std::string text;
  bool too_large = false;
  // Not value-initialized: zeroing 64 KiB per request cost a tenth of a request's CPU.
  std::unique_ptr<uint8_t[]> chunk{new uint8_t[kReadChunkBytes]};
};

// Reads the whole body, keeping at most `max_bytes`. Past the cap it keeps reading and dropping:
// cpprestsdk only sends a response once the request body is fully received, so draining with
// bounded memory is how an oversized chunked body ends without piling up in its buffer.
pplx::task<void> ReadBody(std::shared_ptr<BodyReader> reader) {
  return reader->source.getn(reader->chunk.get(), kReadChunkBytes)
      .then([reader](std::size_t read) -> pplx::task<void> {
        if (read == 0) return pplx::task_from_result();
        if (!reader->too_large) {
          if (reader->text.size() + read > reader->max_bytes) {
            reader->too_large = true;
            std::string().swap(reader->text);
          } else {
            reader->text.append(reinterpret_cast<const char*>(reader->chunk.get()), read);
          }
        }
        return ReadBody(reader);
      });
}

// The end of every fire-and-forget chain (whatever failed has already been answered or logged).
void ObserveTask(pplx::task<void> task) {
  try {
    task.get();
  } catch (...) {
  }
}

web::http::http_response ToCpprest(HttpResponse response) {
  web::http::http_response reply(static_cast<web::http::status_code>(response.status));
  if (!response.body.empty()) {
    auto type = response.headers.find("Content-Type");
    reply.set_body(std::move(response.body),
                   type != response.headers.end() ? type->second : "application/json");
  }
  for (const auto& [name, value] : response.headers) reply.headers()[name] = value;
  return reply;
}

// Sends one response for one request and logs its line; never throws.
class Replier {
 public:
  Replier(web::http::http_request message, std::function<void(HttpResponse&)> finish,
          RequestLog& log, std::string request_id)
      : message_(std::move(message)),
        finish_(std::move(finish)),
        log_(&log),
        request_id_(std::move(request_id)),
        started_(std::chrono::steady_clock::now()) {}

  void operator()(HttpResponse response, const std::string& method, const std::string& path) {
    if (finish_) finish_(response);
    // Logged before the reply goes out, so the line exists by the time the client has its answer.
    auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started_);
    log_->LogRequest(request_id_, method, path, response.status, latency.count(),
                     response.hook_instance);
    try {
      RequestLog* log = log_;
      std::string request_id = request_id_;
      message_.reply(ToCpprest(std::move(response))).then([log, request_id](pplx::task<void> sent) {
        try {
          sent.get();
        } catch (const std::exception& e) {
          log->LogError(request_id, std::string("sending the response: ") + e.what());
        } catch (...) {
          log->LogError(request_id, "sending the response: unknown exception");
        }
      });
    } catch (const std::exception& e) {
      log_->LogError(request_id_, std::string("replying: ") + e.what());
    }
  }

  RequestLog& log() const { return *log_; }
  const std::string& request_id() const { return request_id_; }

 private:
  web::http::http_request message_;
  std::function<void(HttpResponse&)> finish_;
  RequestLog* log_;
  std::string request_id_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

void ServeRequest(web::http::http_request message, RequestHandlers handlers, RequestLog& log,
                  const std::string& request_id) {
  auto reply = std::make_shared<Replier>(message, handlers.finish, log, request_id);
  HttpRequest head;
  try {
    head.method = message.method();
    head.path = message.relative_uri().path();
    head.query = message.relative_uri().query();
    for (const auto& [name, value] : message.headers())
      head.headers[fhir::AsciiLower(name)] = value;

    auto reader = std::make_shared<BodyReader>();
    reader->source = message.body().streambuf();
    reader->max_bytes = handlers.max_body_bytes;
    if (std::optional<HttpResponse> early = handlers.check_before_body(head)) {
      // Drain (and drop) whatever body comes, so the connection can finish with bounded memory.
      // An error there means the client went away mid-body; the early answer is on its way.
      reader->max_bytes = 0;
      ReadBody(reader).then(ObserveTask);
      (*reply)(*std::move(early), head.method, head.path);
      return;
    }
    ReadBody(reader)
        .then([reply, reader, head,
               handle = std::move(handlers.handle)](pplx::task<void> read) mutable {
          HttpResponse response;
          try {
            read.get();
            if (reader->too_large) {
              response = BodyTooLargeResponse(reader->max_bytes);
            } else {
              head.body = std::move(reader->text);
              response = handle(head);
            }
          } catch (const std::exception& e) {
            reply->log().LogError(reply->request_id(),
                                  std::string("reading the body: ") + e.what());
            response = ErrorResponse(InvalidArgumentError("request body: could not be read"));
          } catch (...) {
            reply->log().LogError(reply->request_id(), "reading the body: unknown exception");
            response = ErrorResponse(InvalidArgumentError("request body: could not be read"));
          }
          head.body.clear();
          (*reply)(std::move(response), head.method, head.path);
        })
        .then(ObserveTask);
  } catch (const std::exception& e) {
    log.LogError(request_id, e.what());
    (*reply)(ErrorResponse(InternalError("adapter threw")), head.method, head.path);
  } catch (...) {
    log.LogError(request_id, "unknown exception");
    (*reply)(ErrorResponse(InternalError("adapter threw")), head.method, head.path);
  }
}

}  // namespace steroid_advisor::plugin
