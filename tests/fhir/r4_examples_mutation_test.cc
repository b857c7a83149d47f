// Fuzz-ish tolerance: every file of the R4 example corpus, truncated at 50 offsets, and (with the
// hand-written fixtures of tests/data/fhir/) with each of its values in turn given the wrong JSON
// type (string -> number, object -> array holding it, array -> its first element, anything ->
// null), goes through ParseJson and every model parser without crashing. The ASan/UBSan build
// (STEROID_ADVISOR_SANITIZE) turns any memory error or undefined behaviour on these paths into a
// failure.
#include <string>
#include <vector>

#include "fhir/json_parse.h"
#include "gtest/gtest.h"
#include "tests/fhir/every_parser_test_util.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

constexpr char kCorpus[] = "r4-examples";
constexpr int kTruncations = 50;

enum class Mutation { kStringToNumber, kObjectToArray, kArrayToFirstElement, kValueToNull };

const char* Name(Mutation mutation) {
  switch (mutation) {
    case Mutation::kStringToNumber:
      return "string to number";
    case Mutation::kObjectToArray:
      return "object to array";
    case Mutation::kArrayToFirstElement:
      return "array to first element";
    case Mutation::kValueToNull:
      return "value to null";
    default:
      return "?";
  }
}

bool Applies(Mutation mutation, const JsonValue& value) {
  switch (mutation) {
    case Mutation::kStringToNumber:
      return value.IsString();
    case Mutation::kObjectToArray:
      return value.IsObject();
    case Mutation::kArrayToFirstElement:
      return value.IsArray() && !value.Empty();
    case Mutation::kValueToNull:
      return !value.IsNull();
    default:
      return false;
  }
}

void Apply(Mutation mutation, int serial, JsonValue& value,
           rapidjson::Document::AllocatorType& allocator) {
  switch (mutation) {
    case Mutation::kStringToNumber: {
      // Vary the number: small, negative, huge.
      static constexpr double kNumbers[] = {0, -1, 3, 1e308, 20261124};
      value.SetDouble(kNumbers[serial % 5]);
      break;
    }
    case Mutation::kObjectToArray: {
      JsonValue inner(value, allocator);
      JsonValue wrapped(rapidjson::kArrayType);
      wrapped.PushBack(inner, allocator);
      value = wrapped;  // RapidJSON assignment moves
      break;
    }
    case Mutation::kArrayToFirstElement: {
      JsonValue first(*value.Begin(), allocator);
      value = first;
      break;
    }
    case Mutation::kValueToNull:
      value.SetNull();
      break;
    default:
      break;
  }
}

// Applies `mutation` to the `target`-th value it applies to (depth-first, object members'
// values only, not keys); `seen` counts candidates. Returns true once applied.
bool MutateNth(JsonValue& value, Mutation mutation, int target, int* seen,
               rapidjson::Document::AllocatorType& allocator) {
  if (Applies(mutation, value) && (*seen)++ == target) {
    Apply(mutation, target, value, allocator);
    return true;
  }
  if (value.IsObject()) {
    for (auto member = value.MemberBegin(); member != value.MemberEnd(); ++member) {
      if (MutateNth(member->value, mutation, target, seen, allocator)) return true;
    }
  } else if (value.IsArray()) {
    for (JsonValue* element = value.Begin(); element != value.End(); ++element) {
      if (MutateNth(*element, mutation, target, seen, allocator)) return true;
    }
  }
  return false;
}

int CountCandidates(const JsonValue& value, Mutation mutation) {
  int count = Applies(mutation, value) ? 1 : 0;
  if (value.IsObject()) {
    for (auto member = value.MemberBegin(); member != value.MemberEnd(); ++member) {
      count += CountCandidates(member->value, mutation);
    }
  } else if (value.IsArray()) {
    for (const JsonValue* element = value.Begin(); element != value.End(); ++element) {
      count += CountCandidates(*element, mutation);
    }
  }
  return count;
}

TEST(R4ExamplesMutation, TruncatedFilesAreRejectedWithoutACrash) {
  std::vector<std::string> files = fixtures::ListJsonFixtures(kCorpus);
  ASSERT_FALSE(files.empty());
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const std::string text = fixtures::ReadFixture(std::string(kCorpus) + "/" + file);
    ASSERT_GT(text.size(), static_cast<size_t>(kTruncations));
    for (int k = 0; k < kTruncations; ++k) {
      // Every cut lies before the root's closing brace, so none is valid JSON.
      const size_t offset = text.size() * static_cast<size_t>(k) / kTruncations;
      rapidjson::Document document;
      Status status =
          ParseJson(std::string_view(text).substr(0, offset), kDefaultMaxJsonDepth, document);
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << "cut at " << offset;
    }
  }
}

TEST(R4ExamplesMutation, EveryDepthCapEitherParsesOrFailsCleanly) {
  for (const std::string& file : fixtures::ListJsonFixtures(kCorpus)) {
    SCOPED_TRACE(file);
    const std::string text = fixtures::ReadFixture(std::string(kCorpus) + "/" + file);
    bool parsed_once = false;
    for (int depth = 0; depth <= 16; ++depth) {
      rapidjson::Document document;
      Status status = ParseJson(text, depth, document);
      if (status.ok()) {
        parsed_once = true;
        (void)fixtures::ParseWithEveryParser(document);
      } else {
        EXPECT_FALSE(parsed_once) << "a deeper cap must not reject what a shallower one took";
        EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
      }
    }
    EXPECT_TRUE(parsed_once) << "corpus files nest at most 16 levels";
  }
}

TEST(R4ExamplesMutation, EveryValueWithTheWrongTypeGoesThroughEveryParser) {
  const std::vector<Mutation> mutations = {Mutation::kStringToNumber, Mutation::kObjectToArray,
                                           Mutation::kArrayToFirstElement, Mutation::kValueToNull};
  // The hand-written fixtures of this suite join the corpus: they hold the shapes the corpus
  // lacks (doseRange, boundsDuration, urn:uuid fullUrls, outcome entries).
  std::vector<std::string> paths;
  for (const char* folder : {kCorpus, "medication_request", "medication_administration",
                             "medication_statement", "medication", "bundle"}) {
    for (const std::string& file : fixtures::ListJsonFixtures(folder)) {
      paths.push_back(std::string(folder) + "/" + file);
    }
  }
  int variants = 0;
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    const rapidjson::Document original = fixtures::LoadFixture(path);
    for (Mutation mutation : mutations) {
      SCOPED_TRACE(Name(mutation));
      const int candidates = CountCandidates(original, mutation);
      for (int target = 0; target < candidates; ++target) {
        rapidjson::Document mutated;
        mutated.CopyFrom(original, mutated.GetAllocator());
        int seen = 0;
        ASSERT_TRUE(MutateNth(mutated, mutation, target, &seen, mutated.GetAllocator()));
        (void)fixtures::ParseWithEveryParser(mutated);
        ++variants;
      }
    }
  }
  EXPECT_GT(variants, 10000);
}

}  // namespace
}  // namespace steroid_advisor::fhir
