// The checked JSON accessors: every helper against every JSON type, members that are absent, and
// containers that are not objects.
#include "fhir/json_access.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

using fixtures::ParseOrDie;

// One object with a member of every JSON type; each row says what each helper should answer.
constexpr char kEveryType[] = R"({
  "null": null, "false": false, "true": true, "int": -3, "uint": 4000000000,
  "big": 12345678901234567890, "double": 2.5, "string": "mg", "empty": "",
  "array": [1, "two"], "object": {"a": 1}, "nul": "a\u0000b"
})";

struct TypeCase {
  std::string key;
  bool is_string;
  bool is_number;
  bool is_bool;
  bool is_object;
  bool is_array;
};

TEST(JsonAccess, EachHelperAnswersOnlyForItsOwnType) {
  rapidjson::Document document = ParseOrDie(kEveryType);
  const std::vector<TypeCase> cases = {
      {"null", false, false, false, false, false},  {"false", false, false, true, false, false},
      {"true", false, false, true, false, false},   {"int", false, true, false, false, false},
      {"uint", false, true, false, false, false},   {"big", false, true, false, false, false},
      {"double", false, true, false, false, false}, {"string", true, false, false, false, false},
      {"empty", true, false, false, false, false},  {"array", false, false, false, false, true},
      {"object", false, false, false, true, false}, {"missing", false, false, false, false, false},
  };
  for (const TypeCase& c : cases) {
    SCOPED_TRACE(c.key);
    EXPECT_EQ(FindMember(document, c.key) != nullptr, c.key != "missing");
    EXPECT_EQ(FindString(document, c.key).has_value(), c.is_string);
    EXPECT_EQ(FindNumber(document, c.key).has_value(), c.is_number);
    EXPECT_EQ(FindBool(document, c.key).has_value(), c.is_bool);
    EXPECT_EQ(FindObject(document, c.key) != nullptr, c.is_object);
    EXPECT_EQ(FindArray(document, c.key) != nullptr, c.is_array);
    EXPECT_EQ(Elements(document, c.key).empty(), !c.is_array);
    if (const JsonValue* member = FindMember(document, c.key)) {
      EXPECT_EQ(AsString(*member).has_value(), c.is_string);
      EXPECT_EQ(AsNumber(*member).has_value(), c.is_number);
    }
  }
}

TEST(JsonAccess, ReadsTheValues) {
  rapidjson::Document document = ParseOrDie(kEveryType);
  EXPECT_EQ(FindString(document, "string"), "mg");
  EXPECT_EQ(FindString(document, "empty"), "");
  EXPECT_EQ(FindNumber(document, "int"), -3.0);
  EXPECT_EQ(FindNumber(document, "uint"), 4000000000.0);
  EXPECT_DOUBLE_EQ(*FindNumber(document, "big"), 12345678901234567890.0);
  EXPECT_EQ(FindNumber(document, "double"), 2.5);
  EXPECT_EQ(FindBool(document, "false"), false);
  EXPECT_EQ(FindBool(document, "true"), true);
  EXPECT_EQ(Elements(document, "array").size(), 2u);
  EXPECT_EQ(FindNumber(*FindObject(document, "object"), "a"), 1.0);
}

TEST(JsonAccess, StringsKeepEmbeddedNulCharacters) {
  rapidjson::Document document = ParseOrDie(kEveryType);
  std::optional<std::string_view> text = FindString(document, "nul");
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, std::string_view("a\0b", 3));
}

TEST(JsonAccess, KeysWithEmbeddedNulDoNotMatchTheirPrefix) {
  rapidjson::Document document = ParseOrDie(R"({"a\u0000b": 1})");
  EXPECT_EQ(FindNumber(document, std::string_view("a\0b", 3)), 1.0);
  EXPECT_FALSE(FindNumber(document, "a").has_value());
}

TEST(JsonAccess, EveryHelperToleratesANonObject) {
  const std::vector<std::string> non_objects = {"null",     "true", "1",
                                                "\"text\"", "[]",   "[{\"status\": \"active\"}]"};
  for (const std::string& text : non_objects) {
    SCOPED_TRACE(text);
    rapidjson::Document document = ParseOrDie(text);
    EXPECT_EQ(FindMember(document, "status"), nullptr);
    EXPECT_FALSE(FindString(document, "status").has_value());
    EXPECT_FALSE(FindNumber(document, "status").has_value());
    EXPECT_FALSE(FindBool(document, "status").has_value());
    EXPECT_EQ(FindObject(document, "status"), nullptr);
    EXPECT_EQ(FindArray(document, "status"), nullptr);
    EXPECT_TRUE(Elements(document, "status").empty());
  }
}

TEST(JsonAccess, EmptyKeyIsAnOrdinaryKey) {
  rapidjson::Document document = ParseOrDie(R"({"": "x"})");
  EXPECT_EQ(FindString(document, ""), "x");
  EXPECT_EQ(FindString(document, std::string_view()), "x");
}

TEST(JsonAccess, DuplicateKeysReadTheFirst) {
  rapidjson::Document document = ParseOrDie(R"({"status": "active", "status": "stopped"})");
  EXPECT_EQ(FindString(document, "status"), "active");
}

TEST(ObjectMembers, ListsNamesAndValuesInDocumentOrder) {
  rapidjson::Document document = ParseOrDie(R"({"b": 1, "a": "x", "c": null})");
  auto members = ObjectMembers(document);
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].first, "b");
  EXPECT_EQ(AsNumber(*members[0].second), 1.0);
  EXPECT_EQ(members[1].first, "a");
  EXPECT_EQ(members[2].first, "c");
  EXPECT_TRUE(members[2].second->IsNull());
}

TEST(ObjectMembers, IsEmptyForNonObjects) {
  for (const char* text : {"[1, 2]", "\"s\"", "3", "true", "null"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(ObjectMembers(ParseOrDie(text)).empty());
  }
}

TEST(JsonTypeName, NamesEveryJsonType) {
  const std::pair<const char*, const char*> kCases[] = {
      {"{}", "object"}, {"[]", "array"}, {"\"s\"", "string"},
      {"1.5", "number"}, {"false", "boolean"}, {"null", "null"}};
  for (const auto& [text, name] : kCases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(JsonTypeName(ParseOrDie(text)), name);
  }
}

TEST(ArrayView, IsEmptyForNullAndNonArrays) {
  rapidjson::Document document = ParseOrDie(R"({"a": 1})");
  EXPECT_TRUE(ArrayView(nullptr).empty());
  EXPECT_EQ(ArrayView(nullptr).begin(), ArrayView(nullptr).end());
  EXPECT_TRUE(ArrayView(&document).empty());
  int visited = 0;
  for (const JsonValue& element : ArrayView(&document)) {
    (void)element;
    ++visited;
  }
  EXPECT_EQ(visited, 0);
}

TEST(ArrayView, VisitsEveryElementInOrder) {
  rapidjson::Document document = ParseOrDie(R"({"when": ["MORN", 2, "EVE", null]})");
  std::vector<std::string> seen;
  for (const JsonValue& element : Elements(document, "when")) {
    seen.push_back(std::string(AsString(element).value_or("?")));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"MORN", "?", "EVE", "?"}));
}

}  // namespace
}  // namespace steroid_advisor::fhir
