// JSON error responses: `{"error":{"code":"invalid_argument","message":"context.patientId:
// required"}}` for every non-2xx answer the service produces
// (tests/conformance/schema/error.schema.json). Messages name what is wrong and where (a JSON
// path), never a header, token or body value; the caller keeps them that way, this unit only writes
// them. Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_ERROR_RESPONSE_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_ERROR_RESPONSE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "fhir/status.h"
#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

// `{"error":{"code":code,"message":message}}`.
std::string WriteError(std::string_view code, std::string_view message);

// The response for a non-OK status: HTTP status from HttpStatusFor, code from StatusCodeName.
// Internal errors get a generic message: their details belong in the log, not on the wire.
HttpResponse ErrorResponse(const Status& status);

// For answers that have no StatusCode: 405 "method_not_allowed", 415 "unsupported_media_type".
HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message);

// 413 for a body over `max_body_bytes`.
HttpResponse BodyTooLargeResponse(size_t max_body_bytes);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_ERROR_RESPONSE_H_
