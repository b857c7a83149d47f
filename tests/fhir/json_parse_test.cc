// ParseJson on untrusted text: valid documents, malformed ones with the offset of the fault,
// trailing garbage, the nesting cap exactly at and one over the limit, very deep input,
// empty input and invalid UTF-8.
#include "fhir/json_parse.h"

#include <string>
#include <vector>

#include "fhir/json_access.h"
#include "gtest/gtest.h"

namespace steroid_advisor::fhir {
namespace {

// `depth` nested arrays: "[[[...]]]".
std::string NestedArrays(int depth) {
  return std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']');
}

// `depth` nested objects: {"a":{"a":{...}}}.
std::string NestedObjects(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += "{\"a\":";
  text += "1";
  text += std::string(static_cast<size_t>(depth), '}');
  return text;
}

TEST(ParseJson, ReadsAValidDocument) {
  rapidjson::Document document;
  ASSERT_TRUE(ParseJson(R"({"resourceType": "Bundle", "total": 2, "entry": []})",
                        kDefaultMaxJsonDepth, document)
                  .ok());
  EXPECT_EQ(FindString(document, "resourceType"), "Bundle");
  EXPECT_EQ(FindNumber(document, "total"), 2.0);
}

TEST(ParseJson, AcceptsScalarRootsAndSurroundingWhitespace) {
  const std::vector<std::string> texts = {"1", "\"x\"", "null", "true", " \n\t{ }\r\n ", "[]"};
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    rapidjson::Document document;
    EXPECT_TRUE(ParseJson(text, kDefaultMaxJsonDepth, document).ok());
  }
}

struct MalformedCase {
  std::string text;
  std::string offset;  // as written in the message
};

TEST(ParseJson, MalformedJsonNamesTheOffset) {
  const std::vector<MalformedCase> cases = {
      {"{\"a\": }", "6"},       {"{\"a\" 1}", "5"}, {"[1, 2", "5"},
      {"{\"a\": tru}", "9"},  // RapidJSON points past the last letter it matched
      {"{'a': 1}", "1"},        {"[1,]", "3"},      {"{\"a\": 01}", "7"},
      {"\"unterminated", "13"}, {"[NaN]", "1"},
  };
  for (const MalformedCase& c : cases) {
    SCOPED_TRACE(c.text);
    rapidjson::Document document;
    Status status = ParseJson(c.text, kDefaultMaxJsonDepth, document);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message().rfind("malformed json at offset " + c.offset + ": ", 0), 0u)
        << status.message();
  }
}

TEST(ParseJson, MessageDoesNotEchoTheInput) {
  rapidjson::Document document;
  Status status =
      ParseJson(R"({"token": "Bearer secret-value" x})", kDefaultMaxJsonDepth, document);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message().find("secret"), std::string::npos) << status.message();
}

TEST(ParseJson, TrailingGarbageIsMalformedAtItsOffset) {
  const std::vector<MalformedCase> cases = {
      {"{} x", "3"}, {"{}{}", "2"}, {"[1] [2]", "4"}, {"1 2", "2"}, {std::string("{}\0", 3), "2"},
  };
  for (const MalformedCase& c : cases) {
    SCOPED_TRACE(c.text);
    rapidjson::Document document;
    Status status = ParseJson(c.text, kDefaultMaxJsonDepth, document);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(), "malformed json at offset " + c.offset +
                                    ": trailing characters after the root value");
  }
}

TEST(ParseJson, EmptyOrBlankInputIsMalformed) {
  for (std::string_view text :
       {std::string_view(), std::string_view(""), std::string_view("  \n")}) {
    SCOPED_TRACE(std::string(text));
    rapidjson::Document document;
    Status status = ParseJson(text, kDefaultMaxJsonDepth, document);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message().rfind("malformed json at offset ", 0), 0u) << status.message();
  }
}

TEST(ParseJson, NestingExactlyAtTheLimitParses) {
  for (const std::string& text :
       {NestedArrays(kDefaultMaxJsonDepth), NestedObjects(kDefaultMaxJsonDepth)}) {
    rapidjson::Document document;
    EXPECT_TRUE(ParseJson(text, kDefaultMaxJsonDepth, document).ok());
  }
}

