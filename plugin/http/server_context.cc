#include "plugin/http/server_context.h"

namespace steroid_advisor::plugin {

ServerContext::ServerContext(const HttpLimits& limits, HttpHandler* handler,
                             HttpResponseObserver on_response,
                             std::shared_ptr<boost::asio::ssl::context> tls)
    : limits_(limits),
      handler_(handler),
      on_response_(std::move(on_response)),
      tls_(std::move(tls)) {}

bool ServerContext::TryOpenConnection() {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping() || open_connections_ >= limits_.max_connections) return false;
  ++open_connections_;
  return true;
}

void ServerContext::CloseConnection() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--open_connections_ == 0) none_open_.notify_all();
}

bool ServerContext::WaitForNoConnections(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return none_open_.wait_until(lock, deadline, [this] { return open_connections_ == 0; });
}

void ServerContext::Register(ConnectionControl* connection, std::weak_ptr<ConnectionControl> weak) {
  std::lock_guard<std::mutex> lock(mu_);
  connections_.emplace(connection, std::move(weak));
}

void ServerContext::Unregister(ConnectionControl* connection) {
  std::lock_guard<std::mutex> lock(mu_);
  connections_.erase(connection);
}

std::vector<std::shared_ptr<ConnectionControl>> ServerContext::Connections() {
  std::vector<std::shared_ptr<ConnectionControl>> alive;
  std::lock_guard<std::mutex> lock(mu_);
  alive.reserve(connections_.size());
  for (auto& [raw, weak] : connections_) {
    if (auto connection = weak.lock()) alive.push_back(std::move(connection));
  }
  return alive;
}

void ServerContext::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
  }
  io_context_.restart();
  io_context_.poll();
}

}  // namespace steroid_advisor::plugin
