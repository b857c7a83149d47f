#include "fhir/medication_index.h"

namespace steroid_advisor::fhir {
namespace {

constexpr std::string_view kMedicationPrefix = "Medication/";

// "http://ehr/fhir/Medication/abc/_history/2" -> "Medication/abc".
std::string_view RelativeName(std::string_view reference) {
  size_t history = reference.find("/_history/");
  if (history != std::string_view::npos) reference = reference.substr(0, history);
  size_t at = reference.rfind(kMedicationPrefix);
  // "Medication/" must start a path segment: "NotAMedication/x" names no Medication.
  if (at == std::string_view::npos || (at > 0 && reference[at - 1] != '/')) return reference;
  return reference.substr(at);
}

}  // namespace

void MedicationIndex::Add(Medication medication, std::string_view full_url) {
  size_t position = medications_.size();
  std::string local = medication.id.empty() ? "" : std::string(kMedicationPrefix) + medication.id;
  medications_.push_back(std::move(medication));
  if (!local.empty()) by_name_.emplace(std::move(local), position);
  if (!full_url.empty()) by_name_.emplace(std::string(full_url), position);
}

const Medication* MedicationIndex::Find(std::string_view reference) const {
  if (reference.empty()) return nullptr;
  auto it = by_name_.find(std::string(reference));
  if (it == by_name_.end()) it = by_name_.find(std::string(RelativeName(reference)));
  return it == by_name_.end() ? nullptr : &medications_[it->second];
}

const Medication* ResolveMedication(const MedicationSource& source, const MedicationIndex& index) {
  if (source.reference.empty()) return nullptr;
  if (source.reference[0] == '#') {
    std::string_view id = std::string_view(source.reference).substr(1);
    // A bare "#" refers to the containing resource itself, never to a contained Medication.
    if (id.empty()) return nullptr;
    for (const Medication& medication : source.contained) {
      if (medication.id == id) return &medication;
    }
    return nullptr;
  }
  return index.Find(source.reference);
}

}  // namespace steroid_advisor::fhir
