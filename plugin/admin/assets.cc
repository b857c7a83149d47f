#include "plugin/admin/assets.h"

namespace steroid_advisor::plugin {

// Defined by the files plugin/admin/page/CMakeLists.txt generates with embed_text_file.
extern const std::string_view kAdminIndexHtml;
extern const std::string_view kAdminCss;
extern const std::string_view kAdminJs;
extern const std::string_view kAdminExamplesJson;

AdminAssets EmbeddedAdminAssets() {
  return AdminAssets{kAdminIndexHtml, kAdminCss, kAdminJs, kAdminExamplesJson};
}

}  // namespace steroid_advisor::plugin
