// GET /cds-services: the CDS Hooks 2.0 discovery document listing the three services, each with
// its hook, title and description (from the config's `services` section), the prefetch templates
// for the patient's medication record, and usageRequirements.
// Thread-safety: stateless, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_DISCOVERY_HANDLER_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_DISCOVERY_HANDLER_H_

#include <string>

#include "plugin/config/service_config.h"
#include "plugin/hooks/handler_context.h"
#include "plugin/http/message.h"

namespace steroid_advisor::plugin {

// `{"services":[...]}`.
std::string WriteDiscovery(const ServiceConfig& config);

HttpResponse HandleDiscovery(const HttpRequest& request, const HandlerContext& context);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_DISCOVERY_HANDLER_H_
