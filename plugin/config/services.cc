#include "plugin/config/services.h"

namespace steroid_advisor::plugin {

const std::vector<ServiceDefinition>& Services() {
  static const std::vector<ServiceDefinition> kServices = {
      {"steroid-advisor-order-select", "order-select", HookKind::kOrderSelect,
       "Corticosteroids around alemtuzumab (order select)",
       "Advises on corticosteroid premedication, antiviral prophylaxis, prolonged steroids and "
       "overlapping immunosuppression for alemtuzumab (Lemtrada) while orders are selected."},
      {"steroid-advisor-order-sign", "order-sign", HookKind::kOrderSign,
       "Corticosteroids around alemtuzumab (order sign)",
       "Checks draft medication orders before signing for corticosteroid premedication, antiviral "
       "prophylaxis, prolonged steroids and overlapping immunosuppression around alemtuzumab."},
      {"steroid-advisor-medication-prescribe", "medication-prescribe",
       HookKind::kMedicationPrescribe, "Corticosteroids around alemtuzumab (medication prescribe)",
       "The same advice for clients of the legacy medication-prescribe hook."},
  };
  return kServices;
}

const ServiceDefinition* FindService(std::string_view id) {
  for (const ServiceDefinition& service : Services()) {
    if (service.id == id) return &service;
  }
  return nullptr;
}

const std::vector<PrefetchKey>& RecordPrefetchKeys() {
  static const std::vector<PrefetchKey> kKeys = {
      {"medicationRequests",
       "MedicationRequest?patient={{context.patientId}}&_include=MedicationRequest:medication",
       RecordPart::kRequests},
      {"medicationAdministrations",
       "MedicationAdministration?patient={{context.patientId}}&_include=MedicationAdministration:"
       "medication",
       RecordPart::kAdministrations},
      {"medicationStatements",
       "MedicationStatement?patient={{context.patientId}}&_include=MedicationStatement:medication",
       RecordPart::kStatements},
  };
  return kKeys;
}

}  // namespace steroid_advisor::plugin
