// Tests for the admin API as plain functions: routing, the token, config reads and writes with
// every problem listed, validation, previews under a proposed config, the audit trail and the
// examples. (admin_server_test.cc runs the same API over real loopback HTTP.)
#include "plugin/admin/handler.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "fhir/date.h"
#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/plugin/config/config_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using testing::DefaultConfigText;
using testing::StringAt;
using testing::WithValue;

fhir::Day TestToday() { return *fhir::ParseFhirDate("2026-11-24"); }

constexpr char kToken[] = "admin-handler-test-token-42";
constexpr char kMissingSummaryPointer[] = "/rules/steroid-premedication/variants/missing/summary";

// A store on the default config with an in-memory audit log, and the admin context over it.
class AdminFixture {
 public:
  AdminFixture() : authenticator_(kToken) {
    ConfigStore::Options options;
    options.audit_log = &audit_;
    StatusOr<std::unique_ptr<ConfigStore>> store =
        ConfigStore::Create(DefaultConfigText(), std::move(options));
    EXPECT_TRUE(store.ok());
    store_ = std::move(*store);
    context_.store = store_.get();
    context_.audit_log = &audit_;
    context_.authenticator = &authenticator_;
    context_.clock = TestToday;
    context_.assets = testing::SourceTreeAdminAssets();
  }

  HttpResponse Send(std::string method, std::string path, std::string body = "",
                    bool with_token = true, std::string actor = "") {
    return SendWithAuthorization(std::move(method), std::move(path), std::move(body),
                                 with_token ? std::string("Bearer ") + kToken : "",
                                 std::move(actor));
  }

  HttpResponse SendWithAuthorization(std::string method, std::string path, std::string body,
                                     std::string authorization, std::string actor = "") {
    HttpRequest request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.body = std::move(body);
    if (!authorization.empty()) request.headers["authorization"] = std::move(authorization);
    if (!actor.empty()) request.headers["x-admin-actor"] = std::move(actor);
    return HandleAdmin(request, context_);
  }

  ConfigStore& store() { return *store_; }
  AuditLog& audit() { return audit_; }

 private:
  AuditLog audit_;
  AdminAuthenticator authenticator_;
  std::unique_ptr<ConfigStore> store_;
  AdminContext context_;
};

rapidjson::Document Parse(const std::string& text) {
  rapidjson::Document document;
  EXPECT_TRUE(fhir::ParseJson(text, 64, document).ok()) << text;
  return document;
}

std::vector<std::string> ProblemPaths(const std::string& body) {
  rapidjson::Document document = Parse(body);
  std::vector<std::string> paths;
  for (const fhir::JsonValue& problem : fhir::Elements(document, "problems")) {
    paths.emplace_back(fhir::FindString(problem, "path").value_or("?"));
  }
  return paths;
}

// The summaries of the cards in a CDS Hooks response, in order.
std::vector<std::string> Summaries(const std::string& body) {
  rapidjson::Document document = Parse(body);
  std::vector<std::string> summaries;
  for (const fhir::JsonValue& card : fhir::Elements(document, "cards")) {
    summaries.emplace_back(fhir::FindString(card, "summary").value_or(""));
  }
  return summaries;
}

// {"config": <config>, "request": <the alemtuzumab-alone example>, "service": ..., "now": ...}
std::string PreviewBody(const std::string& config_text) {
  std::string request = testing::ReadFileForTest(
      STEROID_ADVISOR_SOURCE_DIR "/tests/data/examples/order-select-alemtuzumab-alone.json");
  std::string body =
      "{\"service\":\"steroid-advisor-order-select\",\"now\":\"2026-11-24\","
      "\"request\":" +
      request;
  if (!config_text.empty()) body += ",\"config\":" + config_text;
  return body + "}";
}

