// Test helpers for cards/: MedicationRequest JSON built concisely (OrderBuilder), a RuleInput
// that owns the documents its structs point into (TestRequest), a CardsConfig built in code
// whose templates print every placeholder ("dose_mg=40;"), so tests do not depend on
// deploy/config/default.json, and small lookups over cards.
// Thread-safety: test-only; not for concurrent use.
#ifndef STEROID_ADVISOR_TESTS_CARDS_RULE_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_CARDS_RULE_TEST_UTIL_H_

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cards/card.h"
#include "cards/config.h"
#include "cards/rule_input.h"
#include "fhir/dosage.h"
#include "rapidjson/document.h"

namespace steroid_advisor::cards::testing {

inline constexpr char kToday[] = "2026-11-24";
inline constexpr char kRxNorm[] = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr char kAtc[] = "http://www.whocc.no/atc";
inline constexpr char kSnomed[] = "http://snomed.info/sct";
inline constexpr char kOral[] = "26643006";
inline constexpr char kIntravenous[] = "47625008";
inline constexpr char kTopical[] = "6064005";
inline constexpr char kNasal[] = "46713006";

// A MedicationRequest as JSON. Defaults: status draft, intent order, subject Patient/p1.
class OrderBuilder {
 public:
  explicit OrderBuilder(std::string id) : id_(std::move(id)) {}

  OrderBuilder& Status(std::string status) {
    status_ = std::move(status);
    return *this;
  }
  // medicationCodeableConcept with text `text` and, when `code` is not empty, one coding.
  OrderBuilder& Drug(std::string text, std::string code = "", std::string system = kRxNorm);
  // medicationReference instead of medicationCodeableConcept.
  OrderBuilder& DrugReference(std::string reference, std::string display = "");
  // A contained resource (raw JSON object), e.g. a Medication for "#id" references.
  OrderBuilder& Contained(std::string json) {
    contained_.push_back(std::move(json));
    return *this;
  }
  OrderBuilder& Route(std::string snomed_code, std::string text = "");
  OrderBuilder& RouteText(std::string text) {
    route_text_ = std::move(text);
    return *this;
  }
  OrderBuilder& Oral() { return Route(kOral); }
  OrderBuilder& Intravenous() { return Route(kIntravenous); }
  OrderBuilder& Dose(double value, std::string unit = "mg");
  OrderBuilder& DoseRange(double low, double high, std::string unit = "mg");
  // timing.repeat frequency per period periodUnit.
  OrderBuilder& Every(double frequency, double period, std::string unit);
  OrderBuilder& Daily() { return Every(1, 1, "d"); }
  OrderBuilder& Bounds(std::string start, std::string end);
  OrderBuilder& BoundsDuration(double value, std::string unit);
  OrderBuilder& Count(double count) {
    count_ = count;
    return *this;
  }
  OrderBuilder& Authored(std::string day) {
    authored_on_ = std::move(day);
    return *this;
  }
  OrderBuilder& Text(std::string dosage_text) {
    dosage_text_ = std::move(dosage_text);
    return *this;
  }
  OrderBuilder& ExpectedSupply(double value, std::string unit);
  // Extra members of timing.repeat as raw JSON ("\"timeOfDay\": [\"08:00\"]").
  OrderBuilder& RepeatExtra(std::string json_members) {
    repeat_extra_ = std::move(json_members);
    return *this;
  }

  std::string Json() const;

 private:
  std::string id_;
  std::string status_ = "draft";
  std::string medication_json_;
  std::vector<std::string> contained_;
  std::string route_code_;
  std::string route_text_;
  std::string dose_json_;
  std::optional<double> frequency_;
  std::optional<double> period_;
  std::string period_unit_;
  std::string bounds_json_;
  std::optional<double> count_;
  std::string authored_on_;
  std::string dosage_text_;
  std::string supply_json_;
  std::string repeat_extra_;
};

// Common orders, dated against kToday.
OrderBuilder Alemtuzumab(std::string id = "alem");  // Lemtrada 12 mg IV daily 2026-11-25..29
OrderBuilder Methylprednisolone(std::string id, double mg, std::string start, std::string end);
OrderBuilder Prednisone(std::string id, double mg, std::string start, std::string end);
OrderBuilder Acyclovir(std::string id = "acy");

// A RuleInput whose fhir structs point into documents this object owns. Record parts start
// available and empty.
class TestRequest {
 public:
  explicit TestRequest(std::string_view today = kToday);
  TestRequest(const TestRequest&) = delete;
  TestRequest& operator=(const TestRequest&) = delete;

  TestRequest& UnderReview(const OrderBuilder& order) { return UnderReviewJson(order.Json()); }
  TestRequest& OtherDraft(const OrderBuilder& order);
  TestRequest& Record(const OrderBuilder& order) { return RecordJson(order.Json()); }
  TestRequest& UnderReviewJson(std::string_view json);
  // A MedicationRequest, MedicationAdministration, MedicationStatement or Medication (by its
  // resourceType) added to the record / medication index.
  TestRequest& RecordJson(std::string_view json);
  // Marks the record as not available (no prefetch, no FHIR server).
  TestRequest& NoRecord();

  const RuleInput& input() const { return input_; }
  std::vector<Card> Evaluate(const CardsConfig& config) const;
  std::vector<Card> Evaluate() const;

 private:
  const rapidjson::Document& Parse(std::string_view json);

  std::deque<rapidjson::Document> documents_;
  RuleInput input_;
};

// Every rule on, every variant present (indicators as RULES.md), templates:
// summary "<rule>/<variant>", detail "name=value;" for every placeholder the rule fills.
// Every suggestion id labelled "label:<id>".
CardsConfig TestCardsConfig();

// The card of `rule_id`, or nullptr. Not on a temporary vector: use CardOf then.
const Card* FindCard(const std::vector<Card>& cards, std::string_view rule_id);
const Card* FindCard(std::vector<Card>&& cards, std::string_view rule_id) = delete;
// A copy of the card of `rule_id`, or nullopt.
std::optional<Card> CardOf(const std::vector<Card>& cards, std::string_view rule_id);

// A Dosage parsed from a JSON object.
fhir::Dosage ParseDosageJson(std::string_view json);

// fhir::ParseFhirDate that must succeed.
fhir::Day DayOf(std::string_view date);

}  // namespace steroid_advisor::cards::testing

#endif  // STEROID_ADVISOR_TESTS_CARDS_RULE_TEST_UTIL_H_
