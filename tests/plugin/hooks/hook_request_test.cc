#include "plugin/hooks/hook_request.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "fhir/json_parse.h"
#include "plugin/config/services.h"

namespace steroid_advisor::plugin {
namespace {

constexpr char kOrderSelect[] = "steroid-advisor-order-select";
constexpr char kOrderSign[] = "steroid-advisor-order-sign";
constexpr char kPrescribe[] = "steroid-advisor-medication-prescribe";

constexpr char kDrafts[] =
    R"({"resourceType":"Bundle","type":"collection","entry":[
      {"fullUrl":"urn:uuid:alem","resource":{"resourceType":"MedicationRequest","id":"alem",
        "status":"draft","intent":"order","subject":{"reference":"Patient/p1"},
        "medicationCodeableConcept":{"text":"alemtuzumab"}}},
      {"resource":{"resourceType":"MedicationRequest","id":"mp","status":"draft","intent":"order",
        "subject":{"reference":"Patient/p1"},"medicationReference":{"reference":"Medication/med-mp"}}},
      {"resource":{"resourceType":"Medication","id":"med-mp","code":{"text":"methylprednisolone"}}},
      {"resource":{"resourceType":"ServiceRequest","id":"lab"}}]})";

// A valid body for `hook` with `context_extra` spliced into context and `top_extra` at top level.
std::string Body(const std::string& hook, const std::string& context_extra,
                 const std::string& top_extra = "") {
  return R"({"hook":")" + hook + R"(","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",)" +
         top_extra + R"("context":{"userId":"Practitioner/1","patientId":"p1")" + context_extra +
         "}}";
}

std::string OrderSelectBody(const std::string& top_extra = "") {
  return Body(
      "order-select",
      std::string(R"(,"draftOrders":)") + kDrafts + R"(,"selections":["MedicationRequest/alem"])",
      top_extra);
}

struct Parsed {
  rapidjson::Document document;
  StatusOr<HookRequest> request = InternalError("not parsed");
};

std::unique_ptr<Parsed> Parse(const std::string& text, const std::string& service_id) {
  auto parsed = std::make_unique<Parsed>();
  Status status = fhir::ParseJson(text, 64, parsed->document);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << text;
  parsed->request = ParseHookRequest(parsed->document, *FindService(service_id));
  return parsed;
}