TEST(AdminHandler, RoutesNeedTheTokenExceptThePageAndItsAssets) {
  struct Case {
    const char* method;
    const char* path;
    int without_token;
  };
  const Case cases[] = {
      {"GET", "/admin/", 200},          {"GET", "/admin/admin.js", 200},
      {"GET", "/admin/admin.css", 200}, {"GET", "/admin/config", 401},
      {"PUT", "/admin/config", 401},    {"POST", "/admin/validate", 401},
      {"POST", "/admin/preview", 401},  {"GET", "/admin/audit", 401},
      {"GET", "/admin/examples", 401},  {"GET", "/admin/nothing-here", 404},
      {"DELETE", "/admin/config", 405}, {"GET", "/admin/validate", 405},
      {"GET", "/admin", 308},
  };
  AdminFixture admin;
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    HttpResponse response = admin.Send(c.method, c.path, "", /*with_token=*/false);
    EXPECT_EQ(response.status, c.without_token);
    EXPECT_EQ(response.headers.count("Access-Control-Allow-Origin"), 0u);  // no CORS on admin
    EXPECT_EQ(response.headers["Cache-Control"], "no-store");
    if (c.without_token == 401) {
      EXPECT_EQ(response.headers["WWW-Authenticate"], "Bearer realm=\"steroid-advisor-admin\"");
    }
    if (c.without_token == 405) {
      EXPECT_FALSE(response.headers["Allow"].empty());
    }
  }
}

TEST(AdminHandler, WrongTokenIsRefusedWithoutEchoingIt) {
  AdminFixture admin;
  HttpResponse response =
      admin.SendWithAuthorization("GET", "/admin/config", "", "Bearer admin-handler-test-token-43");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.body.find("token-43"), std::string::npos);
}

TEST(AdminHandler, PageIsServedWithAStrictContentSecurityPolicy) {
  AdminFixture admin;
  HttpResponse page = admin.Send("GET", "/admin/", "", false);
  EXPECT_EQ(page.headers["Content-Type"], "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<html"), std::string::npos);
  EXPECT_NE(page.headers["Content-Security-Policy"].find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(admin.Send("GET", "/admin/admin.js", "", false).headers["Content-Type"],
            "text/javascript; charset=utf-8");
}

TEST(AdminHandler, GetConfigAnswersTheRunningConfigText) {
  AdminFixture admin;
  HttpResponse response = admin.Send("GET", "/admin/config");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, DefaultConfigText());
  EXPECT_EQ(response.headers["X-Config-Version"], "1");
}

TEST(AdminHandler, PutValidConfigSwapsItAndRecordsTheActor) {
  AdminFixture admin;
  std::string text = WithValue(DefaultConfigText(), kMissingSummaryPointer,
                               "\"No steroid premedication for {{drug}}\"");
  HttpResponse response = admin.Send("PUT", "/admin/config", text, true, "Dr Lee <x>");
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document answer = Parse(response.body);
  EXPECT_EQ(fhir::FindNumber(answer, "version"), 2);
  EXPECT_EQ(fhir::FindBool(answer, "changed"), true);
  EXPECT_EQ(fhir::Elements(answer, "changes").size(), 1u);

  EXPECT_EQ(admin.Send("GET", "/admin/config").body, text);
  std::vector<AuditEntry> entries = admin.audit().Newest(10);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, "Dr Lee x");
  EXPECT_EQ(entries[0].source, "admin-api");
  EXPECT_EQ(entries[0].changes[0].path, "rules.steroid-premedication.variants.missing.summary");
}

TEST(AdminHandler, PutInvalidConfigListsEveryProblemAndChangesNothing) {
  AdminFixture admin;
  std::string text = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "0");
  text = WithValue(text, kMissingSummaryPointer, "\"Premedicate with {{no_such_placeholder}}\"");
  HttpResponse response = admin.Send("PUT", "/admin/config", text);
  EXPECT_EQ(response.status, 400);
  rapidjson::Document answer = Parse(response.body);
  const fhir::JsonValue* error = fhir::FindObject(answer, "error");
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(fhir::FindString(*error, "code"), "invalid_argument");
  std::vector<std::string> paths = ProblemPaths(response.body);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "thresholds.prolongedDays"), paths.end())
      << response.body;
  EXPECT_NE(
      std::find(paths.begin(), paths.end(), "rules.steroid-premedication.variants.missing.summary"),
      paths.end())
      << response.body;
  EXPECT_EQ(admin.Send("GET", "/admin/config").body, DefaultConfigText());
  EXPECT_EQ(admin.store().version(), 1u);
  EXPECT_TRUE(admin.audit().Newest(10).empty());
}