TEST(ParseJson, NestingOneOverTheLimitIsRejected) {
  for (const std::string& text :
       {NestedArrays(kDefaultMaxJsonDepth + 1), NestedObjects(kDefaultMaxJsonDepth + 1)}) {
    rapidjson::Document document;
    Status status = ParseJson(text, kDefaultMaxJsonDepth, document);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(), "json nested deeper than 64 levels");
  }
}

TEST(ParseJson, DepthCountsOpenContainersNotTotalContainers) {
  // Many siblings at depth 2 are fine under a cap of 2.
  std::string text = "[";
  for (int i = 0; i < 1000; ++i) text += i == 0 ? "{}" : ",[]";
  text += "]";
  rapidjson::Document document;
  EXPECT_TRUE(ParseJson(text, 2, document).ok());
  EXPECT_FALSE(ParseJson("[[[]]]", 2, document).ok());
}

TEST(ParseJson, SmallCapsAreHonoured) {
  rapidjson::Document document;
  EXPECT_TRUE(ParseJson("1", 0, document).ok());
  EXPECT_FALSE(ParseJson("[]", 0, document).ok());
  EXPECT_TRUE(ParseJson("[]", 1, document).ok());
  EXPECT_FALSE(ParseJson("{\"a\":[]}", 1, document).ok());
}

TEST(ParseJson, HundredThousandNestedArraysFailCleanly) {
  rapidjson::Document document;
  Status status = ParseJson(NestedArrays(100000), kDefaultMaxJsonDepth, document);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  // Unclosed, too: the cap is hit before the missing brackets are noticed.
  status = ParseJson(std::string(100000, '['), kDefaultMaxJsonDepth, document);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
}

TEST(ParseJson, HundredThousandNestedArraysUnderAHighCapDoNotOverflowTheStack) {
  // The iterative parser keeps depth off the C stack, and the document is freed without
  // recursion; this would crash if either walked the nesting recursively.
  rapidjson::Document document;
  EXPECT_TRUE(ParseJson(NestedArrays(100000), 1000000, document).ok());
  EXPECT_TRUE(document.IsArray());
}

TEST(ParseJson, ADocumentCanBeReusedAfterAFailure) {
  rapidjson::Document document;
  EXPECT_FALSE(ParseJson("[1,", kDefaultMaxJsonDepth, document).ok());
  ASSERT_TRUE(ParseJson(R"({"id": "x"})", kDefaultMaxJsonDepth, document).ok());
  EXPECT_EQ(FindString(document, "id"), "x");
}

TEST(ParseJson, NumbersTooBigForADoubleAreMalformed) {
  rapidjson::Document document;
  Status status = ParseJson(R"({"value": 1e400})", kDefaultMaxJsonDepth, document);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(ParseJson(R"({"value": 1e308, "n": 123456789012345678901234567890})",
                        kDefaultMaxJsonDepth, document)
                  .ok());
  EXPECT_EQ(FindNumber(document, "value"), 1e308);
  EXPECT_DOUBLE_EQ(*FindNumber(document, "n"), 1.2345678901234568e29);
}

TEST(ParseJson, ValidUtf8AndEscapesAreKept) {
  rapidjson::Document document;
  ASSERT_TRUE(
      ParseJson("{\"unit\": \"\xc2\xb5g\", \"e\": \"\\u00b5g\", \"emoji\": \"\\ud83d\\ude00\"}",
                kDefaultMaxJsonDepth, document)
          .ok());
  EXPECT_EQ(FindString(document, "unit"), "\xc2\xb5g");
  EXPECT_EQ(FindString(document, "e"), "\xc2\xb5g");
  EXPECT_EQ(FindString(document, "emoji"), "\xf0\x9f\x98\x80");
}

