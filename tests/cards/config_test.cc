// Tests for the cards configuration (cards/config.h): the built-in default, fixtures under
// tests/data/config/, and single-problem edits of the default, each with its exact problem line.
#include "cards/config.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cards/placeholders.h"
#include "cards/template.h"
#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/pointer.h"

namespace steroid_advisor::cards {
namespace {

const std::vector<std::string>& RuleIds() {
  static const std::vector<std::string> kIds = {
      "steroid-premedication", "antiviral-prophylaxis", "prolonged-steroid",
      "overlapping-immunosuppression", "relapse-steroid-course"};
  return kIds;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// Parses tests/data/config/<name>; fails the test on unreadable or malformed JSON.
void LoadFixture(const std::string& name, rapidjson::Document& document) {
  std::string path = std::string(STEROID_ADVISOR_SOURCE_DIR) + "/tests/data/config/" + name;
  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file) << "cannot open " << path;
  std::stringstream text;
  text << file.rdbuf();
  Status parsed = fhir::ParseJson(text.str(), fhir::kDefaultMaxJsonDepth, document);
  ASSERT_TRUE(parsed.ok()) << path << ": " << parsed.ToString();
}

void LoadDefault(rapidjson::Document& document) {
  Status parsed = fhir::ParseJson(DefaultConfigJson(), fhir::kDefaultMaxJsonDepth, document);
  ASSERT_TRUE(parsed.ok()) << parsed.ToString();
}

// The problem lines of a config that must be rejected.
std::vector<std::string> Problems(const rapidjson::Document& document) {
  StatusOr<CardsConfig> config = ParseCardsConfig(document);
  if (config.ok()) return {};
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  return Lines(config.status().message());
}

// ---- the built-in default ----

TEST(DefaultCardsConfig, HasEveryRuleEnabledWithEveryVariant) {
  const CardsConfig& config = DefaultCardsConfig();
  const std::vector<std::pair<std::string, std::vector<std::string>>> variants = {
      {"steroid-premedication", {"missing", "low-dose", "too-few-days"}},
      {"antiviral-prophylaxis", {"missing"}},
      {"prolonged-steroid", {"warning", "critical", "critical-pjp-active", "dose-unknown"}},
      {"overlapping-immunosuppression", {"default"}},
      {"relapse-steroid-course", {"default", "dose-unknown"}},
  };
  ASSERT_EQ(config.rules.size(), variants.size());
  for (const auto& [rule_id, names] : variants) {
    SCOPED_TRACE(rule_id);
    auto rule = config.rules.find(rule_id);
    ASSERT_NE(rule, config.rules.end());
    EXPECT_TRUE(rule->second.enabled);
    EXPECT_FALSE(rule->second.title.empty());
    EXPECT_FALSE(rule->second.source_label.empty());
    EXPECT_EQ(rule->second.source_url.rfind("https://", 0), 0u);
    EXPECT_FALSE(rule->second.links.empty());
    EXPECT_GE(rule->second.override_reasons.size(), 2u);
    EXPECT_EQ(rule->second.variants.size(), names.size());
    for (const std::string& name : names) {
      SCOPED_TRACE(name);
      auto variant = rule->second.variants.find(name);
      ASSERT_NE(variant, rule->second.variants.end());
      EXPECT_FALSE(variant->second.summary.empty());
      EXPECT_FALSE(variant->second.detail.empty());
    }
  }
}

TEST(DefaultCardsConfig, UsesTheRulesMdThresholds) {
  const Thresholds& thresholds = DefaultCardsConfig().thresholds;
  EXPECT_EQ(thresholds.exposure_window_months, 12);
  EXPECT_EQ(thresholds.prolonged_days, 21);
  EXPECT_EQ(thresholds.high_dose_prednisone_mg, 20);
  EXPECT_EQ(thresholds.high_dose_days, 28);
  EXPECT_EQ(thresholds.premedication_methylprednisolone_mg, 1000);
  EXPECT_EQ(thresholds.premedication_days, 3);
  EXPECT_EQ(thresholds.short_course_days, 5);
}

TEST(DefaultCardsConfig, GivesEachVariantTheIndicatorRulesMdNames) {
  struct Case {
    const char* rule;
    const char* variant;
    Indicator indicator;
  };
  const std::vector<Case> cases = {
      {"steroid-premedication", "missing", Indicator::kWarning},
      {"steroid-premedication", "low-dose", Indicator::kWarning},
      {"steroid-premedication", "too-few-days", Indicator::kWarning},
      {"antiviral-prophylaxis", "missing", Indicator::kWarning},
      {"prolonged-steroid", "warning", Indicator::kWarning},
      {"prolonged-steroid", "critical", Indicator::kCritical},
      {"prolonged-steroid", "critical-pjp-active", Indicator::kCritical},
      // RULES.md 3: an unknown dose can never make the card critical.
      {"prolonged-steroid", "dose-unknown", Indicator::kWarning},
      {"overlapping-immunosuppression", "default", Indicator::kWarning},
      {"relapse-steroid-course", "default", Indicator::kInfo},
      {"relapse-steroid-course", "dose-unknown", Indicator::kInfo},
  };
  const CardsConfig& config = DefaultCardsConfig();
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.rule) + "/" + c.variant);
    EXPECT_EQ(config.rules.at(c.rule).variants.at(c.variant).indicator, c.indicator);
  }
}

