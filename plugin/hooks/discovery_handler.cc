#include "plugin/hooks/discovery_handler.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "plugin/config/services.h"

namespace steroid_advisor::plugin {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void String(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace

std::string WriteDiscovery(const ServiceConfig& config) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  String(writer, "services");
  writer.StartArray();
  for (const ServiceDefinition& service : Services()) {
    std::string_view title = service.default_title;
    std::string_view description = service.default_description;
    if (auto it = config.services.find(std::string(service.id)); it != config.services.end()) {
      if (!it->second.title.empty()) title = it->second.title;
      if (!it->second.description.empty()) description = it->second.description;
    }
    writer.StartObject();
    String(writer, "hook");
    String(writer, service.hook);
    String(writer, "title");
    String(writer, title);
    String(writer, "description");
    String(writer, description);
    String(writer, "id");
    String(writer, service.id);
    String(writer, "prefetch");
    writer.StartObject();
    for (const PrefetchKey& key : RecordPrefetchKeys()) {
      String(writer, key.key);
      String(writer, key.prefetch_template);
    }
    writer.EndObject();
    String(writer, "usageRequirements");
    String(writer, kUsageRequirements);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

HttpResponse HandleDiscovery(const HttpRequest& /*request*/, const HandlerContext& context) {
  HttpResponse response;
  response.status = 200;
  response.headers["Content-Type"] = "application/json";
  response.body = WriteDiscovery(*context.config);
  return response;
}

}  // namespace steroid_advisor::plugin
