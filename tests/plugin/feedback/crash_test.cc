// Nothing acknowledged is lost (issue #15): a burst of feedback posts to build/cds_server, a
// kill -9 of the server in the middle of it, a restart on the same store, and every entry that
// was answered 200 before the kill is in the database. Run on both stores.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "plugin/hooks/uuid.h"
#include "tests/plugin/feedback/postgresql_test_util.h"
#include "tests/plugin/feedback/store_test_util.h"
#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

constexpr auto kHang = std::chrono::seconds(60);
constexpr char kFeedbackPath[] = "/cds-services/steroid-advisor-order-select/feedback";
// Acknowledged posts to see before the kill; the burst goes on past it.
constexpr int kAcknowledgedBeforeKill = 200;

// cds_server as a child process, its stdout and stderr collected by a reader thread.
class ServerProcess {
 public:
  explicit ServerProcess(const std::vector<std::string>& args) {
    // Everything the child needs is built before fork: only async-signal-safe calls after it.
    std::string binary = std::string(STEROID_ADVISOR_BINARY_DIR) + "/cds_server";
    std::vector<char*> argv;
    argv.push_back(binary.data());
    std::vector<std::string> copies = args;
    for (std::string& arg : copies) argv.push_back(arg.data());
    argv.push_back(nullptr);
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(pipe_fds[1], 1);
      dup2(pipe_fds[1], 2);
      close(pipe_fds[0]);
      close(pipe_fds[1]);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(pipe_fds[1]);
    fd_ = pipe_fds[0];
    reader_ = std::thread([this] {
      char buffer[4096];
      ssize_t n;
      while ((n = read(fd_, buffer, sizeof(buffer))) > 0) {
        std::lock_guard<std::mutex> lock(mu_);
        output_.append(buffer, static_cast<size_t>(n));
        cv_.notify_all();
      }
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
      cv_.notify_all();
    });
  }
  ~ServerProcess() {
    if (pid_ > 0 && !reaped_) Kill(SIGKILL);
    if (reader_.joinable()) reader_.join();
    if (fd_ >= 0) close(fd_);
  }

  // True once the output contains `text`; false when the process closed its output first.
  bool WaitForOutput(const std::string& text) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kHang, [&] {
      return output_.find(text) != std::string::npos || closed_;
    }) && output_.find(text) != std::string::npos;
  }
  std::string output() {
    std::lock_guard<std::mutex> lock(mu_);
    return output_;
  }
  void Kill(int signal_number) {
    kill(pid_, signal_number);
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  bool reaped_ = false;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string output_;   // guarded by mu_
  bool closed_ = false;  // guarded by mu_
};

// The HTTP status of one feedback post; 0 when the server is gone (raw socket: a refused or cut
// connection is expected here, not a test failure).
int PostFeedback(const std::string& base_url, const std::string& body) {
  std::string request = std::string("POST ") + kFeedbackPath +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Connection: close\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body;
  return RawStatus(RawExchange(base_url, request));
}

std::string FeedbackFor(const std::string& card) {
  return R"({"feedback":[{"card":")" + card +
         R"(","outcome":"overridden","outcomeTimestamp":"2026-11-24T10:00:00Z",)"
         R"("overrideReason":{"reason":{"code":"clinician-judgement"}}}]})";
}

// A config file: the built-in defaults plus `feedback_section` (JSON text of the object).
std::string WriteConfig(const TempDir& dir, const std::string& feedback_section) {
  std::string text = LoadFixture("deploy/config/default.json");
  size_t end = text.rfind('}');
  size_t feedback = text.find("\"feedback\"");
  EXPECT_NE(feedback, std::string::npos);
  text = text.substr(0, feedback) + "\"feedback\": " + feedback_section + "\n" + text.substr(end);
  std::string path = dir.path() + "/config.json";
  std::ofstream(path) << text;
  return path;
}

std::set<std::string> StoredCards(StoreKind kind, const std::string& location) {
  std::set<std::string> cards;
  if (kind == StoreKind::kPostgresql) {
    for (std::string& card : QueryPostgresql(location, "SELECT card_uuid FROM feedback")) {
      cards.insert(card);
    }
    return cards;
  }
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(location.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT card_uuid FROM feedback", -1, &stmt, nullptr),
            SQLITE_OK);
  while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    cards.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return cards;
}

class FeedbackCrashTest : public ::testing::TestWithParam<StoreKind> {};

