#include "plugin/hooks/medication_references.h"

#include <optional>
#include <set>

#include "fhir/bundle.h"
#include "fhir/fhir_client.h"
#include "fhir/medication.h"

namespace steroid_advisor::plugin {
namespace {

constexpr std::string_view kMedicationPrefix = "Medication/";

bool IsFhirId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// The id in "Medication/<id>[/_history/<v>]", else nullopt.
std::optional<std::string_view> IdOfRelative(std::string_view reference) {
  if (reference.substr(0, kMedicationPrefix.size()) != kMedicationPrefix) return std::nullopt;
  std::string_view rest = reference.substr(kMedicationPrefix.size());
  std::string_view id = rest.substr(0, rest.find('/'));
  if (id.size() != rest.size() && rest.substr(id.size(), 10) != "/_history/") return std::nullopt;
  if (!IsFhirId(id)) return std::nullopt;
  return id;
}

std::optional<std::string_view> IdOf(std::string_view reference, std::string_view fhir_server) {
  if (reference.empty() || reference.front() == '#') return std::nullopt;
  if (std::optional<std::string_view> id = IdOfRelative(reference)) return id;
  // Absolute: only on the server we may fetch from, as <base>/Medication/<id>.
  if (fhir_server.empty() || !fhir::IsUnderBase(reference, fhir_server)) return std::nullopt;
  size_t at = reference.rfind(kMedicationPrefix);
  if (at == std::string_view::npos || at == 0 || reference[at - 1] != '/') return std::nullopt;
  return IdOfRelative(reference.substr(at));
}

class Collector {
 public:
  Collector(const cards::RuleInput& input, std::string_view fhir_server)
      : input_(input), fhir_server_(fhir_server) {}

  void Add(const fhir::MedicationSource& source) {
    if (ids_.size() >= kMaxReferencedMedications || source.reference.empty()) return;
    if (fhir::ResolveMedication(source, input_.medications) != nullptr) return;
    std::optional<std::string_view> id = IdOf(source.reference, fhir_server_);
    if (!id.has_value() || !seen_.insert(std::string(*id)).second) return;
    ids_.emplace_back(*id);
  }

  std::vector<std::string> Take() { return std::move(ids_); }

 private:
  const cards::RuleInput& input_;
  std::string_view fhir_server_;
  std::set<std::string> seen_;
  std::vector<std::string> ids_;
};

}  // namespace

std::vector<std::string> UnresolvedMedicationIds(const cards::RuleInput& input,
                                                 std::string_view fhir_server) {
  Collector collector(input, fhir_server);
  for (const auto& order : input.under_review) collector.Add(order.medication);
  for (const auto& order : input.other_drafts) collector.Add(order.medication);
  for (const auto& order : input.record.requests) collector.Add(order.medication);
  for (const auto& given : input.record.administrations) collector.Add(given.medication);
  for (const auto& statement : input.record.statements) collector.Add(statement.medication);
  return collector.Take();
}

std::string MedicationSearch(const std::vector<std::string>& ids) {
  std::string search = "Medication?_id=";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) search += ',';
    search += ids[i];
  }
  return search;
}

void AddMedications(const rapidjson::Value& page, fhir::MedicationIndex& index) {
  for (const fhir::BundleEntry& entry : fhir::BundleEntries(page)) {
    if (std::optional<fhir::Medication> medication = fhir::ParseMedication(*entry.resource)) {
      index.Add(*std::move(medication), entry.full_url);
    }
  }
}

}  // namespace steroid_advisor::plugin
