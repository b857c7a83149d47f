#include "plugin/admin_server.h"

#include <cpprest/http_listener.h>

#include <array>
#include <cctype>
#include <chrono>
#include <exception>
#include <iostream>
#include <utility>

#include "plugin/error_response.h"
#include "plugin/http_message.h"

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
  std::string text;
  bool too_large = false;
  std::array<uint8_t, kReadChunkBytes> chunk{};
};

// Reads the whole body, keeping at most kMaxAdminBodyBytes; past the cap it drains and drops,
// since cpprestsdk answers only once the request body is in.
pplx::task<void> ReadBody(std::shared_ptr<BodyReader> reader) {
  return reader->source.getn(reader->chunk.data(), reader->chunk.size())
      .then([reader](size_t read) -> pplx::task<void> {
        if (read == 0) return pplx::task_from_result();
        if (!reader->too_large) {
          if (reader->text.size() + read > kMaxAdminBodyBytes) {
            reader->too_large = true;
            std::string().swap(reader->text);
          } else {
            reader->text.append(reinterpret_cast<const char*>(reader->chunk.data()), read);
          }
        }
        return ReadBody(reader);
      });
}

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

AdminServer::AdminServer(AdminServerOptions options)
    : options_(std::move(options)),
      authenticator_(options_.token),
      log_(options_.quiet ? nullptr
                          : (options_.log_sink != nullptr ? options_.log_sink : &std::clog)) {
  context_.store = options_.store;
  context_.audit_log = options_.audit_log;
  context_.authenticator = &authenticator_;
  context_.clock = options_.clock;
  context_.assets = options_.assets;
  has_token_ = !options_.token.empty();
  // The token's digest lives in the authenticator; drop the plain copy.
  options_.token.assign(options_.token.size(), '\0');
  options_.token.clear();
}

AdminServer::~AdminServer() { Stop(); }

std::string AdminServer::base_url() const {
  return "http://" + options_.host + ":" + std::to_string(options_.port);
}

Status AdminServer::Start() {
  if (listener_ != nullptr) return FailedPreconditionError("admin server: already started");
  if (options_.store == nullptr) return FailedPreconditionError("admin server: no config store");
  if (options_.port <= 0 || options_.port > 65535) {
    return FailedPreconditionError("admin server: --admin-port must be between 1 and 65535");
  }
  if (!has_token_) {
    return FailedPreconditionError(std::string("admin server: no admin token (set ") +
                                   kAdminTokenEnvVar + " or pass --admin-token-file)");
  }
  try {
    auto listener = std::make_unique<http_listener>(web::uri(base_url()));
    listener->support([this](http_request message) { OnRequest(std::move(message)); });
    listener->open().wait();
    listener_ = std::move(listener);
  } catch (const std::exception& e) {
    return UnavailableError("admin server: cannot listen on " + base_url() + ": " + e.what());
  }
  return OkStatus();
}

void AdminServer::Stop() {
  if (listener_ == nullptr) return;
  try {
    listener_->close().wait();
  } catch (const std::exception& e) {
    log_.LogError("-", std::string("admin: closing the listener: ") + e.what());
  }
  listener_.reset();
}

void AdminServer::OnRequest(http_request message) {
  auto started = std::chrono::steady_clock::now();
  std::string request_id = log_.NextRequestId();

  // Sends `response` and logs the request line; never throws.
  auto reply = [this, message, started, request_id](HttpResponse response,
                                                    const std::string& method,
                                                    const std::string& path) mutable {
    int status = response.status;
    RequestLog* log = &log_;
    try {
      message.reply(ToCpprest(std::move(response))).then([log, request_id](pplx::task<void> sent) {
        try {
          sent.get();
        } catch (const std::exception& e) {
          log->LogError(request_id, std::string("admin: sending the response: ") + e.what());
        } catch (...) {
          log->LogError(request_id, "admin: sending the response: unknown exception");
        }
      });
    } catch (const std::exception& e) {
      log_.LogError(request_id, std::string("admin: replying: ") + e.what());
    }
    auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    log_.LogRequest(request_id, method, path, status, latency.count(), "");
  };

  HttpRequest head;
  try {
    head.method = message.method();
    head.path = message.relative_uri().path();
    for (const auto& [name, value] : message.headers()) head.headers[Lower(name)] = value;

    auto reader = std::make_shared<BodyReader>();
    reader->source = message.body().streambuf();
    if (std::optional<HttpResponse> early = CheckAdminBeforeBody(head, context_)) {
      // Drain and drop the body (bounded memory) so the connection can finish.
      reader->too_large = true;
      ReadBody(reader).then(ObserveTask);
      reply(*std::move(early), head.method, head.path);
      return;
    }
    const AdminContext* context = &context_;
    ReadBody(reader)
        .then([reply, reader, head, context, request_id,
               log = &log_](pplx::task<void> read) mutable {
          HttpResponse response;
          try {
            read.get();
            if (reader->too_large) {
              response = ErrorResponse(ResourceExhaustedError(
                  "request body: larger than " + std::to_string(kMaxAdminBodyBytes) + " bytes"));
            } else {
              head.body = std::move(reader->text);
              response = HandleAdmin(head, *context);
            }
          } catch (const std::exception& e) {
            log->LogError(request_id, std::string("admin: reading the body: ") + e.what());
            response = ErrorResponse(InvalidArgumentError("request body: could not be read"));
          } catch (...) {
            log->LogError(request_id, "admin: reading the body: unknown exception");
            response = ErrorResponse(InvalidArgumentError("request body: could not be read"));
          }
          head.body.clear();
          reply(std::move(response), head.method, head.path);
        })
        .then(ObserveTask);
  } catch (const std::exception& e) {
    log_.LogError(request_id, std::string("admin: ") + e.what());
    reply(ErrorResponse(InternalError("adapter threw")), head.method, head.path);
  } catch (...) {
    log_.LogError(request_id, "admin: unknown exception");
    reply(ErrorResponse(InternalError("adapter threw")), head.method, head.path);
  }
}

}  // namespace steroid_advisor::plugin
