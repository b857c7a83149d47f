// Coding and CodeableConcept read tolerantly, and the display name a clinician would read.
#include "fhir/codeable_concept.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fhir/fhir_fixture_test_util.h"

namespace steroid_advisor::fhir {
namespace {

using fixtures::ParseOrDie;

TEST(CodeableConcept, ReadsCodingsInOrderAndText) {
  rapidjson::Document json = ParseOrDie(R"({"coding": [
      {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "6902",
       "display": "methylprednisolone", "version": "2026", "userSelected": true},
      {"system": "http://www.whocc.no/atc", "code": "H02AB04"}],
      "text": "Solu-Medrol"})");
  std::optional<CodeableConcept> codeable = ParseCodeableConcept(json);
  ASSERT_TRUE(codeable.has_value());
  ASSERT_EQ(codeable->coding.size(), 2u);
  EXPECT_EQ(codeable->coding[0].system, "http://www.nlm.nih.gov/research/umls/rxnorm");
  EXPECT_EQ(codeable->coding[0].code, "6902");
  EXPECT_EQ(codeable->coding[0].display, "methylprednisolone");
  EXPECT_EQ(codeable->coding[1].code, "H02AB04");
  EXPECT_EQ(codeable->coding[1].display, "");
  EXPECT_EQ(codeable->text, "Solu-Medrol");
}

TEST(CodeableConcept, SkipsCodingsThatAreNotObjects) {
  rapidjson::Document json =
      ParseOrDie(R"({"coding": ["6902", null, 3, [], {"code": "8640"}, true]})");
  std::optional<CodeableConcept> codeable = ParseCodeableConcept(json);
  ASSERT_TRUE(codeable.has_value());
  ASSERT_EQ(codeable->coding.size(), 1u);
  EXPECT_EQ(codeable->coding[0].code, "8640");
}

TEST(CodeableConcept, MembersOfTheWrongTypeReadAsAbsent) {
  rapidjson::Document json = ParseOrDie(R"({"coding": {"code": "6902"}, "text": ["x"]})");
  std::optional<CodeableConcept> codeable = ParseCodeableConcept(json);
  ASSERT_TRUE(codeable.has_value());
  EXPECT_TRUE(codeable->coding.empty());
  EXPECT_EQ(codeable->text, "");

  rapidjson::Document coding = ParseOrDie(R"({"system": 1, "code": 6902, "display": null})");
  std::optional<Coding> parsed = ParseCoding(coding);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->system, "");
  EXPECT_EQ(parsed->code, "");  // a number is not a FHIR code
  EXPECT_EQ(parsed->display, "");
}

TEST(CodeableConcept, NonObjectsAreNotConcepts) {
  for (const char* text : {"null", "\"6902\"", "6902", "[]", "[{\"code\": \"6902\"}]", "false"}) {
    SCOPED_TRACE(text);
    rapidjson::Document json = ParseOrDie(text);
    EXPECT_FALSE(ParseCodeableConcept(json).has_value());
    EXPECT_FALSE(ParseCoding(json).has_value());
  }
}

struct DisplayCase {
  std::string label;
  CodeableConcept codeable;
  std::string display;
};

TEST(DisplayName, PrefersTextThenFirstDisplayThenFirstCode) {
  const std::vector<DisplayCase> cases = {
      {"text", {{{"s", "6902", "methylprednisolone"}}, "Solu-Medrol"}, "Solu-Medrol"},
      {"display", {{{"s", "6902", "methylprednisolone"}}, ""}, "methylprednisolone"},
      {"later display", {{{"s", "6902", ""}, {"s", "x", "MP"}}, ""}, "MP"},
      {"code", {{{"s", "6902", ""}, {"s", "8640", ""}}, ""}, "6902"},
      {"first non-empty code", {{{"s", "", ""}, {"s", "8640", ""}}, ""}, "8640"},
      {"nothing", {{}, ""}, ""},
  };
  for (const DisplayCase& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(DisplayName(c.codeable), c.display);
  }
}

}  // namespace
}  // namespace steroid_advisor::fhir
