// Time-ordered (version 7, RFC 9562) UUIDs for card.uuid and suggestion.uuid, which CDS clients
// echo back in feedback. Version 7 rather than 4: every card shown is a row keyed by its uuid in
// the feedback store (plugin/feedback/), and uuids that grow with time are appended to that
// index's last page instead of landing on a random page each, which under load made the store's
// writer the service's largest CPU cost (bench/RESULTS.md section 10). The 74 random bits come
// from a per-thread engine seeded from std::random_device, so no lock is taken; the uuid reveals
// the millisecond it was made, which the response carrying it reveals anyway.
// Thread-safety: safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_UUID_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_UUID_H_

#include <string>
#include <string_view>

namespace steroid_advisor::plugin {

// "tttttttt-tttt-7xxx-yxxx-xxxxxxxxxxxx", lower-case hex: t the Unix time in milliseconds (48
// bits, big-endian), y in [89ab] (RFC 9562 variant), x random.
std::string NewUuidV7();

// True for the RFC 4122 textual form (any version), case-insensitive.
bool IsUuid(std::string_view text);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_UUID_H_