TEST(DefaultCardsConfig, LabelsEverySuggestionTheRulesOffer) {
  const CardsConfig& config = DefaultCardsConfig();
  const auto& premedication = config.rules.at("steroid-premedication").suggestion_labels;
  const auto& antiviral = config.rules.at("antiviral-prophylaxis").suggestion_labels;
  const auto& prolonged = config.rules.at("prolonged-steroid").suggestion_labels;
  EXPECT_NE(premedication.at("add-premedication").find("methylprednisolone 1000 mg IV"),
            std::string::npos);
  EXPECT_NE(antiviral.at("add-antiviral").find("acyclovir 200 mg"), std::string::npos);
  EXPECT_FALSE(prolonged.at("shorten-course").empty());
  EXPECT_NE(prolonged.at("add-pjp-prophylaxis").find("sulfamethoxazole-trimethoprim"),
            std::string::npos);
}

TEST(DefaultCardsConfig, SummariesStayUnder140CharactersWithWorstCaseValues) {
  const CardsConfig& config = DefaultCardsConfig();
  for (const std::string& rule_id : RuleIds()) {
    // Every placeholder the rule fills, far longer than anything real.
    TemplateValues values;
    for (std::string_view name : PlaceholdersOfRule(rule_id)) {
      values.Set(name, std::string(500, 'W'));
    }
    for (const auto& [variant, text] : config.rules.at(rule_id).variants) {
      SCOPED_TRACE(rule_id + "/" + variant);
      std::string summary = RenderTemplate(text.summary, values);
      EXPECT_LT(CountCharacters(summary), 140u) << summary;
      EXPECT_LT(WorstCaseRenderedLength(text.summary), 140u);
    }
  }
}

TEST(DefaultCardsConfig, DoseUnknownDetailsSayTheDoseCouldNotBeRead) {
  const CardsConfig& config = DefaultCardsConfig();
  for (const char* rule_id : {"prolonged-steroid", "relapse-steroid-course"}) {
    SCOPED_TRACE(rule_id);
    const CardText& text = config.rules.at(rule_id).variants.at("dose-unknown");
    EXPECT_NE(text.detail.find("could not be read"), std::string::npos);
    EXPECT_EQ(text.detail.find("{{dose_mg}}"), std::string::npos);
    EXPECT_EQ(text.detail.find("{{equivalent_mg}}"), std::string::npos);
  }
}