TEST_P(FeedbackCrashTest, EveryAcknowledgedEntrySurvivesKillMinus9) {
  TempDir dir;
  std::vector<std::string> args = {"--data-dir", dir.path() + "/data"};
  std::string location = dir.path() + "/data/feedback.sqlite3";
  if (GetParam() == StoreKind::kPostgresql) {
    location = NewPostgresqlTestDatabase();
    ASSERT_FALSE(location.empty());
    args.push_back("--config");
    args.push_back(
        WriteConfig(dir, R"({"store": "postgresql", "postgresqlUrl": ")" + location + R"("})"));
  }
  std::vector<std::string> started_args = args;

  std::set<std::string> acknowledged;
  {
    int port = FreeLoopbackPort();
    std::vector<std::string> run = started_args;
    run.insert(run.end(), {"--port", std::to_string(port)});
    ServerProcess server(run);
    ASSERT_TRUE(server.WaitForOutput("feedback: store ready")) << server.output();
    ASSERT_TRUE(server.WaitForOutput("listening on")) << server.output();
    std::string base_url = "http://127.0.0.1:" + std::to_string(port);

    std::mutex mu;
    std::condition_variable cv;
    std::atomic<bool> server_gone{false};
    std::vector<std::thread> clients;
    for (int i = 0; i < 4; ++i) {
      clients.emplace_back([&] {
        while (!server_gone.load()) {
          std::string card = NewUuidV7();
          int status = PostFeedback(base_url, FeedbackFor(card));
          if (status == 0) break;  // the server is gone
          if (status == 200) {
            std::lock_guard<std::mutex> lock(mu);
            acknowledged.insert(card);
            cv.notify_all();
          }
        }
      });
    }
    bool enough = false;
    {
      std::unique_lock<std::mutex> lock(mu);
      enough = cv.wait_for(lock, kHang, [&] {
        return acknowledged.size() >= static_cast<size_t>(kAcknowledgedBeforeKill);
      });
    }
    server.Kill(SIGKILL);  // in the middle of the burst: posts are in flight
    server_gone.store(true);
    for (std::thread& client : clients) client.join();
    ASSERT_TRUE(enough) << server.output();
  }
  ASSERT_GE(acknowledged.size(), static_cast<size_t>(kAcknowledgedBeforeKill));

  // Restart on the same store: it opens (SQLite recovers its WAL) and serves feedback again.
  int port = FreeLoopbackPort();
  std::vector<std::string> run = started_args;
  run.insert(run.end(), {"--port", std::to_string(port)});
  ServerProcess restarted(run);
  ASSERT_TRUE(restarted.WaitForOutput("feedback: store ready")) << restarted.output();
  ASSERT_TRUE(restarted.WaitForOutput("listening on")) << restarted.output();
  std::string after = NewUuidV7();
  EXPECT_EQ(PostFeedback("http://127.0.0.1:" + std::to_string(port), FeedbackFor(after)), 200);
  restarted.Kill(SIGTERM);

  std::set<std::string> stored = StoredCards(GetParam(), location);
  size_t missing = 0;
  for (const std::string& card : acknowledged) missing += stored.count(card) == 0 ? 1 : 0;
  EXPECT_EQ(missing, 0u) << missing << " of " << acknowledged.size()
                         << " acknowledged entries lost";
  EXPECT_EQ(stored.count(after), 1u);
  RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));
  RecordProperty("stored", static_cast<int>(stored.size()));
}

