// Helpers for the config, audit and admin tests: a temporary directory removed at the end of
// the test, and valid config texts derived from the built-in default with one value changed.
// Thread-safety: TempDir is used by one test; the functions are stateless.
#ifndef STEROID_ADVISOR_TESTS_PLUGIN_CONFIG_CONFIG_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_PLUGIN_CONFIG_CONFIG_TEST_UTIL_H_

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "plugin/admin/handler.h"

namespace steroid_advisor::plugin::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// The built-in default config text (deploy/config/default.json).
std::string DefaultConfigText();

// `text` with the value at JSON Pointer `pointer` ("/thresholds/prolongedDays") set to the JSON
// value `json_value` ("30", "\"new summary\""), re-serialized pretty. Aborts the test binary on
// malformed arguments (a bug in the test).
std::string WithValue(std::string_view text, std::string_view pointer, std::string_view json_value);

// The string at `pointer` in `text`, or "" when absent or not a string.
std::string StringAt(std::string_view text, std::string_view pointer);

// Reads a whole file; "" when it cannot be read.
std::string ReadFileForTest(const std::string& path);
void WriteFileForTest(const std::string& path, std::string_view contents);

// The admin page files and examples read from plugin/admin/page/ in the source tree (what the
// binary embeds); the views stay valid for the whole test binary.
AdminAssets SourceTreeAdminAssets();

// Calls `condition` until it returns true or `limit` passes; returns its last answer. For
// waiting on another thread's effect without a fixed sleep as the assertion.
bool WaitFor(const std::function<bool()>& condition,
             std::chrono::milliseconds limit = std::chrono::seconds(20));

}  // namespace steroid_advisor::plugin::testing

#endif  // STEROID_ADVISOR_TESTS_PLUGIN_CONFIG_CONFIG_TEST_UTIL_H_
