#include "plugin/admin/server.h"

#include <iostream>
#include <utility>

#include "plugin/http/handler.h"
#include "plugin/http/message.h"
#include "plugin/http/server.h"

namespace steroid_advisor::plugin {

// Adapts HandleAdmin to the HTTP server: credentials and method checked from the head.
class AdminServer::Handler : public HttpHandler {
 public:
  explicit Handler(AdminServer& server) : server_(server) {}

  std::optional<HttpResponse> CheckHead(HttpRequest& head) override {
    std::optional<HttpResponse> early = CheckAdminBeforeBody(head, server_.context_);
    if (early.has_value()) early->facts.request_id = server_.log_.NextRequestId();
    return early;
  }

  void Handle(HttpRequest request, std::function<void(HttpResponse)> respond) override {
    HttpResponse response = HandleAdmin(request, server_.context_);
    response.facts.request_id = server_.log_.NextRequestId();
    respond(std::move(response));
  }

 private:
  AdminServer& server_;
};

AdminServer::AdminServer(AdminServerOptions options)
    : options_(std::move(options)),
      authenticator_(options_.token),
      log_(options_.quiet ? nullptr
                          : (options_.log_sink != nullptr ? options_.log_sink : &std::clog),
           options_.log_format) {
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
  handler_ = std::make_unique<Handler>(*this);
}

AdminServer::~AdminServer() { Stop(); }

std::string AdminServer::base_url() const {
  if (http_ != nullptr) return http_->base_url();
  return std::string(options_.tls != nullptr ? "https://" : "http://") + options_.host + ":" +
         std::to_string(options_.port);
}

Status AdminServer::Start() {
  if (http_ != nullptr) return FailedPreconditionError("admin server: already started");
  if (options_.store == nullptr) return FailedPreconditionError("admin server: no config store");
  if (options_.port < 0 || options_.port > 65535) {
    return FailedPreconditionError("admin server: --admin-port must be between 1 and 65535");
  }
  if (!has_token_) {
    return FailedPreconditionError(std::string("admin server: no admin token (set ") +
                                   kAdminTokenEnvVar + " or pass --admin-token-file)");
  }
  HttpServerOptions http;
  http.host = options_.host;
  http.port = options_.port;
  http.threads = 1;  // administrators, not EHRs: one thread is plenty
  http.limits.max_body_bytes = kMaxAdminBodyBytes;
  http.tls = options_.tls;
  http.on_response = [this](const HttpRequest& request, const HttpResponse& response,
                            int64_t latency_us) { log_.LogRequest(request, response, latency_us); };
  auto server = std::make_unique<HttpServer>(std::move(http), handler_.get());
  Status started = server->Start();
  if (!started.ok()) return Status(started.code(), "admin server: " + started.message());
  http_ = std::move(server);
  return OkStatus();
}

void AdminServer::Stop() {
  if (http_ != nullptr) http_->Stop();
}

}  // namespace steroid_advisor::plugin
