// The server-side TLS context for HttpServer: certificate chain and private key from PEM files,
// TLS 1.2 and 1.3 only, ECDHE with AEAD ciphers for TLS 1.2, no compression, no renegotiation.
// Owns: nothing past the call; the returned context is shared by every TLS connection.
// Thread-safety: MakeServerTlsContext is safe from any thread; the context is read-only once built.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_TLS_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_TLS_H_

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "fhir/status.h"

namespace steroid_advisor::plugin {

// InvalidArgument naming the file when the chain or key cannot be read or parsed, or when the
// key does not match the certificate.
StatusOr<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& cert_file, const std::string& key_file);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_TLS_H_
