#include "plugin/server.h"

#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <exception>
#include <iostream>
#include <utility>

#include <cpprest/http_listener.h>

#include "plugin/cors.h"
#include "plugin/error_response.h"
#include "plugin/handler_context.h"
#include "plugin/http_message.h"
#include "plugin/router.h"

namespace steroid_advisor::plugin {
namespace {

using web::http::http_request;
using web::http::experimental::listener::http_listener;

constexpr size_t kReadChunkBytes = 64 * 1024;

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The body read so far, kept only while it fits under the cap.
struct BodyReader {
  concurrency::streams::streambuf<uint8_t> source;
  size_t max_bytes = 0;
  std::string text;
  bool too_large = false;
  std::array<uint8_t, kReadChunkBytes> chunk{};
};

// Reads the whole body, keeping at most `max_bytes`. Past the cap it keeps reading and dropping:
// cpprestsdk only sends a response once the request body is fully received, so draining with
// bounded memory is how an oversized chunked body ends without piling up in its buffer.
pplx::task<void> ReadBody(std::shared_ptr<BodyReader> reader) {
  return reader->source.getn(reader->chunk.data(), reader->chunk.size())
      .then([reader](size_t read) -> pplx::task<void> {
        if (read == 0) return pplx::task_from_result();
        if (!reader->too_large) {
          if (reader->text.size() + read > reader->max_bytes) {
            reader->too_large = true;
            std::string().swap(reader->text);
          } else {
            reader->text.append(reinterpret_cast<const char*>(reader->chunk.data()), read);
          }
        }
        return ReadBody(reader);
      });
}

// The end of every fire-and-forget chain: pplx terminates the process when a task's exception
// is never observed, so observe it (whatever failed has already been answered or logged).
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

}  // namespace

fhir::Day TodayUtc() {
  return static_cast<fhir::Day>(std::time(nullptr) / (24 * 60 * 60));
}

Server::Server(ServerOptions options)
    : options_(std::move(options)),
      log_(options_.quiet ? nullptr
                          : (options_.log_sink != nullptr ? options_.log_sink : &std::clog)) {
  config_ = options_.config != nullptr ? options_.config : DefaultServiceConfig();
  if (!options_.clock) options_.clock = TodayUtc;
}

Server::~Server() { Stop(); }

std::string Server::base_url() const {
  return "http://" + options_.host + ":" + std::to_string(options_.port);
}

std::shared_ptr<const ServiceConfig> Server::config() const { return std::atomic_load(&config_); }

void Server::SetConfig(std::shared_ptr<const ServiceConfig> config) {
  if (config != nullptr) std::atomic_store(&config_, std::move(config));
}

Status Server::Start() {
  if (listener_ != nullptr) return FailedPreconditionError("server: already started");
  try {
    web::http::experimental::listener::http_listener_config listener_config;
    auto listener = std::make_unique<http_listener>(web::uri(base_url()), listener_config);
    auto handler = [this](http_request message) { OnRequest(std::move(message)); };
    listener->support(handler);
    // http_listener answers OPTIONS (200, empty Allow) and TRACE (echoing the request, bearer
    // token included) by itself unless a handler is registered for those methods by name.
    listener->support(web::http::methods::OPTIONS, handler);
    listener->support(web::http::methods::TRCE, handler);
    listener->open().wait();
    listener_ = std::move(listener);
  } catch (const std::exception& e) {
    return UnavailableError("server: cannot listen on " + base_url() + ": " + e.what());
  }
  return OkStatus();
}

void Server::Stop() {
  if (listener_ == nullptr) return;
  try {
    listener_->close().wait();
  } catch (const std::exception& e) {
    log_.LogError("-", std::string("closing the listener: ") + e.what());
  }
  listener_.reset();
}

void Server::OnRequest(http_request message) {
  auto started = std::chrono::steady_clock::now();
  auto context = std::make_shared<HandlerContext>();
  context->request_id = log_.NextRequestId();
  context->log = &log_;
  context->fetcher = options_.fetcher;

  // Logs the request line and sends `response` (CORS headers added); never throws.
  auto reply = [this, message, started, context](HttpResponse response, const std::string& method,
                                                 const std::string& path) mutable {
    AddCorsHeaders(response);
    int status = response.status;
    std::string hook_instance = std::move(response.hook_instance);
    std::string request_id = context->request_id;
    RequestLog* log = &log_;
    // Logged before the reply goes out, so the line exists by the time the client has its answer.
    auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    log_.LogRequest(request_id, method, path, status, latency.count(), hook_instance);
    try {
      message.reply(ToCpprest(std::move(response))).then([log, request_id](pplx::task<void> sent) {
        try {
          sent.get();
        } catch (const std::exception& e) {
          log->LogError(request_id, std::string("sending the response: ") + e.what());
        } catch (...) {
          log->LogError(request_id, "sending the response: unknown exception");
        }
      });
    } catch (const std::exception& e) {
      log_.LogError(request_id, std::string("replying: ") + e.what());
    }
  };

  HttpRequest head;
  try {
    head.method = message.method();
    head.path = message.relative_uri().path();
    for (const auto& [name, value] : message.headers()) head.headers[Lower(name)] = value;
    context->config = config();
    context->today = options_.clock();

    auto reader = std::make_shared<BodyReader>();
    reader->source = message.body().streambuf();
    reader->max_bytes = context->config->server.max_body_bytes;
    if (std::optional<HttpResponse> early =
            CheckBeforeBody(head, context->config->server.max_body_bytes)) {
      // Drain (and drop) whatever body comes, so the connection can finish with bounded memory.
      reader->max_bytes = 0;
      // An error here means the client went away mid-body; the early answer is on its way.
      ReadBody(reader).then(ObserveTask);
      reply(*std::move(early), head.method, head.path);
      return;
    }
    ReadBody(reader).then([reply, reader, head, context](pplx::task<void> read) mutable {
      HttpResponse response;
      try {
        read.get();
        if (reader->too_large) {
          response = BodyTooLargeResponse(reader->max_bytes);
        } else {
          head.body = std::move(reader->text);
          response = HandleRequest(head, *context);
        }
      } catch (const std::exception& e) {
        context->log->LogError(context->request_id, std::string("reading the body: ") + e.what());
        response = ErrorResponse(InvalidArgumentError("request body: could not be read"));
      } catch (...) {
        context->log->LogError(context->request_id, "reading the body: unknown exception");
        response = ErrorResponse(InvalidArgumentError("request body: could not be read"));
      }
      head.body.clear();
      reply(std::move(response), head.method, head.path);
    }).then(ObserveTask);
  } catch (const std::exception& e) {
    log_.LogError(context->request_id, e.what());
    reply(ErrorResponse(InternalError("adapter threw")), head.method, head.path);
  } catch (...) {
    log_.LogError(context->request_id, "unknown exception");
    reply(ErrorResponse(InternalError("adapter threw")), head.method, head.path);
  }
}

}  // namespace steroid_advisor::plugin
