#include "plugin/http/request_checks.h"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

namespace steroid_advisor::plugin {
namespace {

namespace http = boost::beast::http;

constexpr RequestError kBadRequest{400, "invalid_argument", "malformed request"};
constexpr RequestError kBodyTooLarge{413, "resource_exhausted", "request body too large"};
constexpr RequestError kTargetTooLong{414, "resource_exhausted", "request target too long"};
constexpr RequestError kHeaderTooLarge{431, "resource_exhausted", "request header too large"};
constexpr RequestError kVersionNotSupported{505, "invalid_argument", "http version not supported"};

bool IsImplementedMethod(http::verb verb) {
  switch (verb) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::post:
    case http::verb::put:
    case http::verb::delete_:
    case http::verb::options:
    case http::verb::patch:
      return true;
    default:
      return false;
  }
}

// The request line read so far, without its line end.
std::string_view RequestLine(std::string_view buffered) {
  std::string_view line = buffered.substr(0, buffered.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// The target's length as far as it was read: from the first space to the next (or the end).
std::size_t TargetBytesSoFar(std::string_view parsed_target, std::string_view buffered) {
  if (!parsed_target.empty()) return parsed_target.size();
  const std::string_view line = RequestLine(buffered);
  const std::size_t start = line.find(' ');
  if (start == std::string_view::npos) return 0;
  const std::size_t end = line.find(' ', start + 1);
  return (end == std::string_view::npos ? line.size() : end) - start - 1;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "METHOD TARGET HTTP/d.d": a version the parser could read but does not support.
bool EndsWithWellFormedVersion(std::string_view line) {
  if (line.size() < 9 || std::count(line.begin(), line.end(), ' ') != 2) return false;
  const std::string_view version = line.substr(line.size() - 9);
  return version.substr(0, 6) == " HTTP/" && IsDigit(version[6]) && version[7] == '.' &&
         IsDigit(version[8]);
}

}  // namespace

std::optional<RequestError> CheckRequestHead(const http::request_header<>& head,
                                             const HttpLimits& limits) {
  if (head.version() != 10 && head.version() != 11) {
    return kVersionNotSupported;
  }
  // Beast maps a method to a verb only when spelled exactly ("get" is verb::unknown).
  if (!IsImplementedMethod(head.method())) {
    return RequestError{501, "method_not_allowed", "method not implemented"};
  }
  const std::string_view target(head.target().data(), head.target().size());
  if (target.size() > limits.max_url_bytes) return kTargetTooLong;
  const bool origin_form = !target.empty() && target.front() == '/';
  const bool asterisk_form = target == "*" && head.method() == http::verb::options;
  if (!origin_form && !asterisk_form) {
    return RequestError{400, "invalid_argument", "request target must start with /"};
  }
  const auto hosts = head.count(http::field::host);
  if (hosts > 1 || (hosts == 0 && head.version() == 11)) {
    return RequestError{400, "invalid_argument", "exactly one host header is required"};
  }
  const auto transfer_encodings = head.count(http::field::transfer_encoding);
  if (transfer_encodings > 0 && head.count(http::field::content_length) > 0) {
    return RequestError{400, "invalid_argument", "content-length and transfer-encoding together"};
  }
  if (transfer_encodings > 1 ||
      (transfer_encodings == 1 &&
       !boost::beast::iequals(head[http::field::transfer_encoding], "chunked"))) {
    return RequestError{501, "invalid_argument", "transfer-encoding not supported"};
  }
  return std::nullopt;
}

RequestError RequestErrorForParseError(const boost::beast::error_code& ec,
                                       std::string_view parsed_target, std::string_view buffered,
                                       const HttpLimits& limits) {
  if (ec == http::error::header_limit) {
    return TargetBytesSoFar(parsed_target, buffered) > limits.max_url_bytes ? kTargetTooLong
                                                                            : kHeaderTooLarge;
  }
  if (ec == http::error::body_limit) return kBodyTooLarge;
  if (ec == http::error::bad_chunk || ec == http::error::bad_chunk_extension) {
    return RequestError{400, "invalid_argument", "malformed chunked body"};
  }
  if (ec == http::error::bad_content_length) {
    return RequestError{400, "invalid_argument", "invalid content-length"};
  }
  if (ec == http::error::bad_transfer_encoding) {
    return RequestError{400, "invalid_argument", "invalid transfer-encoding"};
  }
  if (ec == http::error::bad_version) {
    if (EndsWithWellFormedVersion(RequestLine(buffered))) return kVersionNotSupported;
    return RequestError{400, "invalid_argument", "malformed http version"};
  }
  return kBadRequest;
}

}  // namespace steroid_advisor::plugin
