// Tests for fhir/search_paging.h (paging rules, with a fake transport) and the URL arithmetic
// of fhir/fhir_client.h that decides which links may be followed.
#include "fhir/search_paging.h"

#include <map>
#include <string>
#include <vector>

#include "fhir/bundle.h"
#include "fhir/fhir_client.h"
#include "gtest/gtest.h"

namespace steroid_advisor::fhir {
namespace {

constexpr char kBase[] = "https://ehr.example.org/fhir";

// A FhirClient that answers from a table and records what was asked.
class FakeFhirClient : public FhirClient {
 public:
  void Answer(const std::string& url, StatusOr<FhirResponse> response) {
    answers_.insert_or_assign(url, std::move(response));
  }
  StatusOr<FhirResponse> Get(const std::string& url) override {
    requested_.push_back(url);
    auto it = answers_.find(url);
    if (it == answers_.end()) return FhirResponse{404, "application/fhir+json", "{}"};
    return it->second;
  }
  const std::vector<std::string>& requested() const { return requested_; }

 private:
  std::map<std::string, StatusOr<FhirResponse>> answers_;
  std::vector<std::string> requested_;
};

std::string PageUrl(int page) {
  return std::string(kBase) +
         "/MedicationRequest?patient=p1&_count=2&_offset=" + std::to_string(page * 2);
}

// A searchset page holding one MedicationRequest with id `id`, linking to `next` when given.
FhirResponse SearchsetPage(const std::string& id, const std::string& next = "") {
  std::string body = R"({"resourceType":"Bundle","type":"searchset","link":[)";
  body += R"({"relation":"self","url":"x"})";
  if (!next.empty()) body += R"(,{"relation":"next","url":")" + next + R"("})";
  body += R"(],"entry":[{"resource":{"resourceType":"MedicationRequest","id":")" + id +
          R"("},"search":{"mode":"match"}}]})";
  return FhirResponse{200, "application/fhir+json", body};
}

std::vector<std::string> EntryIds(const std::vector<SearchPage>& pages) {
  std::vector<std::string> ids;
  for (const SearchPage& page : pages) {
    for (const BundleEntry& entry : BundleEntries(*page)) {
      ids.emplace_back(FindString(*entry.resource, "id").value_or(""));
    }
  }
  return ids;
}

TEST(SearchPaging, FollowsNextLinksAcrossThreePagesInOrder) {
  FakeFhirClient client;
  client.Answer(PageUrl(0), SearchsetPage("a", PageUrl(1)));
  client.Answer(PageUrl(1), SearchsetPage("b", PageUrl(2)));
  client.Answer(PageUrl(2), SearchsetPage("c"));
  StatusOr<std::vector<SearchPage>> pages = FetchSearch(client, kBase, PageUrl(0), {});
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ(pages->size(), 3u);
  EXPECT_EQ(EntryIds(*pages), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(client.requested(), (std::vector<std::string>{PageUrl(0), PageUrl(1), PageUrl(2)}));
}

TEST(SearchPaging, SinglePageWithoutNextLinkIsOneRequest) {
  FakeFhirClient client;
  client.Answer(PageUrl(0), SearchsetPage("a"));
  StatusOr<std::vector<SearchPage>> pages = FetchSearch(client, kBase, PageUrl(0), {});
  ASSERT_TRUE(pages.ok());
  EXPECT_EQ(EntryIds(*pages), std::vector<std::string>{"a"});
  EXPECT_EQ(client.requested().size(), 1u);
}

TEST(SearchPaging, MorePagesThanTheCapMakesTheSearchUnavailable) {
  FakeFhirClient client;
  client.Answer(PageUrl(0), SearchsetPage("a", PageUrl(1)));
  client.Answer(PageUrl(1), SearchsetPage("b", PageUrl(2)));
  client.Answer(PageUrl(2), SearchsetPage("c"));
  SearchPagingOptions options;
  options.max_pages = 2;
  StatusOr<std::vector<SearchPage>> pages = FetchSearch(client, kBase, PageUrl(0), options);
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.status().code(), StatusCode::kResourceExhausted);
  // The third page is never asked for.
  EXPECT_EQ(client.requested().size(), 2u);
}

