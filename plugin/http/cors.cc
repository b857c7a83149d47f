#include "plugin/http/cors.h"

namespace steroid_advisor::plugin {

void AddCorsHeaders(HttpResponse& response) {
  response.headers["Access-Control-Allow-Origin"] = "*";
}

HttpResponse PreflightResponse() {
  HttpResponse response;
  response.status = 204;
  response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS";
  response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type";
  // A day: browsers cap it lower anyway (Chromium at 2 hours), and the answer never changes.
  response.headers["Access-Control-Max-Age"] = "86400";
  AddCorsHeaders(response);
  return response;
}

}  // namespace steroid_advisor::plugin
