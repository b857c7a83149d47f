// Writing cards as a CDS Hooks 2.0 service response with rapidjson::Writer, one Write* function
// per shape. Suggestions that create an order carry a complete FHIR R4 MedicationRequest; update
// suggestions carry the ordered MedicationRequest, copied whole, with new timing bounds.
// Empty strings and arrays are left out (CDS Hooks "null and empty elements"), except the
// top-level `cards: []`. Card and suggestion uuids are fresh time-ordered v7 UUIDs (hooks/uuid.h says why).
// Thread-safety: stateless functions, safe from any thread (uuids come from per-thread engines).
#ifndef STEROID_ADVISOR_PLUGIN_HOOKS_CARD_WRITER_H_
#define STEROID_ADVISOR_PLUGIN_HOOKS_CARD_WRITER_H_

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

#include "cards/card.h"

namespace steroid_advisor::plugin {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// card.extension member naming the rule variant ("missing", "low-dose", "critical", ...).
inline constexpr char kVariantExtension[] = "org.steroid-advisor.variant";

// `{"cards":[...]}`. When `card_uuids` is given it receives the uuid written for each card, in
// the order of `cards` (the feedback recorder keeps them).
std::string WriteCardsResponse(const std::vector<cards::Card>& cards,
                               std::vector<std::string>* card_uuids = nullptr);

// `uuid` empty: a fresh one.
void WriteCard(JsonWriter& writer, const cards::Card& card, const std::string& uuid = "");
// Writes nothing and returns false when no action of the suggestion can be written (an update
// whose source is missing or has no id); the caller then leaves the suggestion out.
bool WriteSuggestion(JsonWriter& writer, const cards::Suggestion& suggestion);
void WriteProposedMedicationRequest(JsonWriter& writer,
                                    const cards::ProposedMedicationRequest& proposed);

// Whether `action` can be written: a create with its resource, or an update whose source is a
// resource object with an id.
bool IsWritableAction(const cards::Action& action);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_PLUGIN_HOOKS_CARD_WRITER_H_
