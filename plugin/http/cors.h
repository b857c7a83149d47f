// CORS for browser clients such as the CDS Hooks sandbox: every response allows any origin (the
// service holds no cookies; authorization is a bearer JWT), and preflight OPTIONS requests are
// answered 204 with the methods and headers CDS clients use.
// Thread-safety: stateless functions, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HTTP_CORS_H_
#define STEROID_ADVISOR_PLUGIN_HTTP_CORS_H_

#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

// Adds Access-Control-Allow-Origin: * (and the exposed headers) to `response`.
void AddCorsHeaders(HttpResponse& response);

// 204 with Access-Control-Allow-Methods, -Allow-Headers, -Max-Age, and the CORS headers.
HttpResponse PreflightResponse();

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HTTP_CORS_H_
