// One accepted HTTP/1.1 connection (plain or TLS): reads requests with Beast's parser under the
// server's limits and timeouts, hands them to the HttpHandler one at a time, and writes the
// responses in request order (the next request is read once the previous answer is written,
// which keeps pipelined requests in order).
// Owns: the socket, one read buffer and one parser per connection. Thread-safety: each
// connection runs on its own strand; StartConnection may be called from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_CONNECTION_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_CONNECTION_H_

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "plugin/http/server_context.h"

namespace steroid_advisor::plugin {

// Serves `socket` (whose executor must be a strand) until the peer goes, a limit or timeout is
// hit, or the server stops. The caller has counted it with context->TryOpenConnection(); the
// connection calls CloseConnection() once its socket is closed.
void StartConnection(std::shared_ptr<ServerContext> context, boost::asio::ip::tcp::socket socket);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_CONNECTION_H_
