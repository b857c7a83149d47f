#include "plugin/outbound/capped_body.h"

#include <memory>
#include <utility>

#include "cpprest/containerstream.h"

namespace steroid_advisor::plugin {
namespace {

// Bytes, not std::string: the body is an istream of uint8_t, and reading it into a char buffer
// goes through cpprestsdk's reinterpreting streambuf conversion (UBSan's vptr check rejects it).
using ByteBuffer = Concurrency::streams::container_buffer<std::vector<uint8_t>>;

constexpr size_t kReadChunkBytes = 64 * 1024;

// One chunk, then the next as a continuation; false once past `max_bytes`, true at the end of
// the body, when the buffer's vector is cut to the bytes read (container_buffer grows it ahead
// of each write).
pplx::task<bool> ReadChunks(Concurrency::streams::istream body, std::shared_ptr<ByteBuffer> buffer,
                            size_t max_bytes, size_t bytes_so_far) {
  // Never ask for more than one byte past the cap: that byte is enough to know it is passed.
  const size_t left = max_bytes - bytes_so_far;  // bytes_so_far <= max_bytes here
  return body.read(*buffer, left < kReadChunkBytes ? left + 1 : kReadChunkBytes)
      .then([body, buffer, max_bytes, bytes_so_far](size_t read) -> pplx::task<bool> {
        const size_t total = bytes_so_far + read;
        if (total > max_bytes) return pplx::task_from_result(false);
        if (read == 0) {
          buffer->collection().resize(total);
          return pplx::task_from_result(true);
        }
        return ReadChunks(body, buffer, max_bytes, total);
      });
}

}  // namespace

pplx::task<std::optional<std::vector<uint8_t>>> ReadCappedBody(Concurrency::streams::istream body,
                                                               size_t max_bytes) {
  auto buffer = std::make_shared<ByteBuffer>();
  return ReadChunks(std::move(body), buffer, max_bytes, 0)
      .then([buffer](bool complete) -> std::optional<std::vector<uint8_t>> {
        if (!complete) return std::nullopt;
        return std::move(buffer->collection());
      });
}

}  // namespace steroid_advisor::plugin