TEST(SearchPaging, BadAnswerOnAnyPageMakesTheWholeSearchUnavailable) {
  struct Case {
    std::string name;
    StatusOr<FhirResponse> second_page;
    StatusCode expected;
  };
  const Case cases[] = {
      {"unauthorized", FhirResponse{401, "", R"({"resourceType":"OperationOutcome"})"},
       StatusCode::kUnauthenticated},
      {"forbidden", FhirResponse{403, "", ""}, StatusCode::kPermissionDenied},
      {"server error", FhirResponse{500, "", ""}, StatusCode::kUnavailable},
      {"redirect", FhirResponse{302, "", ""}, StatusCode::kUnavailable},
      {"operation outcome with 200",
       FhirResponse{200, "application/fhir+json",
                    R"({"resourceType":"OperationOutcome","issue":[{"severity":"error"}]})"},
       StatusCode::kUnavailable},
      {"not json", FhirResponse{200, "text/html", "<html>login</html>"}, StatusCode::kUnavailable},
      {"a resource that is not a bundle",
       FhirResponse{200, "application/fhir+json", R"({"resourceType":"Patient"})"},
       StatusCode::kUnavailable},
      {"json array", FhirResponse{200, "application/json", "[]"}, StatusCode::kUnavailable},
      {"nesting over the cap", FhirResponse{200, "", std::string(100, '[') + std::string(100, ']')},
       StatusCode::kUnavailable},
      {"transport timeout", DeadlineExceededError("fhir get: timed out"),
       StatusCode::kDeadlineExceeded},
      {"transport refused", UnavailableError("fhir get: connection refused"),
       StatusCode::kUnavailable},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    FakeFhirClient client;
    client.Answer(PageUrl(0), SearchsetPage("a", PageUrl(1)));
    client.Answer(PageUrl(1), c.second_page);
    StatusOr<std::vector<SearchPage>> pages = FetchSearch(client, kBase, PageUrl(0), {});
    ASSERT_FALSE(pages.ok());
    EXPECT_EQ(pages.status().code(), c.expected) << pages.status().ToString();
    EXPECT_NE(pages.status().message().find("page 2"), std::string::npos);
  }
}

