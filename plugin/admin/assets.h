// The admin page (plugin/admin/page/index.html, admin.css, admin.js) and its example requests
// (examples.json) as embedded in the binary by plugin/admin/page/CMakeLists.txt.
// Only the executable calls this, so the `plugin` library and its tests link without the
// embedded files (tests read the same files from the source tree).
// Owns: nothing; the views point at static data. Thread-safety: safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_ADMIN_ASSETS_H_
#define STEROID_ADVISOR_PLUGIN_ADMIN_ASSETS_H_

#include "plugin/admin/handler.h"

namespace steroid_advisor::plugin {

// Needs the `admin_page` library linked into the executable.
AdminAssets EmbeddedAdminAssets();

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_ADMIN_ASSETS_H_
