// The catalogue of CDS Services this server offers: ids, hooks, built-in titles, and the prefetch
// keys each declares (one searchset per part of the patient's medication record). Discovery,
// routing and the hook handler all read it, so a new service is one entry here.
// Thread-safety: immutable static data, safe from any thread.
#ifndef STEROID_ADVISOR_PLUGIN_CONFIG_SERVICES_H_
#define STEROID_ADVISOR_PLUGIN_CONFIG_SERVICES_H_

#include <string_view>
#include <vector>

namespace steroid_advisor::plugin {

enum class HookKind { kOrderSelect, kOrderSign, kMedicationPrescribe };

struct ServiceDefinition {
  std::string_view id;    // {id} in /cds-services/{id}
  std::string_view hook;  // the hook the service answers
  HookKind kind;
  std::string_view default_title;  // when the config's `services` section does not name one
  std::string_view default_description;
};

// Which part of the record a prefetch key carries.
enum class RecordPart { kRequests, kAdministrations, kStatements };

struct PrefetchKey {
  std::string_view key;                // "medicationRequests"
  std::string_view prefetch_template;  // "MedicationRequest?patient={{context.patientId}}"
  RecordPart part;
};

const std::vector<ServiceDefinition>& Services();
// nullptr for an unknown id.
const ServiceDefinition* FindService(std::string_view id);

// The three record keys every service declares, in discovery order.
const std::vector<PrefetchKey>& RecordPrefetchKeys();

// What a client must provide, for discovery's usageRequirements.
inline constexpr std::string_view kUsageRequirements =
    "Send the prefetch keys declared here (FHIR searchset Bundles), or fhirServer with "
    "fhirAuthorization so the service can read the patient's MedicationRequest, "
    "MedicationAdministration and MedicationStatement resources itself. Without any of the "
    "patient's medication record, orders that need it are answered 412.";

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_CONFIG_SERVICES_H_
