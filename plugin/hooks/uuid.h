// Random (version 4) UUIDs for card.uuid and suggestion.uuid, which CDS clients echo back in
// feedback. Each thread has its own engine seeded from std::random_device, so no lock is taken.
// Thread-safety: safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_UUID_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_UUID_H_

#include <string>
#include <string_view>

namespace steroid_advisor::plugin {

// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower-case hex, y in [89ab] (RFC 4122 variant).
std::string NewUuidV4();

// True for the RFC 4122 textual form (any version), case-insensitive.
bool IsUuid(std::string_view text);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_UUID_H_
