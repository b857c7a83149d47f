#include "tests/plugin/server_test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <sstream>

// GoogleTest before cpprestsdk: cpprestsdk defines a macro U that breaks gtest's templates.
// clang-format off
#include <gtest/gtest.h>
#include <cpprest/http_client.h>
// clang-format on

namespace steroid_advisor::plugin {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Port of "http://127.0.0.1:N".
int PortOf(const std::string& base_url) {
  size_t colon = base_url.rfind(':');
  return colon == std::string::npos ? 0 : std::atoi(base_url.c_str() + colon + 1);
}

}  // namespace

fhir::Day TestToday() { return *fhir::ParseFhirDate(kTestTodayText); }

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  int port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

std::unique_ptr<Server> StartTestServer(ServerOptions options) {
  options.host = "127.0.0.1";
  if (!options.clock) options.clock = [] { return TestToday(); };
  if (options.log_sink == nullptr) options.quiet = true;
  Status last;
  // cpprestsdk cannot report the port it bound for port 0, so ask the OS for one first; another
  // process may take it in between, hence the retries.
  for (int attempt = 0; attempt < 5; ++attempt) {
    options.port = FreeLoopbackPort();
    if (options.port == 0) continue;
    auto server = std::make_unique<Server>(options);
    last = server->Start();
    if (last.ok()) return server;
  }
  ADD_FAILURE() << "cannot start the test server: " << last.ToString();
  return nullptr;
}

std::string SourcePath(std::string_view relative_path) {
  return std::string(STEROID_ADVISOR_SOURCE_DIR) + "/" + std::string(relative_path);
}

std::string LoadFixture(std::string_view relative_path) {
  std::ifstream file(SourcePath(relative_path), std::ios::binary);
  if (!file) {
    ADD_FAILURE() << "cannot read fixture " << relative_path;
    return "";
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

ClientResponse SendRequest(const std::string& base_url, const std::string& method,
                           const std::string& path, const std::string& body,
                           const std::string& content_type,
                           const std::map<std::string, std::string>& headers) {
  ClientResponse result;
  try {
    web::http::client::http_client client(base_url);
    web::http::http_request request(method);
    request.set_request_uri(path);
    if (!body.empty() || !content_type.empty()) {
      request.set_body(body, content_type.empty() ? "application/json" : content_type);
      if (content_type.empty()) request.headers().remove("Content-Type");
    }
    for (const auto& [name, value] : headers) request.headers()[name] = value;
    web::http::http_response response = client.request(request).get();
    result.status = response.status_code();
    for (const auto& [name, value] : response.headers()) result.headers[Lower(name)] = value;
    result.body = response.extract_utf8string(true).get();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "http exchange failed: " << e.what();
    result.status = 0;
  }
  return result;
}

std::string RawExchange(const std::string& base_url, std::string_view bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(PortOf(base_url)));
  std::string received;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    shutdown(fd, SHUT_WR);
    char buffer[4096];
    for (;;) {
      ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  return received;
}

int RawStatus(std::string_view raw_response) {
  constexpr std::string_view kPrefix = "HTTP/1.1 ";
  if (raw_response.substr(0, kPrefix.size()) != kPrefix) return 0;
  return std::atoi(std::string(raw_response.substr(kPrefix.size(), 3)).c_str());
}

}  // namespace steroid_advisor::plugin
