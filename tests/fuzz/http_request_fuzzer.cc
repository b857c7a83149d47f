// libFuzzer target: raw bytes as one HTTP/1.1 request, parsed as the server's connection does
// (Beast's request_parser with the server's limits), then the strict head checks, the head
// conversion, the router's checks before the body and the routed request itself (default
// config, no FHIR server; the answer arrives synchronously or not at all).
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>

#include "plugin/config/service_config.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/http/limits.h"
#include "plugin/http/message_codec.h"
#include "plugin/http/request_checks.h"
#include "plugin/router.h"

using namespace steroid_advisor;
namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const plugin::HttpLimits limits;
  std::string_view raw(reinterpret_cast<const char*>(data), size);

  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(limits.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = 0;
  while (used < raw.size() && !parser.is_done()) {
    size_t n = parser.put(boost::asio::buffer(raw.data() + used, raw.size() - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) break;
    if (n == 0) break;
    used += n;
  }
  if (ec && ec != http::error::need_more) {
    std::string_view target;
    if (parser.is_header_done()) {
      auto parsed = parser.get().target();
      target = std::string_view(parsed.data(), parsed.size());
    }
    plugin::RequestError error =
        plugin::RequestErrorForParseError(ec, target, raw.substr(used), limits);
    (void)plugin::JsonErrorResponse(error.status, error.code, error.message);
    return 0;
  }
  if (!parser.is_done()) return 0;

  const http::request_header<>& head = parser.get().base();
  if (plugin::CheckRequestHead(head, limits).has_value()) return 0;
  plugin::HttpRequest request;
  plugin::ReadRequestHead(head, "127.0.0.1", &request);
  request.body = parser.get().body();

  auto context = std::make_shared<plugin::HandlerContext>();
  context->config = plugin::DefaultServiceConfig();
  context->now_seconds = 1795000000;
  context->request_id = "fuzz";
  if (plugin::CheckBeforeBody(request, *context).has_value()) return 0;
  plugin::HandleCheckedRequest(request, context, [](plugin::HttpResponse response) {
    http::response<http::string_body> wire;
    plugin::WriteResponse(std::move(response), 11, false, false, &wire);
  });
  return 0;
}
