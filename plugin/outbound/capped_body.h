// Reading a response body from cpprestsdk's HTTP client with a cap on its size. The body is
// copied chunk by chunk as it arrives, and the read stops as soon as more than the cap has
// arrived, so a peer that streams without Content-Length (chunked, or until it closes) costs at
// most the cap and the request's timeout, never the whole stream. The caller cancels the request
// when the cap is passed: cpprestsdk keeps reading into its own buffer until it is cancelled.
// Thread-safety: each call reads its own stream; the steps run on cpprestsdk's pool.
#ifndef STEROID_ADVISOR_PLUGIN_OUTBOUND_CAPPED_BODY_H_
#define STEROID_ADVISOR_PLUGIN_OUTBOUND_CAPPED_BODY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "cpprest/streams.h"
#include "pplx/pplxtasks.h"

namespace steroid_advisor::plugin {

// The whole body, or nullopt once more than `max_bytes` arrived. Every step is a continuation,
// never a wait: cpprestsdk's pool has one thread per core (main.cc), and a step blocked on the
// body would hold a thread that the body's own read may need. A failed read fails the task.
pplx::task<std::optional<std::vector<uint8_t>>> ReadCappedBody(Concurrency::streams::istream body,
                                                               size_t max_bytes);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_OUTBOUND_CAPPED_BODY_H_
