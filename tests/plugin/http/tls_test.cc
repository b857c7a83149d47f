// HTTPS: MakeServerTlsContext with a self-signed certificate made at test time, and the
// protocol floor (TLS 1.2; a client capped at TLS 1.1 cannot connect).
#include "plugin/http/tls.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "plugin/http/server.h"
#include "tests/plugin/http/http_test_util.h"

namespace steroid_advisor::plugin {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;

// A P-256 key and a self-signed certificate for "localhost", written as PEM into a fresh
// temporary directory, removed again by the destructor.
class TestCertificate {
 public:
  TestCertificate() {
    char pattern[] = "/tmp/http_tls_testXXXXXX";
    dir_ = mkdtemp(pattern);
    cert_file_ = dir_ + "/cert.pem";
    key_file_ = dir_ + "/key.pem";
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    ok_ = key != nullptr && X509_sign(cert, key, EVP_sha256()) > 0;
    if (FILE* f = std::fopen(cert_file_.c_str(), "w")) {
      ok_ = ok_ && PEM_write_X509(f, cert) == 1;
      std::fclose(f);
    }
    if (FILE* f = std::fopen(key_file_.c_str(), "w")) {
      ok_ = ok_ && PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
      std::fclose(f);
    }
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  ~TestCertificate() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  bool ok() const { return ok_; }
  const std::string& cert_file() const { return cert_file_; }
  const std::string& key_file() const { return key_file_; }

 private:
  std::string dir_, cert_file_, key_file_;
  bool ok_ = false;
};

std::unique_ptr<HttpServer> StartTlsServer(const TestCertificate& certificate,
                                           HttpHandler* handler) {
  auto tls = MakeServerTlsContext(certificate.cert_file(), certificate.key_file());
  if (!tls.ok()) {
    ADD_FAILURE() << tls.status().ToString();
    return nullptr;
  }
  HttpServerOptions options;
  options.tls = *tls;
  return StartServer(handler, ShortTimeouts(), options);
}

// A client context offering exactly `min`..`max`. Security level 0 lets OpenSSL 3 offer TLS 1.1
// at all, so that a refusal comes from the server, not from the client's own policy.
ssl::context ClientContext(int min_version, int max_version) {
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_security_level(context.native_handle(), 0);
  SSL_CTX_set_cipher_list(context.native_handle(), "DEFAULT:@SECLEVEL=0");
  SSL_CTX_set_min_proto_version(context.native_handle(), min_version);
  SSL_CTX_set_max_proto_version(context.native_handle(), max_version);
  context.set_verify_mode(ssl::verify_none);
  return context;
}

struct TlsExchange {
  beast::error_code handshake;
  int status = 0;
  std::string body;
  std::string version;  // as SSL_get_version names it
};

TlsExchange ExchangeOverTls(int port, ssl::context& context) {
  TlsExchange result;
  net::io_context io_context;
  beast::ssl_stream<beast::tcp_stream> stream(io_context, context);
  beast::get_lowest_layer(stream).expires_after(kPatience);
  beast::get_lowest_layer(stream).socket().connect(
      {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, result.handshake);
  if (result.handshake) return result;
  stream.async_handshake(ssl::stream_base::client,
                         [&](beast::error_code ec) { result.handshake = ec; });
  io_context.run();
  if (result.handshake) return result;
  result.version = SSL_get_version(stream.native_handle());
  http::request<http::string_body> request(http::verb::post, "/echo", 11);
  request.set(http::field::host, "localhost");
  request.body() = "over tls";
  request.prepare_payload();
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
    if (ec) return;
    http::async_read(stream, buffer, response, [&](beast::error_code read_ec, std::size_t) {
      if (!read_ec) result.status = response.result_int();
    });
  });
  io_context.restart();
  io_context.run();
  result.body = response.body();
  return result;
}

TEST(HttpServerTls, AnswersOverTls13) {
  TestCertificate certificate;
  ASSERT_TRUE(certificate.ok());
  TestHandler handler;
  auto server = StartTlsServer(certificate, &handler);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->base_url().rfind("https://127.0.0.1:", 0), 0u);
  ssl::context client = ClientContext(TLS1_3_VERSION, TLS1_3_VERSION);
  TlsExchange exchange = ExchangeOverTls(server->port(), client);
  ASSERT_FALSE(exchange.handshake) << exchange.handshake.message();
  EXPECT_EQ(exchange.version, "TLSv1.3");
  EXPECT_EQ(exchange.status, 200);
  EXPECT_EQ(exchange.body, "over tls");
}

TEST(HttpServerTls, AnswersOverTls12) {
  TestCertificate certificate;
  ASSERT_TRUE(certificate.ok());
  TestHandler handler;
  auto server = StartTlsServer(certificate, &handler);
  ASSERT_NE(server, nullptr);
  ssl::context client = ClientContext(TLS1_2_VERSION, TLS1_2_VERSION);
  TlsExchange exchange = ExchangeOverTls(server->port(), client);
  ASSERT_FALSE(exchange.handshake) << exchange.handshake.message();
  EXPECT_EQ(exchange.version, "TLSv1.2");
  EXPECT_EQ(exchange.status, 200);
}

TEST(HttpServerTls, RefusesAClientCappedAtTls11) {
  TestCertificate certificate;
  ASSERT_TRUE(certificate.ok());
  TestHandler handler;
  auto server = StartTlsServer(certificate, &handler);
  ASSERT_NE(server, nullptr);
  ssl::context client = ClientContext(TLS1_VERSION, TLS1_1_VERSION);
  TlsExchange exchange = ExchangeOverTls(server->port(), client);
  EXPECT_TRUE(exchange.handshake);
  // The server's protocol_version alert, not the client refusing to try.
  EXPECT_NE(exchange.handshake.message().find("protocol version"), std::string::npos)
      << exchange.handshake.message();
  EXPECT_EQ(handler.handled(), 0);
}

TEST(HttpServerTls, ClosesAPlainHttpClientOnTheTlsPort) {
  TestCertificate certificate;
  ASSERT_TRUE(certificate.ok());
  TestHandler handler;
  auto server = StartTlsServer(certificate, &handler);
  ASSERT_NE(server, nullptr);
  RawClient client(server->port());
  client.Write(GetRequest("/echo"));
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_EQ(handler.handled(), 0);
}

TEST(MakeServerTlsContext, RefusesAMissingCertificateFile) {
  auto context = MakeServerTlsContext("/nonexistent/cert.pem", "/nonexistent/key.pem");
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.status().code(), StatusCode::kInvalidArgument);
}

TEST(MakeServerTlsContext, RefusesAKeyThatIsNotTheCertificates) {
  TestCertificate one;
  TestCertificate other;
  ASSERT_TRUE(one.ok() && other.ok());
  auto context = MakeServerTlsContext(one.cert_file(), other.key_file());
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace steroid_advisor::plugin
