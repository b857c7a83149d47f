// ServerContext: what an HttpServer's connections share: the io_context, limits, handler,
// observer and TLS context, the count of open connections and the list used by Stop().
// Owns: the io_context. Held by shared_ptr by the server and by every connection, so a
// connection that outlives the server (its `respond` kept by a handler) still has one.
// Thread-safety: safe for concurrent use; the plain fields are read-only after construction.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_SERVER_CONTEXT_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_SERVER_CONTEXT_H_

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "plugin/http/handler.h"
#include "plugin/http/limits.h"

namespace steroid_advisor::plugin {

// What Stop() needs of a connection. Both calls may come from any thread.
class ConnectionControl {
 public:
  virtual ~ConnectionControl() = default;
  // Closes the connection now if no request is in flight, else once its response is written.
  virtual void CloseWhenIdle() = 0;
  // Closes the connection now, request in flight or not.
  virtual void CloseNow() = 0;
};

class ServerContext {
 public:
  ServerContext(const HttpLimits& limits, HttpHandler* handler, HttpResponseObserver on_response,
                std::shared_ptr<boost::asio::ssl::context> tls);

  boost::asio::io_context& io_context() { return io_context_; }
  const HttpLimits& limits() const { return limits_; }
  HttpHandler& handler() const { return *handler_; }
  const HttpResponseObserver& on_response() const { return on_response_; }
  boost::asio::ssl::context* tls() const { return tls_.get(); }

  // Open-connection accounting against limits().max_connections.
  bool TryOpenConnection();  // false when at the cap or stopping
  void CloseConnection();
  // Waits until no connection is open or `deadline` passes; true when none is open.
  bool WaitForNoConnections(std::chrono::steady_clock::time_point deadline);

  void Register(ConnectionControl* connection, std::weak_ptr<ConnectionControl> weak);
  void Unregister(ConnectionControl* connection);
  std::vector<std::shared_ptr<ConnectionControl>> Connections();

  void BeginStop() { stopping_.store(true); }
  bool stopping() const { return stopping_.load(); }

  // Posts `work` to `executor` unless the server has finished (see Finish). Used by `respond`,
  // which a handler may call from any thread at any time.
  template <typename Executor, typename Work>
  void PostUnlessFinished(const Executor& executor, Work&& work) {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return;
    boost::asio::post(executor, std::forward<Work>(work));
  }
  // Called once the server's threads have returned: runs what was posted meanwhile (it finds
  // its connection closed), and from now on PostUnlessFinished drops its work, so nothing is
  // left queued in the io_context holding a connection (and through it this context) alive.
  void Finish();

 private:
  boost::asio::io_context io_context_;
  const HttpLimits limits_;
  HttpHandler* const handler_;
  const HttpResponseObserver on_response_;
  const std::shared_ptr<boost::asio::ssl::context> tls_;
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  std::condition_variable none_open_;
  int open_connections_ = 0;  // guarded by mu_
  bool finished_ = false;     // guarded by mu_
  std::unordered_map<ConnectionControl*, std::weak_ptr<ConnectionControl>>
      connections_;  // guarded by mu_
};

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_SERVER_CONTEXT_H_
