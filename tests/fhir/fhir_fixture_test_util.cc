#include "tests/fhir/fhir_fixture_test_util.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fhir/json_parse.h"
#include "gtest/gtest.h"

namespace steroid_advisor::fhir::fixtures {

std::string FixturePath(std::string_view name) {
  std::string path = STEROID_ADVISOR_SOURCE_DIR "/tests/data/fhir/";
  path += name;
  return path;
}

std::string ReadFixture(std::string_view name) {
  std::ifstream file(FixturePath(name), std::ios::binary);
  if (!file) {
    ADD_FAILURE() << "cannot open fixture " << FixturePath(name);
    return "";
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

rapidjson::Document ParseOrDie(std::string_view text) {
  rapidjson::Document document;
  Status status = ParseJson(text, kDefaultMaxJsonDepth, document);
  if (!status.ok()) {
    ADD_FAILURE() << "json does not parse: " << status.ToString();
    document.SetNull();
  }
  return document;
}

rapidjson::Document LoadFixture(std::string_view name) {
  SCOPED_TRACE(std::string(name));
  return ParseOrDie(ReadFixture(name));
}

std::vector<std::string> ListJsonFixtures(std::string_view folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(FixturePath(folder), error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      names.push_back(entry.path().filename().string());
    }
  }
  if (error) ADD_FAILURE() << "cannot list " << FixturePath(folder) << ": " << error.message();
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace steroid_advisor::fhir::fixtures
