#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

std::optional<std::string_view> HttpRequest::Header(std::string_view lower_case_name) const {
  auto it = headers.find(std::string(lower_case_name));
  if (it == headers.end()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace steroid_advisor::plugin
