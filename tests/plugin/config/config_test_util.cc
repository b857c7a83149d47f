#include "tests/plugin/config/config_test_util.h"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "cards/config.h"
#include "rapidjson/document.h"
#include "rapidjson/pointer.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"

namespace steroid_advisor::plugin::testing {
namespace {

rapidjson::Document MustParse(std::string_view text) {
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  if (document.HasParseError()) {
    std::fprintf(stderr, "config_test_util: malformed json in a test\n");
    std::abort();
  }
  return document;
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/steroid-admin-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  path_ = name.data();
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string DefaultConfigText() { return std::string(cards::DefaultConfigJson()); }

std::string WithValue(std::string_view text, std::string_view pointer,
                      std::string_view json_value) {
  rapidjson::Document document = MustParse(text);
  rapidjson::Document value = MustParse(json_value);
  rapidjson::Pointer(std::string(pointer).c_str()).Set(document, value, document.GetAllocator());
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  document.Accept(writer);
  return buffer.GetString();
}

std::string StringAt(std::string_view text, std::string_view pointer) {
  rapidjson::Document document = MustParse(text);
  const rapidjson::Value* value = rapidjson::Pointer(std::string(pointer).c_str()).Get(document);
  if (value == nullptr || !value->IsString()) return "";
  return std::string(value->GetString(), value->GetStringLength());
}

std::string ReadFileForTest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

void WriteFileForTest(const std::string& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
}

AdminAssets SourceTreeAdminAssets() {
  static const std::string* const kFiles = [] {
    const std::string dir = std::string(STEROID_ADVISOR_SOURCE_DIR) + "/plugin/admin/page/";
    return new std::string[4]{ReadFileForTest(dir + "index.html"),
                              ReadFileForTest(dir + "admin.css"), ReadFileForTest(dir + "admin.js"),
                              ReadFileForTest(dir + "examples.json")};
  }();
  return AdminAssets{kFiles[0], kFiles[1], kFiles[2], kFiles[3]};
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace steroid_advisor::plugin::testing