TEST(SearchPaging, NextLinkToAnotherHostIsRefusedWithoutRequest) {
  const std::string foreign[] = {
      "https://evil.example.org/fhir/MedicationRequest?page=2",
      "http://ehr.example.org/fhir/MedicationRequest?page=2",        // scheme downgrade
      "https://ehr.example.org:8443/fhir/MedicationRequest?page=2",  // other port
      "https://ehr.example.org/other/MedicationRequest?page=2",      // outside the base path
      "https://ehr.example.org/fhirX/MedicationRequest?page=2",
      "https://ehr.example.org@evil.example.org/fhir/MedicationRequest",
      "/fhir/MedicationRequest?page=2",  // relative: FHIR requires absolute links
  };
  for (const std::string& next : foreign) {
    SCOPED_TRACE(next);
    FakeFhirClient client;
    client.Answer(PageUrl(0), SearchsetPage("a", next));
    StatusOr<std::vector<SearchPage>> pages = FetchSearch(client, kBase, PageUrl(0), {});
    ASSERT_FALSE(pages.ok());
    EXPECT_EQ(pages.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(client.requested().size(), 1u);
  }
}

TEST(SearchPaging, NextLinkLoopIsUnavailable) {
  FakeFhirClient client;
  client.Answer(PageUrl(0), SearchsetPage("a", PageUrl(1)));
  client.Answer(PageUrl(1), SearchsetPage("b", PageUrl(0)));
  StatusOr<std::vector<SearchPage>> pages = FetchSearch(client, kBase, PageUrl(0), {});
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(client.requested().size(), 2u);
}

TEST(SearchPaging, FirstUrlOffTheServerIsRefusedWithoutRequest) {
  FakeFhirClient client;
  StatusOr<std::vector<SearchPage>> pages =
      FetchSearch(client, kBase, "https://elsewhere.example/fhir/MedicationRequest", {});
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(client.requested().empty());
}

TEST(SearchPaging, PagerCanBeDrivenStepByStep) {
  SearchPager pager(kBase, PageUrl(0), {});
  ASSERT_FALSE(pager.done());
  EXPECT_FALSE(pager.Result().ok());  // not finished yet
  EXPECT_EQ(*pager.next_url(), PageUrl(0));
  pager.Accept(SearchsetPage("a", PageUrl(1)));
  EXPECT_EQ(*pager.next_url(), PageUrl(1));
  pager.Accept(SearchsetPage("b"));
  ASSERT_TRUE(pager.done());
  StatusOr<std::vector<SearchPage>> pages = pager.Result();
  ASSERT_TRUE(pages.ok());
  EXPECT_EQ(EntryIds(*pages), (std::vector<std::string>{"a", "b"}));
}

TEST(FhirUrl, ParsesOriginPathAndQuery) {
  std::optional<HttpUrl> url = ParseHttpUrl("HTTPS://EHR.Example.org/fhir/Patient?x=1#frag");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "ehr.example.org");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->path, "/fhir/Patient");
  EXPECT_EQ(url->query, "x=1");
  EXPECT_EQ(url->Origin(), "https://ehr.example.org");
  EXPECT_EQ(url->PathAndQuery(), "/fhir/Patient?x=1");

  std::optional<HttpUrl> loopback = ParseHttpUrl("http://127.0.0.1:8081");
  ASSERT_TRUE(loopback.has_value());
  EXPECT_EQ(loopback->Origin(), "http://127.0.0.1:8081");
  EXPECT_EQ(loopback->path, "/");

  std::optional<HttpUrl> v6 = ParseHttpUrl("http://[::1]:9000/fhir");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(v6->port, 9000);
}

TEST(FhirUrl, RejectsWhatMustNeverBeRequested) {
  for (const char* bad :
       {"", "ftp://h/fhir", "file:///etc/passwd", "//h/fhir", "fhir/Patient", "https://",
        "https://user:pw@h/fhir", "https://h:0/fhir", "https://h:99999/fhir", "https://h:/fhir",
        "https://h/fhir\r\nX: y", "https://h /fhir", "https://[::1/fhir", "https://h!/fhir"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseHttpUrl(bad).has_value());
  }
}

TEST(FhirUrl, UnderBaseMeansSameOriginAndPathPrefixOnSegment) {
  EXPECT_TRUE(IsUnderBase("https://ehr.example.org/fhir/Patient", kBase));
  EXPECT_TRUE(IsUnderBase("https://EHR.example.org:443/fhir?x", kBase));
  EXPECT_TRUE(IsUnderBase("https://ehr.example.org/fhir", "https://ehr.example.org/fhir/"));
  EXPECT_TRUE(IsUnderBase("https://ehr.example.org/anything", "https://ehr.example.org"));
  EXPECT_FALSE(IsUnderBase("https://ehr.example.org/fhirX", kBase));
  EXPECT_FALSE(IsUnderBase("https://ehr.example.org.evil.example/fhir", kBase));
  EXPECT_FALSE(IsUnderBase("not a url", kBase));
}

TEST(FhirUrl, JoinPutsExactlyOneSlash) {
  EXPECT_EQ(JoinFhirUrl("https://h/fhir", "Patient?x=1"), "https://h/fhir/Patient?x=1");
  EXPECT_EQ(JoinFhirUrl("https://h/fhir/", "/Patient"), "https://h/fhir/Patient");
}

}  // namespace
}  // namespace steroid_advisor::fhir