TEST(DefaultCardsConfig, DetailsNameTheOrderedDrugAndRenderCompletely) {
  const CardsConfig& config = DefaultCardsConfig();
  for (const std::string& rule_id : RuleIds()) {
    TemplateValues values;
    for (std::string_view name : PlaceholdersOfRule(rule_id)) {
      values.Set(name, "<" + std::string(name) + ">");
    }
    for (const auto& [variant, text] : config.rules.at(rule_id).variants) {
      SCOPED_TRACE(rule_id + "/" + variant);
      std::string detail = RenderTemplate(text.detail, values);
      EXPECT_EQ(detail.find("{{"), std::string::npos);
      // Steroid cards name the steroid order, the others the order they are about.
      bool names_order = detail.find("<drug>") != std::string::npos ||
                         detail.find("<steroid>") != std::string::npos ||
                         detail.find("<other_drug>") != std::string::npos;
      EXPECT_TRUE(names_order) << detail;
    }
  }
}

TEST(DefaultConfigJson, IsTheWholeFileWithThePluginSections) {
  rapidjson::Document document;
  LoadDefault(document);
  ASSERT_NE(fhir::FindObject(document, "services"), nullptr);
  ASSERT_NE(fhir::FindObject(document, "fhir"), nullptr);
  ASSERT_NE(fhir::FindObject(document, "server"), nullptr);
  for (const char* service : {"steroid-advisor-order-select", "steroid-advisor-order-sign",
                              "steroid-advisor-medication-prescribe"}) {
    SCOPED_TRACE(service);
    const fhir::JsonValue* entry =
        fhir::FindObject(*fhir::FindObject(document, "services"), service);
    ASSERT_NE(entry, nullptr);
    EXPECT_TRUE(fhir::FindString(*entry, "title").has_value());
    EXPECT_TRUE(fhir::FindString(*entry, "description").has_value());
  }
}

TEST(DefaultConfigJson, HasThePluginDefaultsTheReadmeDocuments) {
  rapidjson::Document document;
  LoadDefault(document);
  const fhir::JsonValue& fhir_section = *fhir::FindObject(document, "fhir");
  const fhir::JsonValue& server = *fhir::FindObject(document, "server");
  const fhir::JsonValue* allowlist = fhir::FindArray(fhir_section, "allowlist");
  ASSERT_NE(allowlist, nullptr);
  EXPECT_TRUE(fhir::ArrayView(allowlist).empty());
  EXPECT_EQ(fhir::FindNumber(fhir_section, "connectTimeoutMs"), 500);
  EXPECT_EQ(fhir::FindNumber(fhir_section, "totalTimeoutMs"), 2000);
  EXPECT_EQ(fhir::FindNumber(fhir_section, "maxPages"), 5);
  EXPECT_EQ(fhir::FindNumber(fhir_section, "cacheSeconds"), 5);
  EXPECT_EQ(fhir::FindNumber(fhir_section, "cacheMaxEntries"), 1000);
  EXPECT_EQ(fhir::FindBool(fhir_section, "verifyTls"), true);
  EXPECT_EQ(fhir::FindNumber(server, "maxBodyBytes"), 1048576);
  EXPECT_EQ(fhir::FindNumber(server, "maxJsonDepth"), 64);
}

// ---- fixtures ----

TEST(ParseCardsConfig, ReadsACustomisedConfig) {
  rapidjson::Document document;
  LoadFixture("valid_custom_thresholds_and_texts.json", document);
  StatusOr<CardsConfig> config = ParseCardsConfig(document);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->thresholds.exposure_window_months, 24);
  EXPECT_EQ(config->thresholds.prolonged_days, 14);
  EXPECT_EQ(config->thresholds.high_dose_prednisone_mg, 15.5);
  EXPECT_EQ(config->thresholds.high_dose_days, 21);
  EXPECT_EQ(config->thresholds.premedication_methylprednisolone_mg, 500);
  EXPECT_EQ(config->thresholds.premedication_days, 5);
  EXPECT_EQ(config->thresholds.short_course_days, 3);

  EXPECT_FALSE(config->rules.at("relapse-steroid-course").enabled);
  const RuleConfig& overlapping = config->rules.at("overlapping-immunosuppression");
  EXPECT_EQ(overlapping.variants.at("default").indicator, Indicator::kCritical);
  EXPECT_EQ(overlapping.variants.at("default").summary,
            "{{ other_drug }} within {{window_months}} months of alemtuzumab");

  const RuleConfig& antiviral = config->rules.at("antiviral-prophylaxis");
  EXPECT_TRUE(antiviral.links.empty());
  ASSERT_EQ(antiviral.override_reasons.size(), 1u);
  EXPECT_EQ(antiviral.override_reasons[0].code, "site.protocol_7");
  EXPECT_EQ(antiviral.override_reasons[0].display, "Covered by site protocol 7");
  EXPECT_EQ(antiviral.suggestion_labels.at("add-antiviral"),
            "Order valacyclovir per site protocol");
  EXPECT_EQ(config->rules.at("steroid-premedication").source_url,
            "http://intranet.example.org/protocols/alemtuzumab");
}