TEST(ParseJson, InvalidUtf8IsMalformed) {
  // JSON text must be UTF-8 (RFC 8259); strings read here end up in card JSON sent to the EHR.
  const std::vector<std::string> texts = {
      "{\"a\": \"\xff\"}",          // never valid
      "{\"a\": \"\xc3\"}",          // truncated sequence
      "{\"a\": \"\xc0\xaf\"}",      // overlong '/'
      "{\"a\": \"\xed\xa0\x80\"}",  // UTF-16 surrogate encoded in UTF-8
      "{\"\xfe\": 1}",              // in a key
  };
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    rapidjson::Document document;
    Status status = ParseJson(text, kDefaultMaxJsonDepth, document);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  }
}

TEST(ParseJson, LoneSurrogateEscapeIsMalformed) {
  rapidjson::Document document;
  EXPECT_FALSE(ParseJson(R"(["\ud800"])", kDefaultMaxJsonDepth, document).ok());
}

TEST(ParseJson, ControlCharactersInStringsAreMalformed) {
  rapidjson::Document document;
  EXPECT_FALSE(ParseJson("[\"a\nb\"]", kDefaultMaxJsonDepth, document).ok());
}

Status ParseStrict(std::string_view text) {
  JsonParseOptions options;
  options.reject_duplicate_members = true;
  rapidjson::Document document;
  return ParseJson(text, options, document);
}

TEST(ParseJson, DuplicateMembersAreKeptByDefault) {
  rapidjson::Document document;
  EXPECT_TRUE(ParseJson(R"({"alg":"ES384","alg":"none"})", kDefaultMaxJsonDepth, document).ok());
}

TEST(ParseJson, DuplicateMembersAreRejectedWithTheirPathWhenAsked) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"({"alg":"ES384","alg":"none"})", "duplicate member alg"},
      {R"({"hook":"a","context":{"patientId":"1","patientId":"2"}})",
       "duplicate member context.patientId"},
      {R"({"a":[1,{"b":[{}, {"c":1,"c":2}]}]})", "duplicate member a[1].b[1].c"},
      {R"([{"x":1},{"x":1,"x":1}])", "duplicate member [1].x"},
      {R"({"":1,"":2})", "duplicate member \"\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Status status = ParseStrict(c.text);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(), c.message);
  }
}

// Objects of more than 16 members are checked by sorting their names: same answers, in the
// order a reader meets them.
TEST(ParseJson, DuplicatesInLargeObjectsAreFoundInTextOrder) {
  auto members = [](int from, int to) {
    std::string text;
    for (int i = from; i < to; ++i)
      text += "\"m" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    return text;
  };
  EXPECT_TRUE(ParseStrict("{" + members(0, 40) + "\"last\":0}").ok());
  EXPECT_EQ(
      ParseStrict("{" + members(0, 30) + "\"m7\":1," + members(30, 40) + "\"m3\":1}").message(),
      "duplicate member m7");
  EXPECT_EQ(ParseStrict("{" + members(0, 10) + "\"inner\":{\"x\":1,\"x\":2}," + members(10, 30) +
                        "\"m1\":1}")
                .message(),
            "duplicate member inner.x");
  EXPECT_EQ(ParseStrict("{" + members(0, 20) + "\"m2\":1,\"inner\":{\"x\":1,\"x\":2}}").message(),
            "duplicate member m2");
  std::string many_empty = "{";
  for (int i = 0; i < 20; ++i) many_empty += "\"\":" + std::to_string(i) + ",";
  EXPECT_EQ(ParseStrict(many_empty + "\"z\":0}").message(), "duplicate member \"\"");
}

TEST(ParseJson, SameNameInSiblingObjectsIsNotADuplicate) {
  EXPECT_TRUE(ParseStrict(R"({"a":{"id":1},"b":{"id":2},"c":[{"id":3},{"id":4}],"id":5})").ok());
  EXPECT_FALSE(ParseStrict(R"({"a":1} trailing)").ok());
  EXPECT_FALSE(ParseStrict(NestedObjects(kDefaultMaxJsonDepth + 1)).ok());
}

}  // namespace
}  // namespace steroid_advisor::fhir
