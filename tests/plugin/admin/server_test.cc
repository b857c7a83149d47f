// Tests for the admin API over real loopback HTTP: the AdminServer on a free port beside a CDS
// Server that follows the ConfigStore, so a PUT through the admin port changes the cards the
// CDS port answers, with the file and audit trail updated; and the admin API refuses to start
// without a token.
// cpprestsdk's U() macro clashes with GoogleTest's template parameters; turn it off.
#define _TURN_OFF_PLATFORM_STRING

#include "plugin/admin/server.h"

#include <cpprest/http_client.h>

#include <map>
#include <memory>
#include <string>

#include "fhir/date.h"
#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "gtest/gtest.h"
#include "plugin/config/audit_log.h"
#include "plugin/config/file.h"
#include "plugin/config/store.h"
#include "plugin/server.h"
#include "rapidjson/document.h"
#include "tests/plugin/config/config_test_util.h"
#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

using testing::DefaultConfigText;
using testing::ReadFileForTest;
using testing::TempDir;
using testing::WithValue;
using testing::WriteFileForTest;

constexpr char kToken[] = "admin-server-test-token-7f3a";
constexpr char kMissingSummaryPointer[] = "/rules/steroid-premedication/variants/missing/summary";

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};

Reply Send(const std::string& base_url, const std::string& method, const std::string& path,
           const std::string& body = "", const std::string& authorization = "") {
  Reply reply;
  try {
    web::http::client::http_client client(base_url);
    web::http::http_request request(method);
    request.set_request_uri(path);
    if (!authorization.empty()) request.headers().add("Authorization", authorization);
    request.headers().add("X-Admin-Actor", "integration test");
    if (!body.empty()) request.set_body(body, "application/json");
    web::http::http_response response = client.request(request).get();
    reply.status = response.status_code();
    for (const auto& [name, value] : response.headers()) reply.headers[name] = value;
    reply.body = response.extract_utf8string(true).get();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "http exchange failed: " << e.what();
  }
  return reply;
}

std::string Bearer() { return std::string("Bearer ") + kToken; }

// A config file, its store and audit log, the admin server, and a CDS server following the store.
class AdminAndCdsServers {
 public:
  AdminAndCdsServers() {
    config_path_ = dir_.File("config.json");
    WriteFileForTest(config_path_, DefaultConfigText());
    StatusOr<std::unique_ptr<AuditLog>> audit = AuditLog::Open(DefaultAuditLogPath(config_path_));
    EXPECT_TRUE(audit.ok());
    audit_ = std::move(*audit);
    ConfigStore::Options options;
    options.file_path = config_path_;
    options.audit_log = audit_.get();
    StatusOr<std::unique_ptr<ConfigStore>> store =
        ConfigStore::Create(DefaultConfigText(), std::move(options));
    EXPECT_TRUE(store.ok());
    store_ = std::move(*store);

    for (int attempt = 0; attempt < 5 && admin_ == nullptr; ++attempt) {
      AdminServerOptions admin_options;
      admin_options.port = FreeLoopbackPort();
      admin_options.token = kToken;
      admin_options.store = store_.get();
      admin_options.audit_log = audit_.get();
      admin_options.clock = TestToday;
      admin_options.assets = testing::SourceTreeAdminAssets();
      admin_options.quiet = true;
      auto admin = std::make_unique<AdminServer>(std::move(admin_options));
      if (admin->Start().ok()) admin_ = std::move(admin);
    }
    for (int attempt = 0; attempt < 5 && cds_ == nullptr; ++attempt) {
      ServerOptions cds_options;
      cds_options.port = FreeLoopbackPort();
      cds_options.config = store_->Current();
      cds_options.clock = TestToday;
      cds_options.quiet = true;
      auto cds = std::make_unique<Server>(std::move(cds_options));
      if (cds->Start().ok()) cds_ = std::move(cds);
    }
    EXPECT_NE(admin_, nullptr);
    EXPECT_NE(cds_, nullptr);
    if (cds_ != nullptr) {
      store_->OnChange([server = cds_.get()](std::shared_ptr<const ServiceConfig> config) {
        server->SetConfig(std::move(config));
      });
    }
  }

  ~AdminAndCdsServers() {
    if (store_ != nullptr) store_->OnChange(nullptr);
  }

  bool ok() const { return admin_ != nullptr && cds_ != nullptr; }
  std::string admin_url() const { return admin_->base_url(); }
  std::string cds_url() const { return cds_->base_url(); }
  const std::string& config_path() const { return config_path_; }

 private:
  TempDir dir_;
  std::string config_path_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<ConfigStore> store_;
  std::unique_ptr<AdminServer> admin_;
  std::unique_ptr<Server> cds_;
};

std::vector<std::string> CardSummaries(const std::string& body) {
  rapidjson::Document document;
  EXPECT_TRUE(fhir::ParseJson(body, 64, document).ok()) << body;
  std::vector<std::string> summaries;
  for (const fhir::JsonValue& card : fhir::Elements(document, "cards")) {
    summaries.emplace_back(fhir::FindString(card, "summary").value_or(""));
  }
  return summaries;
}

std::string AlemtuzumabAlone() {
  return ReadFileForTest(STEROID_ADVISOR_SOURCE_DIR
                         "/tests/data/examples/order-select-alemtuzumab-alone.json");
}

