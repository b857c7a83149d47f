#include "tests/plugin/record/fhir_server_test_util.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "cpprest/http_client.h"
#include "fhir/json_access.h"
#include "fhir/json_parse.h"

namespace steroid_advisor::plugin {
namespace {

constexpr char kReadyPrefix[] = "FHIR_SERVER_LISTENING port=";
// A guard against a hung start, not a timing assertion: start-up normally takes a second or two.
constexpr int kStartGuardMs = 60000;

std::string ServerDir() { return std::string(STEROID_ADVISOR_SOURCE_DIR) + "/tests/fhir_server"; }

bool IsExecutable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::optional<std::string> FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::string_view rest(path);
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (IsExecutable(candidate)) return candidate;
  }
  return std::nullopt;
}

// Blocking HTTP to the control endpoint; fine here: a test thread, never a pool continuation.
StatusOr<std::string> Send(int port, const web::http::method& method, const std::string& path,
                           const std::string& body, const std::string& content_type) {
  try {
    web::http::client::http_client client("http://127.0.0.1:" + std::to_string(port));
    web::http::http_request request(method);
    request.set_request_uri(path);
    // Bytes in and out: cpprestsdk's std::string bodies go through a char/uint8_t streambuf
    // reinterpretation that the sanitizer build's vptr check aborts on.
    if (!body.empty()) {
      request.set_body(std::vector<unsigned char>(body.begin(), body.end()));
      request.headers().set_content_type(content_type);
    }
    web::http::http_response response = client.request(request).get();
    const std::vector<unsigned char> bytes = response.extract_vector().get();
    std::string text(bytes.begin(), bytes.end());
    if (response.status_code() >= 300) {
      return UnavailableError("fhir test server: " + path + " answered " +
                              std::to_string(response.status_code()) + ": " + text);
    }
    return text;
  } catch (const std::exception& e) {
    return UnavailableError(std::string("fhir test server: ") + path + ": " + e.what());
  }
}

}  // namespace

std::string FhirTestServer::WhyUnavailable() {
  if (!FindOnPath("node")) return "node is not on PATH";
  struct stat info;
  const std::string router = ServerDir() + "/node_modules/@medplum/fhir-router";
  if (stat(router.c_str(), &info) != 0) return "run `npm ci` in tests/fhir_server first";
  return "";
}

StatusOr<std::unique_ptr<FhirTestServer>> FhirTestServer::Start(
    const std::vector<std::string>& extra_args) {
  std::optional<std::string> node = FindOnPath("node");
  if (!node) return UnavailableError("node is not on PATH");
  int to_child[2];
  int from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0) return UnavailableError("pipe failed");
  if (pipe2(from_child, O_CLOEXEC) != 0) {
    close(to_child[0]);
    close(to_child[1]);
    return UnavailableError("pipe failed");
  }
  const std::string script = ServerDir() + "/server.js";
  const std::string data = ServerDir() + "/data";
  // Built before fork: the child only calls async-signal-safe functions.
  std::vector<const char*> argv = {node->c_str(), script.c_str(),         "--port", "0", "--data",
                                   data.c_str(),  "--exit-on-stdin-close"};
  for (const std::string& arg : extra_args) argv.push_back(arg.c_str());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return UnavailableError("fork failed");
  if (pid == 0) {
    // Child: stdin from our pipe (so it exits when the test process goes), stdout to us.
    dup2(to_child[0], STDIN_FILENO);
    dup2(from_child[1], STDOUT_FILENO);
    execv(node->c_str(), const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);

  std::string output;
  int port = 0;
  while (port == 0) {
    pollfd ready{from_child[0], POLLIN, 0};
    if (poll(&ready, 1, kStartGuardMs) <= 0) break;
    char chunk[256];
    const ssize_t n = read(from_child[0], chunk, sizeof(chunk));
    if (n <= 0) break;
    output.append(chunk, static_cast<size_t>(n));
    const size_t at = output.find(kReadyPrefix);
    if (at == std::string::npos) continue;
    const size_t end = output.find('\n', at);
    if (end == std::string::npos) continue;
    port = std::atoi(output.substr(at + std::strlen(kReadyPrefix), end).c_str());
  }
  if (port <= 0) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    close(to_child[1]);
    close(from_child[0]);
    return UnavailableError("fhir test server did not start; its output: " + output);
  }
  return std::unique_ptr<FhirTestServer>(new FhirTestServer(pid, to_child[1], from_child[0], port));
}

FhirTestServer::~FhirTestServer() {
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  close(stdin_fd_);
  close(stdout_fd_);
}

std::string FhirTestServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/fhir";
}

Status FhirTestServer::Control(const std::string& json_body) {
  StatusOr<std::string> answer =
      Send(port_, web::http::methods::POST, "/__control", json_body, "application/json");
  return answer.ok() ? OkStatus() : answer.status();
}

Status FhirTestServer::ClearLog() {
  StatusOr<std::string> answer =
      Send(port_, web::http::methods::POST, "/__control/clear-log", "{}", "application/json");
  return answer.ok() ? OkStatus() : answer.status();
}

Status FhirTestServer::Reset() {
  RETURN_IF_ERROR(Control(R"({"reset":true})"));
  return ClearLog();
}

StatusOr<std::vector<LoggedFhirRequest>> FhirTestServer::RequestLog() {
  ASSIGN_OR_RETURN(std::string text,
                   Send(port_, web::http::methods::GET, "/__control/requests", "", ""));
  rapidjson::Document document;
  RETURN_IF_ERROR(fhir::ParseJson(text, fhir::kDefaultMaxJsonDepth, document));
  if (!document.IsArray()) return InternalError("fhir test server: request log is not an array");
  std::vector<LoggedFhirRequest> log;
  for (const fhir::JsonValue& line : fhir::ArrayView(&document)) {
    LoggedFhirRequest request;
    request.method = std::string(fhir::FindString(line, "method").value_or(""));
    request.url = std::string(fhir::FindString(line, "url").value_or(""));
    request.authorization_present =
        fhir::FindString(line, "authorization") == std::optional<std::string_view>("present");
    request.bearer_matches = fhir::FindBool(line, "bearerMatches");
    log.push_back(std::move(request));
  }
  return log;
}

Status FhirTestServer::LoadTransaction(const std::string& bundle_json) {
  StatusOr<std::string> answer =
      Send(port_, web::http::methods::POST, "/fhir", bundle_json, "application/fhir+json");
  return answer.ok() ? OkStatus() : answer.status();
}

FhirTestServer* SharedFhirServerTest::server_ = nullptr;
std::string* SharedFhirServerTest::why_unavailable_ = nullptr;

void SharedFhirServerTest::StartSharedServer(const std::vector<std::string>& extra_args) {
  why_unavailable_ = new std::string(FhirTestServer::WhyUnavailable());
  if (!why_unavailable_->empty()) return;
  StatusOr<std::unique_ptr<FhirTestServer>> started = FhirTestServer::Start(extra_args);
  if (started.ok()) {
    server_ = started->release();
  } else {
    *why_unavailable_ = started.status().ToString();
  }
}

void SharedFhirServerTest::StopSharedServer() {
  delete server_;
  server_ = nullptr;
  delete why_unavailable_;
  why_unavailable_ = nullptr;
}

void SharedFhirServerTest::SetUpSharedServer() {
  if (FhirTestServer::WhyUnavailable() != "") GTEST_SKIP() << FhirTestServer::WhyUnavailable();
  ASSERT_NE(server_, nullptr) << *why_unavailable_;
  ASSERT_TRUE(server_->Reset().ok());
}

}  // namespace steroid_advisor::plugin
