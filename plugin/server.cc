#include "plugin/server.h"

#include <atomic>
#include <iostream>
#include <utility>

#include "plugin/auth/jwks_cache.h"
#include "plugin/auth/replay_cache.h"
#include "plugin/hooks/clock.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/http/cors.h"
#include "plugin/http/handler.h"
#include "plugin/http/server.h"
#include "plugin/router.h"

namespace steroid_advisor::plugin {

// Adapts the router to the HTTP server: a HandlerContext made from the config snapshot and clocks
// of that moment for the head checks, and a new one for the whole request. The request is named
// once, at its head, so the ids in the log count requests.
class Server::Handler : public HttpHandler {
 public:
  explicit Handler(Server& server) : server_(server) {}

  std::optional<HttpResponse> CheckHead(HttpRequest& head) override {
    head.request_id = server_.log_.NextRequestId();
    HandlerContext context;
    Fill(head.request_id, context);
    std::optional<HttpResponse> early = CheckBeforeBody(head, context);
    if (early.has_value()) {
      AddCorsHeaders(*early);
      early->facts.request_id = context.request_id;
    }
    return early;
  }

  void Handle(HttpRequest request, std::function<void(HttpResponse)> respond) override {
    // A new snapshot: a config swap between head and body applies to the body's handling; the
    // head checks it already passed are not repeated.
    auto context = std::make_shared<HandlerContext>();
    Fill(request.request_id.empty() ? server_.log_.NextRequestId() : request.request_id, *context);
    HandleCheckedRequest(request, std::move(context), std::move(respond));
  }

 private:
  void Fill(std::string request_id, HandlerContext& context) {
    context.request_id = std::move(request_id);
    context.log = &server_.log_;
    context.fetcher = server_.options_.fetcher;
    context.feedback = server_.options_.feedback;
    context.metrics = server_.options_.metrics;
    context.readiness = &server_.options_.readiness;
    context.jwt_replay = server_.jwt_replay_.get();
    context.jwks = server_.jwks_.get();
    context.config = server_.config();
    context.today = server_.options_.clock();
    context.now_seconds = server_.options_.now_seconds();
  }

  Server& server_;
};

Server::Server(ServerOptions options)
    : options_(std::move(options)),
      log_(options_.quiet ? nullptr
                          : (options_.log_sink != nullptr ? options_.log_sink : &std::clog),
           options_.log_format, options_.log_level) {
  config_ = options_.config != nullptr ? options_.config : DefaultServiceConfig();
  if (!options_.clock) options_.clock = TodayUtc;
  if (!options_.now_seconds) options_.now_seconds = NowSecondsUtc;
  handler_ = std::make_unique<Handler>(*this);
  jwt_replay_ = std::make_unique<JtiReplayCache>();
  jwks_ = std::make_unique<JwksCache>();
}

Server::~Server() { Stop(); }

std::string Server::base_url() const {
  if (http_ != nullptr) return http_->base_url();
  return std::string(options_.tls != nullptr ? "https://" : "http://") + options_.host + ":" +
         std::to_string(options_.port);
}

std::shared_ptr<const ServiceConfig> Server::config() const { return std::atomic_load(&config_); }

void Server::SetConfig(std::shared_ptr<const ServiceConfig> config) {
  if (config == nullptr) return;
  jwks_->Prefetch(config->auth.trusted_issuers);
  std::atomic_store(&config_, std::move(config));
}

Status Server::Start() {
  if (http_ != nullptr) return FailedPreconditionError("server: already started");
  jwks_->Prefetch(config()->auth.trusted_issuers);
  HttpServerOptions http;
  http.host = options_.host;
  http.port = options_.port;
  http.threads = options_.threads;
  http.limits = options_.limits;
  const ServerLimits& configured = config()->server;
  if (options_.limits_from_config) {
    http.limits.max_header_bytes = static_cast<size_t>(configured.max_header_bytes);
    http.limits.max_url_bytes = static_cast<size_t>(configured.max_url_bytes);
    http.limits.max_connections = configured.max_connections;
    http.limits.header_timeout_ms = configured.header_timeout_ms;
    http.limits.body_timeout_ms = configured.body_timeout_ms;
    http.limits.idle_timeout_ms = configured.idle_timeout_ms;
    http.limits.write_timeout_ms = configured.write_timeout_ms;
    http.limits.handler_timeout_ms = configured.handler_timeout_ms;
  }
  if (configured.max_body_bytes > http.limits.max_body_bytes) {
    http.limits.max_body_bytes = configured.max_body_bytes;
  }
  http.tls = options_.tls;
  http.on_response = [this](const HttpRequest& request, const HttpResponse& response,
                            int64_t latency_us) { log_.LogRequest(request, response, latency_us); };
  auto server = std::make_unique<HttpServer>(std::move(http), handler_.get());
  Status started = server->Start();
  if (!started.ok()) return started;
  http_ = std::move(server);
  return OkStatus();
}

void Server::Stop() {
  if (http_ != nullptr) http_->Stop();
}

}  // namespace steroid_advisor::plugin
