// Tests for the admin API's bearer token: where it comes from, and who it lets in.
#include "plugin/auth/admin_token.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/plugin/config/config_test_util.h"

namespace steroid_advisor::plugin {
namespace {

constexpr char kToken[] = "s3cret-admin-token-0123456789";

TEST(AdminAuth, ChecksTheAuthorizationHeader) {
  struct Case {
    const char* why;
    std::string header;
    bool accepted;
  };
  const Case cases[] = {
      {"no header", "", false},
      {"right token", std::string("Bearer ") + kToken, true},
      {"scheme is case-insensitive", std::string("bearer ") + kToken, true},
      {"surrounding whitespace", std::string("  Bearer  ") + kToken + " ", true},
      {"wrong token", "Bearer s3cret-admin-token-0123456780", false},
      {"prefix of the token", "Bearer s3cret-admin-token", false},
      {"token with a suffix", std::string("Bearer ") + kToken + "x", false},
      {"basic scheme", std::string("Basic ") + kToken, false},
      {"token without scheme", kToken, false},
      {"scheme without token", "Bearer ", false},
  };
  AdminAuthenticator auth(kToken);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    Status status = auth.Check(c.header);
    EXPECT_EQ(status.ok(), c.accepted) << status.ToString();
    if (!c.accepted) {
      EXPECT_EQ(status.code(), StatusCode::kUnauthenticated);
      EXPECT_EQ(status.message().find("s3cret"), std::string::npos);
    }
  }
}

TEST(AdminAuth, TokenComesFromTheEnvironment) {
  StatusOr<std::string> token = ResolveAdminToken(kToken, "");
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(*token, kToken);
}

TEST(AdminAuth, TokenFileWinsOverTheEnvironmentAndIsTrimmed) {
  testing::TempDir dir;
  const std::string path = dir.File("token");
  testing::WriteFileForTest(path, std::string(kToken) + "\n");
  StatusOr<std::string> token = ResolveAdminToken("another-token-from-the-environment", path);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(*token, kToken);
}

TEST(AdminAuth, RefusesToStartWithoutAUsableToken) {
  testing::TempDir dir;
  testing::WriteFileForTest(dir.File("empty"), "\n");
  struct Case {
    const char* why;
    const char* env_value;
    std::string file;
    StatusCode code;
  };
  const Case cases[] = {
      {"no env, no file", nullptr, "", StatusCode::kFailedPrecondition},
      {"empty env", "", "", StatusCode::kFailedPrecondition},
      {"too short", "short", "", StatusCode::kInvalidArgument},
      {"inner space", "0123456789 abcdefghij", "", StatusCode::kInvalidArgument},
      {"missing file", kToken, dir.File("missing"), StatusCode::kUnavailable},
      {"empty file", kToken, dir.File("empty"), StatusCode::kFailedPrecondition},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    StatusOr<std::string> token = ResolveAdminToken(c.env_value, c.file);
    ASSERT_FALSE(token.ok());
    EXPECT_EQ(token.status().code(), c.code);
    EXPECT_EQ(token.status().message().find("0123456789"), std::string::npos);
  }
}

}  // namespace
}  // namespace steroid_advisor::plugin
