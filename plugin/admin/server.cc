#include "plugin/admin/server.h"

#include <cpprest/http_listener.h>

#include <exception>
#include <iostream>
#include <utility>

#include "plugin/http/error_response.h"
#include "plugin/http/listener_adapter.h"
#include "plugin/http/message.h"

namespace steroid_advisor::plugin {
namespace {

using web::http::http_request;
using web::http::experimental::listener::http_listener;

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
  context_.feedback = options_.feedback;
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
  const AdminContext* context = &context_;
  RequestHandlers handlers;
  handlers.max_body_bytes = kMaxAdminBodyBytes;
  handlers.check_before_body = [context](const HttpRequest& head) {
    return CheckAdminBeforeBody(head, *context);
  };
  handlers.handle = [context](const HttpRequest& request) {
    return HandleAdmin(request, *context);
  };
  ServeRequest(std::move(message), std::move(handlers), log_, log_.NextRequestId());
}

}  // namespace steroid_advisor::plugin