TEST(AdminHandler, PutMalformedJsonIsAProblemToo) {
  AdminFixture admin;
  HttpResponse response = admin.Send("PUT", "/admin/config", "{\"thresholds\": ");
  EXPECT_EQ(response.status, 400);
  EXPECT_FALSE(ProblemPaths(response.body).empty());
}

TEST(AdminHandler, NonJsonContentTypeIsRefused) {
  AdminFixture admin;
  HttpRequest request;
  request.method = "PUT";
  request.path = "/admin/config";
  request.headers["authorization"] = std::string("Bearer ") + kToken;
  request.headers["content-type"] = "text/plain";
  AdminAuthenticator authenticator(kToken);
  AdminContext context{&admin.store(), &admin.audit(), &authenticator, TestToday, {}};
  EXPECT_EQ(HandleAdmin(request, context).status, 415);
  request.headers["content-type"] = "application/json; charset=utf-8";
  request.body = DefaultConfigText();
  EXPECT_EQ(HandleAdmin(request, context).status, 200);
}

TEST(AdminHandler, ValidateReportsProblemsWithoutChangingAnything) {
  AdminFixture admin;
  HttpResponse valid = admin.Send("POST", "/admin/validate", DefaultConfigText());
  ASSERT_EQ(valid.status, 200);
  EXPECT_EQ(fhir::FindBool(Parse(valid.body), "valid"), true);

  std::string text = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "0");
  HttpResponse invalid = admin.Send("POST", "/admin/validate", text);
  ASSERT_EQ(invalid.status, 200);
  EXPECT_EQ(fhir::FindBool(Parse(invalid.body), "valid"), false);
  EXPECT_EQ(ProblemPaths(invalid.body), std::vector<std::string>{"thresholds.prolongedDays"});
  EXPECT_EQ(admin.store().version(), 1u);
}

TEST(AdminHandler, PreviewRendersCardsUnderTheProposedConfigWithoutSavingIt) {
  AdminFixture admin;
  std::string proposed = WithValue(DefaultConfigText(), kMissingSummaryPointer,
                                   "\"PREVIEW: premedicate before {{drug}}\"");
  HttpResponse response = admin.Send("POST", "/admin/preview", PreviewBody(proposed));
  ASSERT_EQ(response.status, 200) << response.body;
  std::vector<std::string> summaries = Summaries(response.body);
  ASSERT_FALSE(summaries.empty()) << response.body;
  bool found = false;
  for (const std::string& summary : summaries) {
    found = found || summary.rfind("PREVIEW: premedicate before ", 0) == 0;
  }
  EXPECT_TRUE(found) << response.body;
  EXPECT_EQ(admin.store().version(), 1u);
  EXPECT_EQ(admin.Send("GET", "/admin/config").body, DefaultConfigText());
}

TEST(AdminHandler, PreviewWithoutAConfigUsesTheRunningOne) {
  AdminFixture admin;
  HttpResponse response = admin.Send("POST", "/admin/preview", PreviewBody(""));
  ASSERT_EQ(response.status, 200) << response.body;
  std::string summary = StringAt(DefaultConfigText(), kMissingSummaryPointer);
  std::string fixed_part = summary.substr(0, summary.find("{{"));
  bool found = false;
  for (const std::string& s : Summaries(response.body)) {
    found = found || s.rfind(fixed_part, 0) == 0;
  }
  EXPECT_TRUE(found) << response.body;
}

TEST(AdminHandler, PreviewWithAnInvalidConfigListsItsProblems) {
  AdminFixture admin;
  std::string proposed = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "0");
  HttpResponse response = admin.Send("POST", "/admin/preview", PreviewBody(proposed));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ProblemPaths(response.body), std::vector<std::string>{"thresholds.prolongedDays"});
}

