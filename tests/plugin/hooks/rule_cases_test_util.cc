#include "tests/plugin/hooks/rule_cases_test_util.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "plugin/config/services.h"
#include "plugin/hooks/card_writer.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/hooks/hook_handler.h"
#include "tests/plugin/await_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using fhir::JsonValue;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> Strings(const JsonValue& object, std::string_view key) {
  std::vector<std::string> out;
  for (const JsonValue& value : fhir::Elements(object, key)) {
    if (auto text = fhir::AsString(value)) out.emplace_back(*text);
  }
  return out;
}

}  // namespace

std::vector<std::string> FindRuleCaseFiles(const std::string& root) {
  std::vector<std::string> files;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(root, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".json") {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

StatusOr<RuleCase> LoadRuleCase(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return NotFoundError("cannot read " + path);
  std::ostringstream text;
  text << file.rdbuf();
  rapidjson::Document document;
  RETURN_IF_ERROR(fhir::ParseJson(text.str(), 256, document).WithPrefix(path));

  RuleCase rule_case;
  rule_case.path = path;
  rule_case.why = std::string(fhir::FindString(document, "why").value_or(""));
  std::optional<std::string_view> now = fhir::FindString(document, "now");
  std::optional<fhir::Day> day = now.has_value() ? fhir::ParseFhirDate(*now) : std::nullopt;
  if (!day.has_value()) return InvalidArgumentError(path + ": now: expected a date");
  rule_case.now = *day;
  rule_case.service = std::string(fhir::FindString(document, "service").value_or(""));
  if (FindService(rule_case.service) == nullptr) {
    return InvalidArgumentError(path + ": service: unknown");
  }
  const JsonValue* request = fhir::FindObject(document, "request");
  if (request == nullptr) return InvalidArgumentError(path + ": request: expected an object");
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  request->Accept(writer);
  rule_case.request_body.assign(buffer.GetString(), buffer.GetSize());

  const JsonValue* expect = fhir::FindObject(document, "expect");
  if (expect == nullptr || fhir::FindArray(*expect, "cards") == nullptr) {
    return InvalidArgumentError(path + ": expect.cards: expected an array");
  }
  for (const JsonValue& card : fhir::Elements(*expect, "cards")) {
    ExpectedCard expected;
    expected.topic = std::string(fhir::FindString(card, "topic").value_or(""));
    expected.indicator = std::string(fhir::FindString(card, "indicator").value_or(""));
    expected.variant = std::string(fhir::FindString(card, "variant").value_or(""));
    expected.summary_contains = Strings(card, "summaryContains");
    expected.detail_contains = Strings(card, "detailContains");
    if (fhir::FindArray(card, "suggestionActions") != nullptr) {
      expected.suggestion_actions = Strings(card, "suggestionActions");
    }
    rule_case.expected.push_back(std::move(expected));
  }
  return rule_case;
}

HttpResponse RunRuleCase(const RuleCase& rule_case, std::string_view request_body,
                         RecordFetcher* fetcher, std::shared_ptr<const ServiceConfig> config) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/cds-services/" + rule_case.service;
  request.headers["content-type"] = "application/json";
  request.body = request_body.empty() ? rule_case.request_body : std::string(request_body);
  HandlerContext context;
  context.config = config != nullptr ? std::move(config) : DefaultServiceConfig();
  context.today = rule_case.now;
  context.fetcher = fetcher;
  context.request_id = "rule-case";
  const ServiceDefinition* service = FindService(rule_case.service);
  if (service == nullptr) {
    ADD_FAILURE() << "unknown service " << rule_case.service;
    return HttpResponse{};
  }
  auto shared = std::make_shared<const HandlerContext>(context);
  return AwaitResponse(
      [&](Respond respond) { HandleHook(request, *service, shared, std::move(respond)); });
}

void ExpectCardsAsExpected(const RuleCase& rule_case, const HttpResponse& response) {
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document document;
  ASSERT_TRUE(fhir::ParseJson(response.body, 256, document).ok());
  const JsonValue* cards = fhir::FindArray(document, "cards");
  ASSERT_NE(cards, nullptr);

  std::vector<std::string> got_topics;
  for (const JsonValue& card : fhir::ArrayView(cards)) {
    const JsonValue* source = fhir::FindObject(card, "source");
    const JsonValue* topic = source != nullptr ? fhir::FindObject(*source, "topic") : nullptr;
    got_topics.emplace_back(topic != nullptr ? fhir::FindString(*topic, "code").value_or("?")
                                             : "?");
  }
  std::vector<std::string> want_topics;
  for (const ExpectedCard& card : rule_case.expected) want_topics.push_back(card.topic);
  ASSERT_EQ(got_topics, want_topics) << "cards (by topic) differ";

  size_t index = 0;
  for (const JsonValue& card : fhir::ArrayView(cards)) {
    const ExpectedCard& want = rule_case.expected[index++];
    SCOPED_TRACE("card " + want.topic);
    EXPECT_EQ(fhir::FindString(card, "indicator").value_or(""), want.indicator);
    if (!want.variant.empty()) {
      const JsonValue* extension = fhir::FindObject(card, "extension");
      std::string_view variant =
          extension != nullptr ? fhir::FindString(*extension, kVariantExtension).value_or("") : "";
      EXPECT_EQ(variant, want.variant);
    }
    std::string summary = Lower(fhir::FindString(card, "summary").value_or(""));
    for (const std::string& part : want.summary_contains) {
      EXPECT_NE(summary.find(Lower(part)), std::string::npos) << "summary lacks: " << part;
    }
    std::string detail = Lower(fhir::FindString(card, "detail").value_or(""));
    for (const std::string& part : want.detail_contains) {
      EXPECT_NE(detail.find(Lower(part)), std::string::npos)
          << "detail lacks: " << part << "\ndetail: " << detail;
    }
    if (want.suggestion_actions.has_value()) {
      std::vector<std::string> actions;
      for (const JsonValue& suggestion : fhir::Elements(card, "suggestions")) {
        for (const JsonValue& action : fhir::Elements(suggestion, "actions")) {
          actions.emplace_back(fhir::FindString(action, "type").value_or("?"));
        }
      }
      EXPECT_EQ(actions, *want.suggestion_actions);
    }
  }
}

}  // namespace steroid_advisor::plugin
