// Loading the FHIR fixtures of tests/data/fhir/ for the fhir_tests suite.
// Owns: the documents it returns. A failure to read or parse a fixture is reported as a GoogleTest
// failure at the caller and yields an empty (null) document, so a test body stays a few lines.
// Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_TESTS_FHIR_FHIR_FIXTURE_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_FHIR_FHIR_FIXTURE_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "rapidjson/document.h"

namespace steroid_advisor::fhir::fixtures {

// Absolute path of `name` under tests/data/fhir/ ("bundle/searchset_with_outcome.json").
std::string FixturePath(std::string_view name);

// The bytes of tests/data/fhir/`name`; "" (and a test failure) when it cannot be read.
std::string ReadFixture(std::string_view name);

// tests/data/fhir/`name` parsed with fhir::ParseJson at the default depth; a null document (and
// a test failure) when it cannot be read or parsed.
rapidjson::Document LoadFixture(std::string_view name);

// `text` parsed with fhir::ParseJson at the default depth; a null document (and a test failure)
// when it does not parse. For the few-line JSON snippets of unit tests.
rapidjson::Document ParseOrDie(std::string_view text);

// File names (not paths) of the *.json files in tests/data/fhir/`folder`, sorted.
std::vector<std::string> ListJsonFixtures(std::string_view folder);

}  // namespace steroid_advisor::fhir::fixtures

#endif  // STEROID_ADVISOR_TESTS_FHIR_FHIR_FIXTURE_TEST_UTIL_H_
