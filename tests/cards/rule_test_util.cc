#include "tests/cards/rule_test_util.h"

#include <cstdlib>
#include <map>

#include "cards/evaluate.h"
#include "fhir/json_parse.h"
#include "fhir/medication.h"
#include "fhir/medication_administration.h"
#include "fhir/medication_request.h"
#include "fhir/medication_statement.h"
#include "fhir/resource.h"
#include "gtest/gtest.h"

namespace steroid_advisor::cards::testing {
namespace {

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string Number(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

std::string QuantityJson(double value, const std::string& unit) {
  return "{\"value\": " + Number(value) + ", \"unit\": " + Quote(unit) +
         ", \"system\": \"http://unitsofmeasure.org\", \"code\": " + Quote(unit) + "}";
}

}  // namespace

OrderBuilder& OrderBuilder::Drug(std::string text, std::string code, std::string system) {
  medication_json_ = "\"medicationCodeableConcept\": {";
  if (!code.empty()) {
    medication_json_ += "\"coding\": [{\"system\": " + Quote(system) +
                        ", \"code\": " + Quote(code) + ", \"display\": " + Quote(text) + "}]";
    if (!text.empty()) medication_json_ += ", ";
  }
  if (!text.empty()) medication_json_ += "\"text\": " + Quote(text);
  medication_json_ += "}";
  return *this;
}

OrderBuilder& OrderBuilder::DrugReference(std::string reference, std::string display) {
  medication_json_ = "\"medicationReference\": {\"reference\": " + Quote(reference);
  if (!display.empty()) medication_json_ += ", \"display\": " + Quote(display);
  medication_json_ += "}";
  return *this;
}

OrderBuilder& OrderBuilder::Route(std::string snomed_code, std::string text) {
  route_code_ = std::move(snomed_code);
  route_text_ = std::move(text);
  return *this;
}

OrderBuilder& OrderBuilder::Dose(double value, std::string unit) {
  dose_json_ = "{\"doseQuantity\": " + QuantityJson(value, unit) + "}";
  return *this;
}

OrderBuilder& OrderBuilder::DoseRange(double low, double high, std::string unit) {
  dose_json_ = "{\"doseRange\": {\"low\": " + QuantityJson(low, unit) +
               ", \"high\": " + QuantityJson(high, unit) + "}}";
  return *this;
}

OrderBuilder& OrderBuilder::Every(double frequency, double period, std::string unit) {
  frequency_ = frequency;
  period_ = period;
  period_unit_ = std::move(unit);
  return *this;
}

OrderBuilder& OrderBuilder::Bounds(std::string start, std::string end) {
  bounds_json_ = "\"boundsPeriod\": {";
  if (!start.empty()) bounds_json_ += "\"start\": " + Quote(start);
  if (!start.empty() && !end.empty()) bounds_json_ += ", ";
  if (!end.empty()) bounds_json_ += "\"end\": " + Quote(end);
  bounds_json_ += "}";
  return *this;
}

OrderBuilder& OrderBuilder::BoundsDuration(double value, std::string unit) {
  bounds_json_ = "\"boundsDuration\": " + QuantityJson(value, unit);
  return *this;
}

OrderBuilder& OrderBuilder::ExpectedSupply(double value, std::string unit) {
  supply_json_ =
      "\"dispenseRequest\": {\"expectedSupplyDuration\": " + QuantityJson(value, unit) + "}";
  return *this;
}

std::string OrderBuilder::Json() const {
  std::string json = "{\"resourceType\": \"MedicationRequest\", \"id\": " + Quote(id_) +
                     ", \"status\": " + Quote(status_) +
                     ", \"intent\": \"order\", \"subject\": {\"reference\": \"Patient/p1\"}";
  if (!authored_on_.empty()) json += ", \"authoredOn\": " + Quote(authored_on_);
  if (!medication_json_.empty()) json += ", " + medication_json_;
  if (!contained_.empty()) {
    json += ", \"contained\": [";
    for (size_t i = 0; i < contained_.size(); ++i) json += (i ? ", " : "") + contained_[i];
    json += "]";
  }
  if (!supply_json_.empty()) json += ", " + supply_json_;

  std::vector<std::string> repeat;
  if (frequency_) repeat.push_back("\"frequency\": " + Number(*frequency_));
  if (period_) repeat.push_back("\"period\": " + Number(*period_));
  if (!period_unit_.empty()) repeat.push_back("\"periodUnit\": " + Quote(period_unit_));
  if (count_) repeat.push_back("\"count\": " + Number(*count_));
  if (!bounds_json_.empty()) repeat.push_back(bounds_json_);
  if (!repeat_extra_.empty()) repeat.push_back(repeat_extra_);

  std::vector<std::string> dosage;
  if (!dosage_text_.empty()) dosage.push_back("\"text\": " + Quote(dosage_text_));
  if (!route_code_.empty() || !route_text_.empty()) {
    std::string route = "\"route\": {";
    if (!route_code_.empty()) {
      route +=
          "\"coding\": [{\"system\": \"http://snomed.info/sct\", \"code\": " + Quote(route_code_) +
          "}]";
    }
    if (!route_code_.empty() && !route_text_.empty()) route += ", ";
    if (!route_text_.empty()) route += "\"text\": " + Quote(route_text_);
    dosage.push_back(route + "}");
  }
  if (!repeat.empty()) {
    std::string timing = "\"timing\": {\"repeat\": {";
    for (size_t i = 0; i < repeat.size(); ++i) timing += (i ? ", " : "") + repeat[i];
    dosage.push_back(timing + "}}");
  }
  if (!dose_json_.empty()) dosage.push_back("\"doseAndRate\": [" + dose_json_ + "]");
  if (!dosage.empty()) {
    json += ", \"dosageInstruction\": [{";
    for (size_t i = 0; i < dosage.size(); ++i) json += (i ? ", " : "") + dosage[i];
    json += "}]";
  }
  return json + "}";
}

OrderBuilder Alemtuzumab(std::string id) {
  OrderBuilder order(std::move(id));
  order.Drug("alemtuzumab 12 mg/day IV (Lemtrada)")
      .Intravenous()
      .Dose(12)
      .Daily()
      .Bounds("2026-11-25", "2026-11-29")
      .Authored(kToday);
  return order;
}

OrderBuilder Methylprednisolone(std::string id, double mg, std::string start, std::string end) {
  OrderBuilder order(std::move(id));
  order.Drug("methylprednisolone", "6902")
      .Intravenous()
      .Dose(mg)
      .Daily()
      .Bounds(start, end)
      .Authored(kToday);
  return order;
}

OrderBuilder Prednisone(std::string id, double mg, std::string start, std::string end) {
  OrderBuilder order(std::move(id));
  order.Drug("prednisone", "8640").Oral().Dose(mg).Daily().Bounds(start, end).Authored(kToday);
  return order;
}

OrderBuilder Acyclovir(std::string id) {
  OrderBuilder order(std::move(id));
  order.Drug("acyclovir", "281")
      .Oral()
      .Dose(200)
      .Every(2, 1, "d")
      .Bounds("2026-11-25", "2027-01-25");
  return order;
}

TestRequest::TestRequest(std::string_view today) {
  input_.today = DayOf(today);
  input_.patient_reference = "Patient/p1";
  input_.record.requests_available = true;
  input_.record.administrations_available = true;
  input_.record.statements_available = true;
}

const rapidjson::Document& TestRequest::Parse(std::string_view json) {
  documents_.emplace_back();
  Status status = fhir::ParseJson(json, fhir::kDefaultMaxJsonDepth, documents_.back());
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return documents_.back();
}

TestRequest& TestRequest::UnderReviewJson(std::string_view json) {
  std::optional<fhir::MedicationRequest> request = fhir::ParseMedicationRequest(Parse(json));
  EXPECT_TRUE(request.has_value()) << json;
  if (request) input_.under_review.push_back(std::move(*request));
  return *this;
}

TestRequest& TestRequest::OtherDraft(const OrderBuilder& order) {
  std::optional<fhir::MedicationRequest> request =
      fhir::ParseMedicationRequest(Parse(order.Json()));
  EXPECT_TRUE(request.has_value());
  if (request) input_.other_drafts.push_back(std::move(*request));
  return *this;
}

TestRequest& TestRequest::RecordJson(std::string_view json) {
  const rapidjson::Document& document = Parse(json);
  std::optional<std::string_view> type = fhir::ResourceType(document);
  if (type == "MedicationRequest") {
    if (auto parsed = fhir::ParseMedicationRequest(document))
      input_.record.requests.push_back(*parsed);
  } else if (type == "MedicationAdministration") {
    if (auto parsed = fhir::ParseMedicationAdministration(document)) {
      input_.record.administrations.push_back(*parsed);
    }
  } else if (type == "MedicationStatement") {
    if (auto parsed = fhir::ParseMedicationStatement(document))
      input_.record.statements.push_back(*parsed);
  } else if (type == "Medication") {
    if (auto parsed = fhir::ParseMedication(document)) input_.medications.Add(*parsed, "");
  } else {
    ADD_FAILURE() << "unexpected resource: " << json;
  }
  return *this;
}

TestRequest& TestRequest::NoRecord() {
  input_.record = PatientRecord();
  return *this;
}

std::vector<Card> TestRequest::Evaluate(const CardsConfig& config) const {
  return EvaluateRules(input_, config);
}

std::vector<Card> TestRequest::Evaluate() const { return Evaluate(TestCardsConfig()); }

CardsConfig TestCardsConfig() {
  struct RuleSpec {
    std::string id;
    std::vector<std::pair<std::string, Indicator>> variants;
    std::vector<std::string> placeholders;
    std::vector<std::string> suggestions;
  };
  const std::vector<RuleSpec> specs = {
      {"steroid-premedication",
       {{"missing", Indicator::kWarning},
        {"low-dose", Indicator::kWarning},
        {"too-few-days", Indicator::kWarning}},
       {"drug", "steroid", "dose_mg", "equivalent_mg", "label_dose_mg", "days", "covered_days",
        "required_days"},
       {"add-premedication"}},
      {"antiviral-prophylaxis",
       {{"missing", Indicator::kWarning}},
       {"drug", "required_days"},
       {"add-antiviral"}},
      {"prolonged-steroid",
       {{"warning", Indicator::kWarning},
        {"critical", Indicator::kCritical},
        {"critical-pjp-active", Indicator::kCritical},
        {"dose-unknown", Indicator::kWarning}},
       {"drug", "steroid", "dose_mg", "equivalent_mg", "days", "threshold_days", "high_dose_mg",
        "high_dose_days", "last_alemtuzumab_date", "window_months"},
       {"shorten-course", "add-pjp-prophylaxis"}},
      {"overlapping-immunosuppression",
       {{"default", Indicator::kWarning}},
       {"drug", "other_drug", "last_alemtuzumab_date", "window_months"},
       {}},
      {"relapse-steroid-course",
       {{"default", Indicator::kInfo}, {"dose-unknown", Indicator::kInfo}},
       {"drug", "steroid", "dose_mg", "equivalent_mg", "days", "short_course_days",
        "last_alemtuzumab_date"},
       {}},
  };
  CardsConfig config;
  for (const RuleSpec& spec : specs) {
    RuleConfig rule;
    rule.title = "title:" + spec.id;
    rule.source_label = "source:" + spec.id;
    rule.source_url = "https://example.org/" + spec.id;
    rule.links.push_back(Link{"link:" + spec.id, "https://example.org/link"});
    rule.override_reasons.push_back(OverrideReason{"clinician-judgement", "Clinician judgement"});
    std::string detail;
    for (const std::string& name : spec.placeholders) detail += name + "={{" + name + "}};";
    for (const auto& [variant, indicator] : spec.variants) {
      rule.variants[variant] = CardText{indicator, spec.id + "/" + variant, detail};
    }
    for (const std::string& suggestion : spec.suggestions) {
      rule.suggestion_labels[suggestion] = "label:" + suggestion;
    }
    config.rules[spec.id] = std::move(rule);
  }
  return config;
}

const Card* FindCard(const std::vector<Card>& cards, std::string_view rule_id) {
  for (const Card& card : cards) {
    if (card.rule_id == rule_id) return &card;
  }
  return nullptr;
}

std::optional<Card> CardOf(const std::vector<Card>& cards, std::string_view rule_id) {
  const Card* card = FindCard(cards, rule_id);
  if (card == nullptr) return std::nullopt;
  return *card;
}

fhir::Dosage ParseDosageJson(std::string_view json) {
  rapidjson::Document document;
  Status status = fhir::ParseJson(json, fhir::kDefaultMaxJsonDepth, document);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  std::optional<fhir::Dosage> dosage = fhir::ParseDosage(document);
  EXPECT_TRUE(dosage.has_value()) << json;
  return dosage.value_or(fhir::Dosage());
}

fhir::Day DayOf(std::string_view date) {
  std::optional<fhir::Day> day = fhir::ParseFhirDate(date);
  if (!day) {
    ADD_FAILURE() << "bad test date " << date;
    return 0;
  }
  return *day;
}

}  // namespace steroid_advisor::cards::testing
