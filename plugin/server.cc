#include "plugin/server.h"

#include <cpprest/http_listener.h>

#include <atomic>
#include <exception>
#include <iostream>
#include <utility>

#include "plugin/hooks/clock.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/http/cors.h"
#include "plugin/http/error_response.h"
#include "plugin/http/listener_adapter.h"
#include "plugin/http/message.h"
#include "plugin/router.h"

namespace steroid_advisor::plugin {
namespace {

using web::http::http_request;
using web::http::experimental::listener::http_listener;

}  // namespace

Server::Server(ServerOptions options)
    : options_(std::move(options)),
      log_(options_.quiet ? nullptr
                          : (options_.log_sink != nullptr ? options_.log_sink : &std::clog)) {
  config_ = options_.config != nullptr ? options_.config : DefaultServiceConfig();
  if (!options_.clock) options_.clock = TodayUtc;
  if (!options_.now_seconds) {
    options_.now_seconds = NowSecondsUtc;
  }
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
  auto context = std::make_shared<HandlerContext>();
  context->request_id = log_.NextRequestId();
  context->log = &log_;
  context->fetcher = options_.fetcher;
  context->feedback = options_.feedback;
  // One config snapshot per request: a swap mid-request does not change what it sees.
  context->config = config();
  context->today = options_.clock();
  context->now_seconds = options_.now_seconds();
  RequestHandlers handlers;
  handlers.max_body_bytes = context->config->server.max_body_bytes;
  handlers.check_before_body = [context](const HttpRequest& head) {
    return CheckBeforeBody(head, *context);
  };
  handlers.handle = [context](const HttpRequest& request) {
    return HandleCheckedRequest(request, *context);
  };
  handlers.finish = [](HttpResponse& response) { AddCorsHeaders(response); };
  ServeRequest(std::move(message), std::move(handlers), log_, context->request_id);
}

}  // namespace steroid_advisor::plugin