// Issue 16: the service scales out. Two cds_server processes share one PostgreSQL database and
// nothing else (own data dirs, ports, admin tokens files); hook calls and feedback go to both,
// crossed, and either admin API answers the same summary, counting every card and entry once.
TEST(FeedbackScaleOut, TwoInstancesOnOnePostgresqlShareOneSummary) {
  TempDir dir;
  const std::string database = NewPostgresqlTestDatabase();
  ASSERT_FALSE(database.empty());
  const std::string config =
      WriteConfig(dir, R"({"store": "postgresql", "postgresqlUrl": ")" + database + R"("})");
  const std::string token = "scale-out-admin-token-0123456789abcdef";
  const std::string token_file = dir.path() + "/admin-token";
  std::ofstream(token_file) << token;

  struct Instance {
    std::string base_url;
    std::string admin_url;
    std::unique_ptr<ServerProcess> process;
  };
  Instance instances[2];
  for (int i = 0; i < 2; ++i) {
    int port = FreeLoopbackPort();
    int admin_port = FreeLoopbackPort();
    instances[i].base_url = "http://127.0.0.1:" + std::to_string(port);
    instances[i].admin_url = "http://127.0.0.1:" + std::to_string(admin_port);
    instances[i].process = std::make_unique<ServerProcess>(std::vector<std::string>{
        "--port", std::to_string(port), "--admin-port", std::to_string(admin_port),
        "--admin-token-file", token_file, "--config", config, "--data-dir",
        dir.path() + "/data-" + std::to_string(i)});
    ASSERT_TRUE(instances[i].process->WaitForOutput("feedback: store ready"))
        << instances[i].process->output();
    ASSERT_TRUE(instances[i].process->WaitForOutput("admin listening on"))
        << instances[i].process->output();
  }

  // One order-sign call on each instance (prednisone 6 weeks after alemtuzumab: one critical
  // prolonged-steroid card), its card overridden through the other instance.
  const std::string hook =
      LoadFixture("tests/data/examples/order-sign-prednisone-6-weeks-after-alemtuzumab.json");
  for (int i = 0; i < 2; ++i) {
    ClientResponse answer = SendRequest(instances[i].base_url, "POST",
                                        "/cds-services/steroid-advisor-order-sign", hook);
    ASSERT_EQ(answer.status, 200) << answer.body;
    rapidjson::Document cards;
    ASSERT_TRUE(fhir::ParseJson(answer.body, 64, cards).ok());
    const fhir::JsonValue* list = fhir::FindArray(cards, "cards");
    ASSERT_TRUE(list != nullptr && list->Size() == 1) << answer.body;
    std::string uuid(fhir::FindString((*list)[0], "uuid").value_or(""));
    ASSERT_FALSE(uuid.empty());
    ClientResponse posted =
        SendRequest(instances[1 - i].base_url, "POST",
                    "/cds-services/steroid-advisor-order-sign/feedback", FeedbackFor(uuid));
    EXPECT_EQ(posted.status, 200) << posted.body;
  }
  // Feedback for a card neither instance issued: counted once as unknown.
  EXPECT_EQ(
      SendRequest(instances[0].base_url, "POST",
                  "/cds-services/steroid-advisor-order-sign/feedback", FeedbackFor(NewUuidV7()))
          .status,
      200);

  // Shown cards reach the store within FeedbackRecorderOptions::shown_cards_delay (100 ms):
  // until then a card shown by one instance and overridden through the other counts as unknown.
  // Poll the summaries until they settle (a bound only a failure reaches).
  std::string summaries[2];
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    for (int i = 0; i < 2; ++i) {
      ClientResponse summary = SendRequest(instances[i].admin_url, "GET",
                                           "/admin/feedback/summary?from=2026-01-01&to=2027-01-01",
                                           "", "", {{"Authorization", "Bearer " + token}});
      ASSERT_EQ(summary.status, 200) << summary.body;
      summaries[i] = summary.body;
    }
    if (summaries[0] == summaries[1] &&
        summaries[0].find("\"unknownCards\":1") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < give_up);
  EXPECT_EQ(summaries[0], summaries[1]);
  rapidjson::Document summary;
  ASSERT_TRUE(fhir::ParseJson(summaries[0], 64, summary).ok());
  EXPECT_EQ(fhir::FindNumber(summary, "unknownCards"), 1);
  const fhir::JsonValue* rules = fhir::FindArray(summary, "rules");
  ASSERT_NE(rules, nullptr);
  bool found = false;
  for (const fhir::JsonValue& rule : fhir::ArrayView(rules)) {
    if (fhir::FindString(rule, "rule") != std::optional<std::string_view>("prolonged-steroid")) {
      continue;
    }
    found = true;
    EXPECT_EQ(fhir::FindNumber(rule, "shown"), 2) << summaries[0];
    EXPECT_EQ(fhir::FindNumber(rule, "overridden"), 2) << summaries[0];
  }
  EXPECT_TRUE(found) << summaries[0];
  for (Instance& instance : instances) instance.process->Kill(SIGTERM);
}

INSTANTIATE_TEST_SUITE_P(BothStores, FeedbackCrashTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgresql),
                         [](const ::testing::TestParamInfo<StoreKind>& info) {
                           return StoreKindName(info.param);
                         });

}  // namespace
}  // namespace steroid_advisor::plugin
