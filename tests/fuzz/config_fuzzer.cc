// libFuzzer target: the config validator (ParseServiceConfig) on arbitrary text: every problem
// is a value, never a crash. Seeded with deploy/config and tests/data/config.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "plugin/config/service_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)steroid_advisor::plugin::ParseServiceConfig(text);
  return 0;
}
