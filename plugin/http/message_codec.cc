#include "plugin/http/message_codec.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/beast/core/string.hpp>
#include <cctype>
#include <string>
#include <utility>

namespace steroid_advisor::plugin {
namespace {

namespace http = boost::beast::http;

std::string_view View(boost::beast::string_view s) { return std::string_view(s.data(), s.size()); }

std::string LowerCase(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

bool IsFramingHeader(std::string_view header_name) {
  const boost::beast::string_view name(header_name.data(), header_name.size());
  return boost::beast::iequals(name, "content-length") ||
         boost::beast::iequals(name, "transfer-encoding") ||
         boost::beast::iequals(name, "connection");
}

// CR or LF in a header would let a value start a new header or end the head early.
bool IsSafeHeaderText(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

}  // namespace

void ReadRequestHead(const http::request_header<>& head, std::string_view remote_address,
                     HttpRequest* out) {
  out->method = std::string(View(head.method_string()));
  out->target = std::string(View(head.target()));
  const size_t question = out->target.find('?');
  out->path = out->target.substr(0, question);
  out->query = question == std::string::npos ? "" : out->target.substr(question + 1);
  out->remote_address = std::string(remote_address);
  out->headers.clear();
  for (const auto& field : head) {
    auto [it, inserted] =
        out->headers.try_emplace(LowerCase(View(field.name_string())), View(field.value()));
    if (!inserted) {
      it->second.append(", ");
      it->second.append(View(field.value()));
    }
  }
}

void WriteResponse(HttpResponse response, unsigned version, bool keep_alive, bool head_request,
                   http::response<http::string_body>* out) {
  if (response.status < 200 || response.status > 599) {
    response = JsonErrorResponse(500, "internal", "internal error");
  }
  *out = {};
  out->version(version);
  out->result(static_cast<unsigned>(response.status));
  for (auto& [name, value] : response.headers) {
    if (IsFramingHeader(name) || !IsSafeHeaderText(name) || !IsSafeHeaderText(value)) continue;
    out->set(name, value);
  }
  out->keep_alive(keep_alive);
  if (response.status == 204 || response.status == 304) {
    out->body().clear();
    return;
  }
  out->content_length(response.body.size());
  if (head_request) {
    out->body().clear();
  } else {
    out->body() = std::move(response.body);
  }
}

HttpResponse JsonErrorResponse(int status, std::string_view code, std::string_view message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.StartObject();
  writer.Key("code");
  writer.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  writer.Key("message");
  writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  writer.EndObject();
  writer.EndObject();
  HttpResponse response;
  response.status = status;
  response.headers["Content-Type"] = "application/json";
  response.body.assign(buffer.GetString(), buffer.GetSize());
  return response;
}

}  // namespace steroid_advisor::plugin
