// Tests for fhir/prefetch_template.h: CDS Hooks 2.0 prefetch tokens, encoding, unfillable keys.
#include "fhir/prefetch_template.h"

#include <string>

#include "gtest/gtest.h"

namespace steroid_advisor::fhir {
namespace {

const PrefetchContext kContext = {
    {"patientId", "pat-123"},
    {"encounterId", "enc-9"},
    {"userId", "Practitioner/doc-7"},
};

TEST(PrefetchTemplate, RendersEveryTokenTheServicesUse) {
  struct Case {
    std::string template_text;
    PrefetchContext context;
    std::string expected;
  };
  const Case cases[] = {
      {"MedicationRequest?patient={{context.patientId}}", kContext,
       "MedicationRequest?patient=pat-123"},
      {"Encounter/{{context.encounterId}}", kContext, "Encounter/enc-9"},
      {"Practitioner?_id={{userPractitionerId}}", kContext, "Practitioner?_id=doc-7"},
      {"PractitionerRole?_id={{userPractitionerRoleId}}",
       {{"userId", "PractitionerRole/r1"}},
       "PractitionerRole?_id=r1"},
      {"Patient/{{userPatientId}}", {{"userId", "Patient/p1"}}, "Patient/p1"},
      {"RelatedPerson/{{userRelatedPersonId}}",
       {{"userId", "RelatedPerson/rp1"}},
       "RelatedPerson/rp1"},
      {"Task?owner={{context.userId}}", kContext, "Task?owner=Practitioner%2Fdoc-7"},
      {"MedicationRequest?patient={{ context.patientId }}&encounter={{context.encounterId}}",
       kContext, "MedicationRequest?patient=pat-123&encounter=enc-9"},
      {"Patient", kContext, "Patient"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.template_text);
    StatusOr<std::string> rendered = RenderPrefetchTemplate(c.template_text, c.context);
    ASSERT_TRUE(rendered.ok()) << rendered.status().ToString();
    EXPECT_EQ(*rendered, c.expected);
  }
}

TEST(PrefetchTemplate, ValuesCannotAddParametersOrSegments) {
  const PrefetchContext hostile = {{"patientId", "1&subject=Patient/2#x y?z=%"}};
  StatusOr<std::string> rendered =
      RenderPrefetchTemplate("MedicationRequest?patient={{context.patientId}}", hostile);
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(*rendered, "MedicationRequest?patient=1%26subject%3DPatient%2F2%23x%20y%3Fz%3D%25");
}

TEST(PrefetchTemplate, PercentEncodesUtf8BytewiseAndKeepsUnreserved) {
  EXPECT_EQ(PercentEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(PercentEncode("\xc3\xa9"), "%C3%A9");
  EXPECT_EQ(PercentEncode(""), "");
}

TEST(PrefetchTemplate, TokenWithoutValueMakesKeyUnfetchable) {
  struct Case {
    std::string template_text;
    PrefetchContext context;
  };
  const Case cases[] = {
      {"MedicationRequest?patient={{context.patientId}}", {}},
      // An empty patientId would turn the search into "every patient's requests".
      {"MedicationRequest?patient={{context.patientId}}", {{"patientId", ""}}},
      {"Practitioner/{{userPractitionerId}}", {{"userId", "PractitionerRole/r1"}}},
      {"Practitioner/{{userPractitionerId}}", {{"userId", "Practitioner/"}}},
      {"Practitioner/{{userPractitionerId}}", {{"userId", "Practitioner/a/b"}}},
      {"Patient/{{userPatientId}}", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.template_text);
    StatusOr<std::string> rendered = RenderPrefetchTemplate(c.template_text, c.context);
    ASSERT_FALSE(rendered.ok());
    EXPECT_EQ(rendered.status().code(), StatusCode::kNotFound);
  }
}

TEST(PrefetchTemplate, MalformedTemplateIsInvalidArgument) {
  for (const char* text :
       {"Patient/{{context.patientId", "Patient?x={{unknownToken}}", "Patient?x={{}}"}) {
    SCOPED_TRACE(text);
    StatusOr<std::string> rendered = RenderPrefetchTemplate(text, kContext);
    ASSERT_FALSE(rendered.ok());
    EXPECT_EQ(rendered.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(PrefetchTemplate, ErrorMessagesNameTheTokenNotTheValue) {
  StatusOr<std::string> rendered = RenderPrefetchTemplate("Practitioner/{{userPractitionerId}}",
                                                          {{"userId", "Patient/secret-id"}});
  ASSERT_FALSE(rendered.ok());
  EXPECT_NE(rendered.status().message().find("userPractitionerId"), std::string::npos);
  EXPECT_EQ(rendered.status().message().find("secret-id"), std::string::npos);
}

}  // namespace
}  // namespace steroid_advisor::fhir
