// Resolving medicationReference: a MedicationIndex holds the Medication resources that came
// with a request (draft order Bundle entries, prefetch, fetched pages) under every name a
// reference may use ("Medication/abc", an absolute URL ending in it, or a Bundle fullUrl such as
// "urn:uuid:...").
// Owns: copies of the Medications added. Thread-safety: const methods are safe from many
// threads; Add needs outside synchronization.
#ifndef STEROID_ADVISOR_FHIR_MEDICATION_INDEX_H_
#define STEROID_ADVISOR_FHIR_MEDICATION_INDEX_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fhir/medication.h"

namespace steroid_advisor::fhir {

class MedicationIndex {
 public:
  // `full_url` may be empty. A later Medication with the same name replaces nothing: the first
  // one added wins, so a draft order Bundle takes precedence over the record.
  void Add(Medication medication, std::string_view full_url);

  // nullptr when no Medication is known under `reference`.
  const Medication* Find(std::string_view reference) const;

  size_t size() const { return medications_.size(); }

 private:
  std::vector<Medication> medications_;
  std::unordered_map<std::string, size_t> by_name_;
};

// The Medication that `source` refers to: a "#id" reference among its contained resources,
// else `index`. nullptr for an inline CodeableConcept, no reference, or a dangling one.
const Medication* ResolveMedication(const MedicationSource& source, const MedicationIndex& index);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_MEDICATION_INDEX_H_
