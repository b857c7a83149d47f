// Reading one FHIR search to the end: the first searchset page and every page its "next" links
// lead to, up to a page cap, with every page checked before it is believed.
// SearchPager holds the paging rules without any I/O, so a blocking FhirClient (FetchSearch,
// below) and an asynchronous transport (plugin/record/fhir_fetch.cc) drive the same logic.
// Owns: the parsed pages, shared read-only (std::shared_ptr<const Document>) with callers.
// Thread-safety: a SearchPager is not safe for concurrent use (one driver at a time); the
// pages it hands out are immutable and safe to read from many threads.
#ifndef STEROID_ADVISOR_FHIR_SEARCH_PAGING_H_
#define STEROID_ADVISOR_FHIR_SEARCH_PAGING_H_

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fhir/fhir_client.h"
#include "fhir/json_parse.h"
#include "fhir/status.h"
#include "rapidjson/document.h"

namespace steroid_advisor::fhir {

using SearchPage = std::shared_ptr<const rapidjson::Document>;

struct SearchPagingOptions {
  int max_pages = 5;  // a search with more pages than this is unavailable, not truncated
  int max_json_depth = kDefaultMaxJsonDepth;
};

// A SearchPager walks one search. Loop: GET next_url(), hand the outcome to Accept(), until
// done(); then Result() has every page in order, or why the search is unavailable.
// Why a search is unavailable (the whole search, never some of its pages, since a record with
// a hole reads like a record without the missing medication):
//   the transport failed (its Status), HTTP status other than 200 (Unauthenticated for 401,
//   PermissionDenied 403, NotFound 404, Unavailable otherwise), a body that is not JSON or not
//   a Bundle (an OperationOutcome in place of a Bundle included): Unavailable; a next link
//   that leaves the FHIR server's base URL: PermissionDenied (the token must not go elsewhere);
//   a next link seen before: Unavailable (a loop); more pages than max_pages:
//   ResourceExhausted. Messages name the page number, never a URL, token or body.
class SearchPager {
 public:
  // `server_base` is the FHIR server's base URL (next links must stay under it); `first_url`
  // is the absolute URL of the search.
  SearchPager(std::string server_base, std::string first_url, SearchPagingOptions options);

  bool done() const { return !next_url_.has_value(); }
  // The absolute URL to GET next; std::nullopt once done().
  const std::optional<std::string>& next_url() const { return next_url_; }
  // Takes the outcome of GET next_url(). Ignored once done().
  void Accept(StatusOr<FhirResponse> response);
  // Once done(): the pages (at least one), or the Status that made the search unavailable.
  // Before done(): FailedPrecondition.
  StatusOr<std::vector<SearchPage>> Result() const;

 private:
  void Fail(Status status);

  std::string server_base_;
  SearchPagingOptions options_;
  std::optional<std::string> next_url_;
  std::set<std::string> seen_urls_;
  std::vector<SearchPage> pages_;
  Status failure_;
};

// Drives a SearchPager with a blocking client: GET `first_url` on the server at `server_base`
// and follow next links. Same outcomes as SearchPager::Result().
StatusOr<std::vector<SearchPage>> FetchSearch(FhirClient& client, const std::string& server_base,
                                              const std::string& first_url,
                                              const SearchPagingOptions& options);

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_SEARCH_PAGING_H_