TEST(AdminHandler, PreviewRejectsBadInput) {
  struct Case {
    const char* why;
    std::string body;
  };
  const Case cases[] = {
      {"not json", "{"},
      {"no request", R"({"service":"steroid-advisor-order-select"})"},
      {"unknown service", R"({"service":"nope","request":{}})"},
      {"bad now", R"({"now":"yesterday","request":{}})"},
      {"config not an object", R"({"config":"x","request":{}})"},
      {"request not a hook call", R"({"request":{"hook":"order-select"}})"},
  };
  AdminFixture admin;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    HttpResponse response = admin.Send("POST", "/admin/preview", c.body);
    EXPECT_EQ(response.status, 400) << response.body;
  }
}

TEST(AdminHandler, AuditListsNewestFirst) {
  AdminFixture admin;
  for (int days : {30, 40}) {
    std::string text =
        WithValue(DefaultConfigText(), "/thresholds/prolongedDays", std::to_string(days));
    ASSERT_EQ(admin.Send("PUT", "/admin/config", text).status, 200);
  }
  HttpResponse response = admin.Send("GET", "/admin/audit");
  ASSERT_EQ(response.status, 200);
  rapidjson::Document answer = Parse(response.body);
  std::vector<std::string> news;
  for (const fhir::JsonValue& entry : fhir::Elements(answer, "entries")) {
    for (const fhir::JsonValue& change : fhir::Elements(entry, "changes")) {
      news.push_back(std::to_string(static_cast<int>(fhir::FindNumber(change, "new").value_or(0))));
    }
  }
  EXPECT_EQ(news, (std::vector<std::string>{"40", "30"}));
  EXPECT_EQ(response.body.find(kToken), std::string::npos);
}

TEST(AdminHandler, ExamplesAreValidRequestsThatProduceTheirExpectedCards) {
  AdminFixture admin;
  HttpResponse response = admin.Send("GET", "/admin/examples");
  ASSERT_EQ(response.status, 200);
  rapidjson::Document examples = Parse(response.body);
  ASSERT_GE(fhir::Elements(examples, "examples").size(), 4u);
  for (const fhir::JsonValue& example : fhir::Elements(examples, "examples")) {
    std::string id(fhir::FindString(example, "id").value_or(""));
    SCOPED_TRACE(id);
    const fhir::JsonValue* request = fhir::FindObject(example, "request");
    ASSERT_NE(request, nullptr);
    std::string body =
        "{\"service\":\"" + std::string(fhir::FindString(example, "service").value_or("")) +
        "\",\"now\":\"" + std::string(fhir::FindString(example, "now").value_or("")) +
        "\",\"request\":" +
        [&] {
          rapidjson::StringBuffer buffer;
          rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
          request->Accept(writer);
          return std::string(buffer.GetString());
        }() +
        "}";
    HttpResponse preview = admin.Send("POST", "/admin/preview", body);
    ASSERT_EQ(preview.status, 200) << preview.body;
    rapidjson::Document cards = Parse(preview.body);
    std::vector<std::string> topics;
    for (const fhir::JsonValue& card : fhir::Elements(cards, "cards")) {
      const fhir::JsonValue* source = fhir::FindObject(card, "source");
      const fhir::JsonValue* topic = source ? fhir::FindObject(*source, "topic") : nullptr;
      topics.emplace_back(topic ? fhir::FindString(*topic, "code").value_or("") : "");
    }
    std::vector<std::string> expected;
    for (const fhir::JsonValue& code : fhir::Elements(example, "expectTopics")) {
      expected.emplace_back(fhir::AsString(code).value_or(""));
    }
    EXPECT_EQ(topics, expected) << preview.body;
  }
}

TEST(AdminHandler, ActorIsSanitizedAndDefaultsToAdmin) {
  struct Case {
    const char* header;
    const char* actor;
  };
  const Case cases[] = {
      {"", "admin"},
      {"dr.lee@example.org", "dr.lee@example.org"},
      {"  <script>  ", "script"},
      {"\n\r", "admin"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.header);
    HttpRequest request;
    if (*c.header != '\0') request.headers["x-admin-actor"] = c.header;
    EXPECT_EQ(AdminActor(request), c.actor);
  }
  HttpRequest long_name;
  long_name.headers["x-admin-actor"] = std::string(100, 'a');
  EXPECT_EQ(AdminActor(long_name).size(), 64u);
}

}  // namespace
}  // namespace steroid_advisor::plugin
