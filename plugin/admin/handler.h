// The admin API and page, as plain functions over HttpRequest/HttpResponse (no sockets):
//   GET  /admin/           the page (public: it holds no data; it asks for the token)
//   GET  /admin/admin.css, /admin/admin.js
//   GET  /admin/config     the running config JSON
//   PUT  /admin/config     validate the whole config, persist, swap, audit
//   POST /admin/validate   validate only: {"valid":bool,"problems":[{"path","message"}]}
//   POST /admin/preview    {"config","request","service","now"?} -> the cards that request
//                          would get under that config, nothing saved, no FHIR fetch
//   GET  /admin/audit      the newest audit entries first
//   GET  /admin/examples   built-in example requests for the preview
//   GET  /admin/feedback/summary?from=&to=   shown/accepted/overridden per rule (ISO dates or
//                          dateTimes; `to` as a date includes that day; default the last 90 days)
// Every route but the page and its assets needs "Authorization: Bearer <admin token>" (401
// otherwise). No CORS: the page is same-origin. Invalid configs are answered 400 with
// {"error":{...},"problems":[...]} listing every problem.
// Owns: nothing; AdminContext borrows the store, audit log and authenticator.
// Thread-safety: stateless; safe from many threads (everything it borrows is).
#ifndef STEROID_ADVISOR_PLUGIN_ADMIN_HANDLER_H_
#define STEROID_ADVISOR_PLUGIN_ADMIN_HANDLER_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "fhir/date.h"
#include "plugin/auth/admin_token.h"
#include "plugin/config/audit_log.h"
#include "plugin/config/store.h"
#include "plugin/feedback/recorder.h"
#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

// Admin bodies are configs and example requests: far below this.
inline constexpr size_t kMaxAdminBodyBytes = 1 << 20;
// GET /admin/audit answers at most this many entries.
inline constexpr size_t kAdminAuditLimit = 200;

// The page, its assets and the example requests. In the binary they are embedded from
// plugin/admin/page/ (EmbeddedAdminAssets, admin_assets.h); tests may read the same files.
struct AdminAssets {
  std::string_view index_html;
  std::string_view css;
  std::string_view js;
  std::string_view examples_json;  // {"examples":[{id,title,service,now,expect,request}...]}
};

struct AdminContext {
  ConfigStore* store = nullptr;                       // required
  AuditLog* audit_log = nullptr;                      // nullptr: the audit trail is empty
  const AdminAuthenticator* authenticator = nullptr;  // required
  std::function<fhir::Day()> clock;      // "today" for previews without "now"; empty: UTC today
  AdminAssets assets;                    // borrowed; must outlive the handler's use
  FeedbackRecorder* feedback = nullptr;  // nullptr: the feedback summary answers 503
};

// The answer when method, path or credentials already decide it (404, 405, 401, 413 by
// Content-Length, 415), so the body of an unauthenticated request is never read; nullopt when
// the body should be read and handled.
std::optional<HttpResponse> CheckAdminBeforeBody(const HttpRequest& head,
                                                 const AdminContext& context);

// The answer to a whole request. Never throws: a handler's exception becomes a generic 500.
HttpResponse HandleAdmin(const HttpRequest& request, const AdminContext& context);

// The actor recorded in the audit trail: the X-Admin-Actor header cut to 64 characters of
// letters, digits, space and ".-_@", or "admin" when that leaves nothing.
std::string AdminActor(const HttpRequest& request);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_ADMIN_HANDLER_H_