TEST(HookRequest, BadRequestsNameThePathOfTheProblem) {
  struct Case {
    std::string name;
    std::string service;
    std::string body;
    std::string message_prefix;
  };
  const std::string sign_drafts = std::string(R"(,"draftOrders":)") + kDrafts;
  const Case kCases[] = {
      {"not an object", kOrderSign, "[]", "request body: expected a JSON object"},
      {"hook missing", kOrderSign, R"({"hookInstance":"x","context":{}})", "hook: required"},
      {"hook of another service", kOrderSign, Body("order-select", sign_drafts), "hook: "},
      {"hook a number", kOrderSign, R"({"hook":5})", "hook: expected a string"},
      {"hookInstance missing", kOrderSign, R"({"hook":"order-sign","context":{}})",
       "hookInstance: required"},
      {"hookInstance empty", kOrderSign, R"({"hook":"order-sign","hookInstance":""})",
       "hookInstance: must not be empty"},
      {"context missing", kOrderSign, R"({"hook":"order-sign","hookInstance":"x"})",
       "context: required"},
      {"context an array", kOrderSign, R"({"hook":"order-sign","hookInstance":"x","context":[]})",
       "context: expected an object, got an array"},
      {"patientId missing", kOrderSign,
       R"({"hook":"order-sign","hookInstance":"x","context":{"userId":"u"}})",
       "context.patientId: required"},
      {"patientId a number", kOrderSign,
       R"({"hook":"order-sign","hookInstance":"x","context":{"userId":"u","patientId":7}})",
       "context.patientId: expected a string, got a number"},
      {"userId missing", kOrderSign,
       R"({"hook":"order-sign","hookInstance":"x","context":{"patientId":"p"}})",
       "context.userId: required"},
      {"encounterId an object", kOrderSign, Body("order-sign", R"(,"encounterId":{})"),
       "context.encounterId: expected a string"},
      {"draftOrders missing", kOrderSign, Body("order-sign", ""), "context.draftOrders: required"},
      {"draftOrders an array", kOrderSign, Body("order-sign", R"(,"draftOrders":[])"),
       "context.draftOrders: expected a Bundle, got an array"},
      {"draftOrders a Patient", kOrderSign,
       Body("order-sign", R"(,"draftOrders":{"resourceType":"Patient"})"),
       "context.draftOrders: expected a Bundle, got another resource type"},
      {"selections missing", kOrderSelect, Body("order-select", sign_drafts),
       "context.selections: required"},
      {"selections a string", kOrderSelect,
       Body("order-select", sign_drafts + R"(,"selections":"MedicationRequest/alem")"),
       "context.selections: expected an array of strings"},
      {"selection a number", kOrderSelect,
       Body("order-select", sign_drafts + R"(,"selections":["MedicationRequest/alem",3])"),
       "context.selections[1]: expected a string, got a number"},
      {"medications missing", kPrescribe, Body("medication-prescribe", ""),
       "context.medications: required"},
      {"medications a string", kPrescribe, Body("medication-prescribe", R"(,"medications":"x")"),
       "context.medications: expected a Bundle or an array"},
      {"prefetch an array", kOrderSign, Body("order-sign", sign_drafts, R"("prefetch":[],)"),
       "prefetch: expected an object, got an array"},
      {"prefetch value a string", kOrderSign,
       Body("order-sign", sign_drafts, R"("prefetch":{"medicationRequests":"secret"},)"),
       "prefetch.medicationRequests: expected a resource object or null, got a string"},
      {"fhirServer a number", kOrderSign, Body("order-sign", sign_drafts, R"("fhirServer":1,)"),
       "fhirServer: expected a string"},
      {"fhirServer not a URL", kOrderSign,
       Body("order-sign", sign_drafts, R"("fhirServer":"ftp://x",)"),
       "fhirServer: expected an absolute http(s) URL"},
      {"fhirAuthorization without fhirServer", kOrderSign,
       Body("order-sign", sign_drafts,
            R"("fhirAuthorization":{"access_token":"t","token_type":"Bearer"},)"),
       "fhirAuthorization: requires fhirServer"},
      {"fhirAuthorization a string", kOrderSign,
       Body("order-sign", sign_drafts,
            R"("fhirServer":"https://ehr/fhir","fhirAuthorization":"t",)"),
       "fhirAuthorization: expected an object"},
      {"access_token missing", kOrderSign,
       Body("order-sign", sign_drafts,
            R"("fhirServer":"https://ehr/fhir","fhirAuthorization":{"token_type":"Bearer"},)"),
       "fhirAuthorization.access_token: required"},
      {"token_type not Bearer", kOrderSign,
       Body(
           "order-sign", sign_drafts,
           R"("fhirServer":"https://ehr/fhir","fhirAuthorization":{"access_token":"secret-token","token_type":"MAC"},)"),
       "fhirAuthorization.token_type: expected \"Bearer\""},
      {"expires_in a string", kOrderSign,
       Body(
           "order-sign", sign_drafts,
           R"("fhirServer":"https://ehr/fhir","fhirAuthorization":{"access_token":"t","token_type":"Bearer","expires_in":"300"},)"),
       "fhirAuthorization.expires_in: expected a number"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    auto parsed = Parse(c.body, c.service);
    ASSERT_FALSE(parsed->request.ok());
    EXPECT_EQ(parsed->request.status().code(), StatusCode::kInvalidArgument);
    const std::string& message = parsed->request.status().message();
    EXPECT_EQ(message.substr(0, c.message_prefix.size()), c.message_prefix) << message;
    // Never echo what was sent.
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
  }
}

TEST(HookRequest, ValidOrderSelectKeepsContextAndAuthorization) {
  auto parsed = Parse(OrderSelectBody(R"("fhirServer":"https://ehr.example/fhir",
      "fhirAuthorization":{"access_token":"t0k","token_type":"Bearer","expires_in":300,
      "scope":"user/MedicationRequest.read","subject":"cds"},)"),
                      kOrderSelect);
  ASSERT_TRUE(parsed->request.ok()) << parsed->request.status().ToString();
  const HookRequest& request = *parsed->request;
  EXPECT_EQ(request.patient_id, "p1");
  EXPECT_EQ(request.user_id, "Practitioner/1");
  EXPECT_EQ(request.fhir_server, "https://ehr.example/fhir");
  ASSERT_TRUE(request.fhir_authorization.has_value());
  EXPECT_EQ(request.fhir_authorization->access_token, "t0k");
  EXPECT_EQ(request.selections, std::vector<std::string>{"MedicationRequest/alem"});
}

TEST(HookRequest, OrderSelectReviewsOnlyTheSelectedDrafts) {
  auto parsed = Parse(OrderSelectBody(), kOrderSelect);
  ASSERT_TRUE(parsed->request.ok());
  cards::RuleInput input = BuildRuleInput(*parsed->request, RecordFromPrefetch(*parsed->request),
                                          fhir::DayFromCivil(2026, 11, 24));
  ASSERT_EQ(input.under_review.size(), 1u);
  EXPECT_EQ(input.under_review[0].id, "alem");
  ASSERT_EQ(input.other_drafts.size(), 1u);
  EXPECT_EQ(input.other_drafts[0].id, "mp");
  EXPECT_EQ(input.patient_reference, "Patient/p1");
  EXPECT_EQ(input.today, fhir::DayFromCivil(2026, 11, 24));
  EXPECT_NE(input.medications.Find("Medication/med-mp"), nullptr);
  EXPECT_FALSE(input.record.any_available());
}

TEST(HookRequest, SelectionByFullUrlAlsoCounts) {
  std::string body = Body("order-select", std::string(R"(,"draftOrders":)") + kDrafts +
                                              R"(,"selections":["urn:uuid:alem"])");
  auto parsed = Parse(body, kOrderSelect);
  ASSERT_TRUE(parsed->request.ok());
  cards::RuleInput input = BuildRuleInput(*parsed->request, {}, 0);
  ASSERT_EQ(input.under_review.size(), 1u);
  EXPECT_EQ(input.under_review[0].id, "alem");
}

TEST(HookRequest, OrderSignReviewsEveryDraft) {
  auto parsed = Parse(Body("order-sign", std::string(R"(,"draftOrders":)") + kDrafts), kOrderSign);
  ASSERT_TRUE(parsed->request.ok());
  cards::RuleInput input = BuildRuleInput(*parsed->request, {}, 0);
  EXPECT_EQ(input.under_review.size(), 2u);
  EXPECT_TRUE(input.other_drafts.empty());
}

TEST(HookRequest, LegacyMedicationsAsPlainArrayAreUnderReview) {
  auto parsed = Parse(Body("medication-prescribe",
                           R"(,"medications":[{"resourceType":"MedicationRequest","id":"a",
                              "status":"draft","intent":"order","subject":{"reference":"Patient/p1"},
                              "medicationCodeableConcept":{"text":"alemtuzumab"}}, 5])"),
                      kPrescribe);
  ASSERT_TRUE(parsed->request.ok()) << parsed->request.status().ToString();
  cards::RuleInput input = BuildRuleInput(*parsed->request, {}, 0);
  ASSERT_EQ(input.under_review.size(), 1u);
  EXPECT_EQ(input.under_review[0].id, "a");
}

TEST(HookRequest, PrefetchBundlesMakeRecordPartsAvailable) {
  auto parsed = Parse(OrderSelectBody(R"("prefetch":{
      "medicationRequests":{"resourceType":"Bundle","type":"searchset","entry":[
        {"resource":{"resourceType":"MedicationRequest","id":"old","status":"completed",
          "intent":"order","subject":{"reference":"Patient/p1"},
          "medicationCodeableConcept":{"text":"alemtuzumab"}}},
        {"resource":{"resourceType":"MedicationRequest","id":"alem","status":"draft",
          "intent":"order","subject":{"reference":"Patient/p1"},
          "medicationCodeableConcept":{"text":"alemtuzumab"}}}]},
      "medicationAdministrations":null,
      "medicationStatements":{"resourceType":"OperationOutcome"},
      "patient":{"resourceType":"Patient","id":"p1"}},)"),
                      kOrderSelect);
  ASSERT_TRUE(parsed->request.ok()) << parsed->request.status().ToString();
  std::vector<RecordPartPages> record = RecordFromPrefetch(*parsed->request);
  ASSERT_EQ(record.size(), 3u);
  EXPECT_TRUE(record[0].available);
  // null: the client has no data for the key (CDS Hooks 2.0), an empty part; issue 12.
  EXPECT_TRUE(record[1].available);
  EXPECT_TRUE(record[1].pages.empty());
  EXPECT_FALSE(record[2].available);  // an OperationOutcome: the client's prefetch failed
  cards::RuleInput input = BuildRuleInput(*parsed->request, record, 0);
  EXPECT_TRUE(input.record.requests_available);
  EXPECT_TRUE(input.record.administrations_available);
  EXPECT_TRUE(input.record.administrations.empty());
  EXPECT_FALSE(input.record.statements_available);
  // The draft listed again in the searchset is not counted twice.
  ASSERT_EQ(input.record.requests.size(), 1u);
  EXPECT_EQ(input.record.requests[0].id, "old");
}

}  // namespace
}  // namespace steroid_advisor::plugin