TEST(ParseCardsConfig, RejectsInvalidFixturesNamingEachProblem) {
  struct Case {
    const char* file;
    std::vector<std::string> expected;  // each must be one of the problem lines
  };
  const std::vector<Case> cases = {
      {"invalid_not_an_object.json", {"config: expected an object"}},
      {"invalid_sections_of_wrong_type.json",
       {"thresholds: expected an object", "rules: expected an object"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    rapidjson::Document document;
    LoadFixture(c.file, document);
    std::vector<std::string> problems = Problems(document);
    EXPECT_EQ(problems, c.expected);
  }
}

TEST(ParseCardsConfig, ReportsEveryProblemOfAConfigAtOnce) {
  rapidjson::Document document;
  LoadFixture("invalid_many_problems.json", document);
  std::vector<std::string> problems = Problems(document);
  const std::string variant = "rules.antiviral-prophylaxis.variants.missing";
  const std::vector<std::string> expected = {
      "thresholds.prolongedDays: duplicate key",
      "thresholds.weeks: unknown threshold",
      "thresholds.exposureWindowMonths: must be between 1 and 60, got 0",
      "thresholds.prolongedDays: must be between 1 and 365, got 400",
      "thresholds.premedicationDays: must be a whole number, got 2.5",
      "thresholds.shortCourseDays: required",
      "thresholds.highDosePrednisoneMg: expected a number",
      "rules.no-such-rule: unknown rule",
      "rules.steroid-premedication: expected an object",
      "rules.antiviral-prophylaxis.enabled: expected true or false",
      "rules.antiviral-prophylaxis.title: must not be empty",
      "rules.antiviral-prophylaxis.sourceUrl: expected an absolute http(s) url",
      "rules.antiviral-prophylaxis.links[0].url: expected an absolute http(s) url",
      "rules.antiviral-prophylaxis.links[1]: expected an object",
      "rules.antiviral-prophylaxis.overrideReasons[1].code: duplicate code a",
      "rules.antiviral-prophylaxis.suggestionLabels.add-antiviral: required",
      "rules.antiviral-prophylaxis.variants.present: unknown variant",
      variant + ".indicator: expected one of info, warning, critical",
      variant + ".summary: unknown placeholder {{dose}}",
      variant + ".summary: placeholder {{steroid}} is not filled by rule antiviral-prophylaxis",
      variant + ".summary: unbalanced {{ or }}",
      variant + ".detail: expected a string",
      "rules.prolonged-steroid: required",
      "rules.overlapping-immunosuppression: required",
      "rules.relapse-steroid-course: required",
  };
  for (const std::string& line : expected) {
    EXPECT_NE(std::find(problems.begin(), problems.end(), line), problems.end())
        << "missing problem: " << line;
  }
  EXPECT_EQ(problems.size(), expected.size()) << ::testing::PrintToString(problems);
}

// ---- single edits of the default ----

// One edit of default.json: set `pointer` to the JSON `value`, or erase it when value is null.
struct Edit {
  const char* pointer;
  const char* value;  // JSON text; nullptr erases
  const char* expected;
};

void Apply(const Edit& edit, rapidjson::Document& document) {
  rapidjson::Pointer pointer(edit.pointer);
  ASSERT_TRUE(pointer.IsValid()) << edit.pointer;
  if (edit.value == nullptr) {
    ASSERT_TRUE(pointer.Erase(document)) << "nothing to erase at " << edit.pointer;
    return;
  }
  rapidjson::Document value;
  ASSERT_TRUE(fhir::ParseJson(edit.value, fhir::kDefaultMaxJsonDepth, value).ok()) << edit.value;
  // Deep copy into document's allocator: `value` (and its strings) dies with this function.
  rapidjson::Value copy(value, document.GetAllocator());
  pointer.Set(document, copy);
}

TEST(ParseCardsConfig, RejectsEachSingleProblemWithItsPath) {
  const std::string long_words(80, 'x');
  const std::string too_long = "\"{{drug}} " + long_words + "\"";             // 60 + 1 + 80
  const std::string just_fits = "\"{{drug}} " + long_words.substr(2) + "\"";  // 139
  const std::vector<Edit> edits = {
      // thresholds
      {"/thresholds/prolongedDays", "0",
       "thresholds.prolongedDays: must be between 1 and 365, got 0"},
      {"/thresholds/premedicationDays", "\"3\"", "thresholds.premedicationDays: expected a number"},
      {"/thresholds/highDoseDays", "28.5",
       "thresholds.highDoseDays: must be a whole number, got 28.5"},
      {"/thresholds/prolongedDays", "5",
       "thresholds.prolongedDays: must be greater than shortCourseDays (5), got 5"},
      {"/thresholds/premedicationMethylprednisoloneMg", "50",
       "thresholds.premedicationMethylprednisoloneMg: must be between 100 and 2000, got 50"},
      {"/thresholds/highDosePrednisoneMg", "1000.5",
       "thresholds.highDosePrednisoneMg: must be between 1 and 1000, got 1000.5"},
      {"/thresholds/exposureWindowMonths", "61",
       "thresholds.exposureWindowMonths: must be between 1 and 60, got 61"},
      {"/thresholds/shortCourseDays", "null", "thresholds.shortCourseDays: expected a number"},
      {"/thresholds/shortCourseDays", nullptr, "thresholds.shortCourseDays: required"},
      {"/thresholds/exposureMonths", "12", "thresholds.exposureMonths: unknown threshold"},
      {"/thresholds", nullptr, "thresholds: required"},
      // rules and their members
      {"/rules", "[]", "rules: expected an object"},
      {"/rules/foo", "{}", "rules.foo: unknown rule"},
      {"/rules/relapse-steroid-course", nullptr, "rules.relapse-steroid-course: required"},
      {"/rules/relapse-steroid-course/enabled", "\"yes\"",
       "rules.relapse-steroid-course.enabled: expected true or false"},
      {"/rules/relapse-steroid-course/enabled", nullptr,
       "rules.relapse-steroid-course.enabled: required"},
      {"/rules/relapse-steroid-course/colour", "\"red\"",
       "rules.relapse-steroid-course.colour: unknown key"},
      {"/rules/relapse-steroid-course/title", "\"  \"",
       "rules.relapse-steroid-course.title: must not be empty"},
      {"/rules/relapse-steroid-course/sourceLabel", "7",
       "rules.relapse-steroid-course.sourceLabel: expected a string"},
      {"/rules/steroid-premedication/sourceUrl", "\"www.lemtrada.com\"",
       "rules.steroid-premedication.sourceUrl: expected an absolute http(s) url"},
      {"/rules/steroid-premedication/sourceUrl", "\"https://\"",
       "rules.steroid-premedication.sourceUrl: expected an absolute http(s) url"},
      {"/rules/steroid-premedication/sourceUrl", "\"https://example.org/a b\"",
       "rules.steroid-premedication.sourceUrl: expected an absolute http(s) url"},
      {"/rules/steroid-premedication/links", "{}",
       "rules.steroid-premedication.links: expected an array"},
      {"/rules/steroid-premedication/links/1/url", "\"ftp://example.org/label.pdf\"",
       "rules.steroid-premedication.links[1].url: expected an absolute http(s) url"},
      {"/rules/steroid-premedication/links/0/label", "\"\"",
       "rules.steroid-premedication.links[0].label: must not be empty"},
      {"/rules/steroid-premedication/links/0/target", "\"_blank\"",
       "rules.steroid-premedication.links[0].target: unknown key"},
      {"/rules/steroid-premedication/overrideReasons/1/code", "\"given-elsewhere\"",
       "rules.steroid-premedication.overrideReasons[1].code: duplicate code given-elsewhere"},
      {"/rules/steroid-premedication/overrideReasons/0/code", "\"given elsewhere\"",
       "rules.steroid-premedication.overrideReasons[0].code: expected letters, digits, '-', "
       "'_' or '.' (at most 64)"},
      {"/rules/steroid-premedication/overrideReasons/0/display", nullptr,
       "rules.steroid-premedication.overrideReasons[0].display: required"},
      {"/rules/antiviral-prophylaxis/suggestionLabels/add-antiviral", nullptr,
       "rules.antiviral-prophylaxis.suggestionLabels.add-antiviral: required"},
      {"/rules/antiviral-prophylaxis/suggestionLabels", nullptr,
       "rules.antiviral-prophylaxis.suggestionLabels: required"},
      {"/rules/antiviral-prophylaxis/suggestionLabels/add-premedication", "\"Order it\"",
       "rules.antiviral-prophylaxis.suggestionLabels.add-premedication: unknown suggestion for "
       "this rule"},
      {"/rules/overlapping-immunosuppression/suggestionLabels", "{\"add-antiviral\": \"x\"}",
       "rules.overlapping-immunosuppression.suggestionLabels.add-antiviral: unknown suggestion "
       "for this rule"},
      {"/rules/prolonged-steroid/suggestionLabels/shorten-course",
       "\"Shorten to {{threshold_days}} days\"",
       "rules.prolonged-steroid.suggestionLabels.shorten-course: placeholders are not rendered "
       "in labels"},
      {"/rules/prolonged-steroid/suggestionLabels/shorten-course", "\"\"",
       "rules.prolonged-steroid.suggestionLabels.shorten-course: must not be empty"},
      // variants and templates
      {"/rules/prolonged-steroid/variants/critical-pjp-active", nullptr,
       "rules.prolonged-steroid.variants.critical-pjp-active: required"},
      {"/rules/prolonged-steroid/variants/severe",
       "{\"indicator\": \"critical\", \"summary\": \"s\", \"detail\": \"d\"}",
       "rules.prolonged-steroid.variants.severe: unknown variant"},
      {"/rules/prolonged-steroid/variants", nullptr, "rules.prolonged-steroid.variants: required"},
      {"/rules/relapse-steroid-course/variants/default", "\"info\"",
       "rules.relapse-steroid-course.variants.default: expected an object"},
      {"/rules/relapse-steroid-course/variants/default/indicator", "\"danger\"",
       "rules.relapse-steroid-course.variants.default.indicator: expected one of info, warning, "
       "critical"},
      {"/rules/relapse-steroid-course/variants/default/indicator", "\"Critical\"",
       "rules.relapse-steroid-course.variants.default.indicator: expected one of info, warning, "
       "critical"},
      {"/rules/relapse-steroid-course/variants/default/style", "\"bold\"",
       "rules.relapse-steroid-course.variants.default.style: unknown key"},
      {"/rules/steroid-premedication/variants/missing/summary", "\"Give {{dose}} now\"",
       "rules.steroid-premedication.variants.missing.summary: unknown placeholder {{dose}}"},
      {"/rules/antiviral-prophylaxis/variants/missing/summary", "\"{{steroid}} is missing\"",
       "rules.antiviral-prophylaxis.variants.missing.summary: placeholder {{steroid}} is not "
       "filled by rule antiviral-prophylaxis"},
      {"/rules/antiviral-prophylaxis/variants/missing/detail", "\"see {{other_drug}}\"",
       "rules.antiviral-prophylaxis.variants.missing.detail: placeholder {{other_drug}} is not "
       "filled by rule antiviral-prophylaxis"},
      {"/rules/prolonged-steroid/variants/dose-unknown/detail", "\"{{dose_mg}} mg\"",
       "rules.prolonged-steroid.variants.dose-unknown.detail: placeholder {{dose_mg}} is not "
       "filled in variant dose-unknown (the dose could not be read)"},
      {"/rules/relapse-steroid-course/variants/dose-unknown/summary", "\"{{equivalent_mg}} mg\"",
       "rules.relapse-steroid-course.variants.dose-unknown.summary: placeholder {{equivalent_mg}} "
       "is not filled in variant dose-unknown (the dose could not be read)"},
      {"/rules/relapse-steroid-course/variants/dose-unknown", nullptr,
       "rules.relapse-steroid-course.variants.dose-unknown: required"},
      {"/rules/antiviral-prophylaxis/variants/missing/summary", too_long.c_str(),
       "rules.antiviral-prophylaxis.variants.missing.summary: may reach 140 characters or more "
       "when rendered (worst case 141)"},
      {"/rules/antiviral-prophylaxis/variants/missing/summary", "\"two\\nlines\"",
       "rules.antiviral-prophylaxis.variants.missing.summary: must be a single line"},
      {"/rules/antiviral-prophylaxis/variants/missing/detail", "\"**{{drug}** is ordered\"",
       "rules.antiviral-prophylaxis.variants.missing.detail: unbalanced {{ or }}"},
      {"/rules/antiviral-prophylaxis/variants/missing/detail", "\"{drug}} is ordered\"",
       "rules.antiviral-prophylaxis.variants.missing.detail: unbalanced {{ or }}"},
      {"/rules/antiviral-prophylaxis/variants/missing/detail", "\"\"",
       "rules.antiviral-prophylaxis.variants.missing.detail: must not be empty"},
  };
  for (const Edit& edit : edits) {
    SCOPED_TRACE(std::string(edit.pointer) + " = " + (edit.value ? edit.value : "(erased)"));
    rapidjson::Document document;
    LoadDefault(document);
    Apply(edit, document);
    EXPECT_EQ(Problems(document), std::vector<std::string>{edit.expected});
  }

  // The boundary: 139 characters in the worst case is accepted.
  rapidjson::Document document;
  LoadDefault(document);
  Apply({"/rules/antiviral-prophylaxis/variants/missing/summary", just_fits.c_str(), ""}, document);
  EXPECT_TRUE(ParseCardsConfig(document).ok());
}

TEST(ParseCardsConfig, ValidatesADisabledRuleLikeAnyOther) {
  rapidjson::Document document;
  LoadDefault(document);
  Apply({"/rules/relapse-steroid-course/enabled", "false", ""}, document);
  ASSERT_TRUE(ParseCardsConfig(document).ok());
  Apply({"/rules/relapse-steroid-course/variants/default/summary", "\"{{dose}}\"", ""}, document);
  EXPECT_EQ(Problems(document),
            std::vector<std::string>{"rules.relapse-steroid-course.variants.default.summary: "
                                     "unknown placeholder {{dose}}"});
}

TEST(ParseCardsConfig, AcceptsRulesWithoutOptionalLinksOrOverrideReasons) {
  rapidjson::Document document;
  LoadDefault(document);
  Apply({"/rules/relapse-steroid-course/links", nullptr, ""}, document);
  Apply({"/rules/relapse-steroid-course/overrideReasons", nullptr, ""}, document);
  Apply({"/rules/overlapping-immunosuppression/suggestionLabels", "{}", ""}, document);
  StatusOr<CardsConfig> config = ParseCardsConfig(document);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_TRUE(config->rules.at("relapse-steroid-course").links.empty());
  EXPECT_TRUE(config->rules.at("relapse-steroid-course").override_reasons.empty());
}

TEST(ParseCardsConfig, KeepsProblemLinesOnOneLineWhateverTheKey) {
  rapidjson::Document document;
  LoadDefault(document);
  std::string key = "bad\nkey" + std::string(100, 'k');
  rapidjson::Value name(key.c_str(), document.GetAllocator());
  rapidjson::Value* rules = rapidjson::Pointer("/rules").Get(document);
  ASSERT_NE(rules, nullptr);
  rules->AddMember(name, rapidjson::Value(1), document.GetAllocator());
  std::vector<std::string> problems = Problems(document);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("rules.bad?key", 0), 0u) << problems[0];
  EXPECT_LT(problems[0].size(), 100u);
}

}  // namespace
}  // namespace steroid_advisor::cards