TEST(AdminServer, PageIsPublicAndEveryApiCallNeedsTheToken) {
  AdminAndCdsServers servers;
  ASSERT_TRUE(servers.ok());
  Reply page = Send(servers.admin_url(), "GET", "/admin/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Steroid advisor administration"), std::string::npos);
  EXPECT_EQ(Send(servers.admin_url(), "GET", "/admin/config").status, 401);
  EXPECT_EQ(
      Send(servers.admin_url(), "GET", "/admin/config", "", "Bearer wrong-token-0123456789").status,
      401);
  Reply config = Send(servers.admin_url(), "GET", "/admin/config", "", Bearer());
  EXPECT_EQ(config.status, 200);
  EXPECT_EQ(config.body, DefaultConfigText());
  EXPECT_EQ(config.headers.count("Access-Control-Allow-Origin"), 0u);
}

TEST(AdminServer, SavedSummaryReachesTheCdsServiceTheFileAndTheAuditTrail) {
  AdminAndCdsServers servers;
  ASSERT_TRUE(servers.ok());
  const std::string summary = "Premedicate before {{drug}}: methylprednisolone 1 g IV";
  std::string text = WithValue(DefaultConfigText(), kMissingSummaryPointer, "\"" + summary + "\"");

  Reply put = Send(servers.admin_url(), "PUT", "/admin/config", text, Bearer());
  ASSERT_EQ(put.status, 200) << put.body;

  Reply hook = Send(servers.cds_url(), "POST", "/cds-services/steroid-advisor-order-select",
                    AlemtuzumabAlone());
  ASSERT_EQ(hook.status, 200) << hook.body;
  std::vector<std::string> summaries = CardSummaries(hook.body);
  bool found = false;
  for (const std::string& s : summaries) {
    found = found || s.rfind("Premedicate before alemtuzumab", 0) == 0;
  }
  EXPECT_TRUE(found) << hook.body;

  EXPECT_EQ(ReadFileForTest(servers.config_path()), text);
  std::string audit_file = ReadFileForTest(DefaultAuditLogPath(servers.config_path()));
  EXPECT_NE(audit_file.find("\"actor\":\"integration test\""), std::string::npos);
  EXPECT_EQ(audit_file.find(kToken), std::string::npos);
  Reply audit = Send(servers.admin_url(), "GET", "/admin/audit", "", Bearer());
  EXPECT_NE(audit.body.find("rules.steroid-premedication.variants.missing.summary"),
            std::string::npos);
}

TEST(AdminServer, InvalidConfigOverHttpListsProblemsAndChangesNothing) {
  AdminAndCdsServers servers;
  ASSERT_TRUE(servers.ok());
  std::string text = WithValue(DefaultConfigText(), "/thresholds/prolongedDays", "0");
  Reply put = Send(servers.admin_url(), "PUT", "/admin/config", text, Bearer());
  EXPECT_EQ(put.status, 400);
  EXPECT_NE(put.body.find("\"path\":\"thresholds.prolongedDays\""), std::string::npos) << put.body;
  EXPECT_EQ(Send(servers.admin_url(), "GET", "/admin/config", "", Bearer()).body,
            DefaultConfigText());
  EXPECT_EQ(ReadFileForTest(servers.config_path()), DefaultConfigText());
}

TEST(AdminServer, PreviewOverHttpDoesNotChangeTheRunningConfig) {
  AdminAndCdsServers servers;
  ASSERT_TRUE(servers.ok());
  std::string proposed =
      WithValue(DefaultConfigText(), kMissingSummaryPointer, "\"PREVIEW ONLY for {{drug}}\"");
  std::string body =
      "{\"service\":\"steroid-advisor-order-select\",\"now\":\"2026-11-24\","
      "\"request\":" +
      AlemtuzumabAlone() + ",\"config\":" + proposed + "}";
  Reply preview = Send(servers.admin_url(), "POST", "/admin/preview", body, Bearer());
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_NE(preview.body.find("PREVIEW ONLY for alemtuzumab"), std::string::npos);
  Reply hook = Send(servers.cds_url(), "POST", "/cds-services/steroid-advisor-order-select",
                    AlemtuzumabAlone());
  EXPECT_EQ(hook.body.find("PREVIEW ONLY"), std::string::npos);
}

TEST(AdminServer, OversizedBodyIsRefused) {
  AdminAndCdsServers servers;
  ASSERT_TRUE(servers.ok());
  std::string huge(kMaxAdminBodyBytes + 10, ' ');
  Reply put = Send(servers.admin_url(), "PUT", "/admin/config", huge, Bearer());
  EXPECT_EQ(put.status, 413);
  // Still answering afterwards.
  EXPECT_EQ(Send(servers.admin_url(), "GET", "/admin/config", "", Bearer()).status, 200);
}

TEST(AdminServer, RefusesToStartWithoutATokenOrStore) {
  StatusOr<std::unique_ptr<ConfigStore>> store =
      ConfigStore::Create(DefaultConfigText(), ConfigStore::Options());
  ASSERT_TRUE(store.ok());
  AdminServerOptions no_token;
  no_token.port = FreeLoopbackPort();
  no_token.store = store->get();
  no_token.quiet = true;
  EXPECT_EQ(AdminServer(no_token).Start().code(), StatusCode::kFailedPrecondition);

  AdminServerOptions no_store;
  no_store.port = FreeLoopbackPort();
  no_store.token = kToken;
  no_store.quiet = true;
  EXPECT_EQ(AdminServer(no_store).Start().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace steroid_advisor::plugin
