// ReadCappedBody on in-memory streams: the exact edges of the cap, a body read in many chunks,
// and a cap too large to add one to. The network case (a JWK Set streamed without
// Content-Length) is in tests/plugin/auth/jwks_cache_test.cc.
// cpprestsdk's U() macro clashes with GoogleTest's template parameters; turn it off.
#define _TURN_OFF_PLATFORM_STRING

#include "plugin/outbound/capped_body.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "cpprest/containerstream.h"

namespace steroid_advisor::plugin {
namespace {

std::vector<uint8_t> Bytes(size_t size) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(i * 7);
  return bytes;
}

std::optional<std::vector<uint8_t>> Read(const std::vector<uint8_t>& bytes, size_t max_bytes) {
  return ReadCappedBody(Concurrency::streams::bytestream::open_istream(bytes), max_bytes).get();
}

TEST(ReadCappedBody, ABodyOfExactlyTheCapIsReadWhole) {
  std::optional<std::vector<uint8_t>> read = Read(Bytes(1000), 1000);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, Bytes(1000));
}

TEST(ReadCappedBody, OneByteOverTheCapIsRefused) {
  EXPECT_FALSE(Read(Bytes(1001), 1000).has_value());
}

TEST(ReadCappedBody, AnEmptyBodyIsEmpty) {
  std::optional<std::vector<uint8_t>> read = Read({}, 1000);
  ASSERT_TRUE(read.has_value());
  EXPECT_TRUE(read->empty());
}

TEST(ReadCappedBody, ABodyOfManyChunksKeepsEveryByteInOrder) {
  // 64 KiB chunks: five of them and a bit.
  const std::vector<uint8_t> body = Bytes(5 * 64 * 1024 + 123);
  std::optional<std::vector<uint8_t>> read = Read(body, 1 << 20);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, body);
}

TEST(ReadCappedBody, AZeroCapAcceptsOnlyAnEmptyBody) {
  EXPECT_TRUE(Read({}, 0).has_value());
  EXPECT_FALSE(Read(Bytes(1), 0).has_value());
}

TEST(ReadCappedBody, TheLargestCapStillReadsTheBody) {
  // "One byte past the cap" must not wrap around to a read of zero bytes (an empty body).
  std::optional<std::vector<uint8_t>> read = Read(Bytes(300), std::numeric_limits<size_t>::max());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->size(), 300u);
}

}  // namespace
}  // namespace steroid_advisor::plugin
