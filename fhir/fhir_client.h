// The FHIR REST client interface (transport-neutral) and the URL arithmetic every client and
// caller needs: where a FHIR server's base URL ends, and whether a URL stays on that server.
// Owns: nothing; implementations (plugin/record/cpprest_fhir_client.h, test fakes) own their transport.
// Thread-safety: the free functions are stateless and safe from any thread; a FhirClient
// implementation states its own contract.
#ifndef STEROID_ADVISOR_FHIR_FHIR_CLIENT_H_
#define STEROID_ADVISOR_FHIR_FHIR_CLIENT_H_

#include <optional>
#include <string>
#include <string_view>

#include "fhir/status.h"

namespace steroid_advisor::fhir {

// What came back from a GET: any HTTP status (a 401 or 404 is a response, not a Status), the
// Content-Type header as sent ("" when absent) and the body text.
struct FhirResponse {
  int http_status = 0;
  std::string content_type;
  std::string body;
};

// A FhirClient performs GETs against FHIR servers. Get blocks until the answer, an error or the
// implementation's own deadline. Non-OK Status only when no HTTP answer was had: Unavailable
// (connection refused, reset, TLS failure), DeadlineExceeded (timeout), ResourceExhausted (body
// over the cap), InvalidArgument (not an absolute http(s) URL). Messages never carry a token or
// a body.
class FhirClient {
 public:
  virtual ~FhirClient() = default;
  // `url` is absolute: "https://ehr.example.org/fhir/MedicationRequest?patient=123".
  virtual StatusOr<FhirResponse> Get(const std::string& url) = 0;
};

// An absolute http(s) URL split into the parts that decide where a request goes. The scheme and
// host are lower-cased; the port is explicit (80/443 when the URL names none).
struct HttpUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // "ehr.example.org", "127.0.0.1", "[::1]"
  int port = 0;
  std::string path;   // "/fhir/MedicationRequest"; "/" when the URL has none
  std::string query;  // "patient=123" (without '?'); "" when none

  // "https://ehr.example.org:8443" (the port only when not the scheme's default).
  std::string Origin() const;
  // path + ("?" + query when there is one): what goes on the request line.
  std::string PathAndQuery() const;
};

// Parses an absolute http or https URL. std::nullopt for anything else: another scheme, a
// relative reference, user info ("https://user@host"), a bad port, whitespace or control
// characters. The fragment is dropped (it never goes to the server).
std::optional<HttpUrl> ParseHttpUrl(std::string_view url);

// True when `url` is on the FHIR server whose base is `base`: same scheme, host and port, and
// the path is the base path or below it on a segment boundary ("/fhir" covers "/fhir/X" and
// "/fhir?x", not "/fhirX"). False when either does not parse.
bool IsUnderBase(std::string_view url, std::string_view base);

// The absolute URL of `relative` ("MedicationRequest?patient=1") on the server at `base`
// ("https://h/fhir" or "https://h/fhir/"): exactly one '/' between them.
std::string JoinFhirUrl(std::string_view base, std::string_view relative);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_FHIR_CLIENT_H_
