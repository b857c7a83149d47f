#include "fhir/ascii.h"

#include <string>

#include "gtest/gtest.h"

namespace steroid_advisor::fhir {
namespace {

TEST(AsciiLower, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("Application/FHIR+JSON"), "application/fhir+json");
  EXPECT_EQ(AsciiLower("MG"), "mg");
  EXPECT_EQ(AsciiLower(""), "");
  // Non-ASCII bytes (here the UTF-8 of "µG") pass through; only the G folds.
  EXPECT_EQ(AsciiLower("\xc2\xb5G"), "\xc2\xb5g");
}

TEST(TrimAsciiWhitespace, DropsWhitespaceAtBothEndsOnly) {
  EXPECT_EQ(TrimAsciiWhitespace("  Bearer abc \t\r\n"), "Bearer abc");
  EXPECT_EQ(TrimAsciiWhitespace(" drug "), "drug");
  EXPECT_EQ(TrimAsciiWhitespace("a b"), "a b");
  EXPECT_EQ(TrimAsciiWhitespace(" \t "), "");
  EXPECT_EQ(TrimAsciiWhitespace(""), "");
}

}  // namespace
}  // namespace steroid_advisor::fhir
