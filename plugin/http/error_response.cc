#include "plugin/http/error_response.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "plugin/http/status.h"

namespace steroid_advisor::plugin {

std::string WriteError(std::string_view code, std::string_view message) {
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
  return std::string(buffer.GetString(), buffer.GetSize());
}

HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message) {
  HttpResponse response;
  response.status = http_status;
  response.headers["Content-Type"] = "application/json";
  // An empty message would break the error schema (minLength 1).
  response.body = WriteError(code, message.empty() ? std::string_view("error") : message);
  return response;
}

HttpResponse ErrorResponse(const Status& status) {
  StatusCode code = status.ok() ? StatusCode::kInternal : status.code();
  std::string_view message = status.message();
  if (code == StatusCode::kInternal) message = "internal error";
  return ErrorResponse(HttpStatusFor(code), StatusCodeName(code), message);
}

HttpResponse BodyTooLargeResponse(size_t max_body_bytes) {
  return ErrorResponse(ResourceExhaustedError("request body: larger than the " +
                                              std::to_string(max_body_bytes) + "-byte limit"));
}

}  // namespace steroid_advisor::plugin
