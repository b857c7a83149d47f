#include "fhir/search_paging.h"

#include <utility>

#include "fhir/bundle.h"
#include "fhir/resource.h"

namespace steroid_advisor::fhir {
namespace {

Status StatusForHttp(int http_status, const std::string& where) {
  const std::string message = where + ": http status " + std::to_string(http_status);
  switch (http_status) {
    case 401:
      return UnauthenticatedError(message);
    case 403:
      return PermissionDeniedError(message);
    case 404:
      return NotFoundError(message);
    default:
      return UnavailableError(message);
  }
}

}  // namespace

SearchPager::SearchPager(std::string server_base, std::string first_url,
                         SearchPagingOptions options)
    : server_base_(std::move(server_base)), options_(options) {
  if (!IsUnderBase(first_url, server_base_)) {
    Fail(PermissionDeniedError("page 1: search url is not on the fhir server"));
    return;
  }
  seen_urls_.insert(first_url);
  next_url_ = std::move(first_url);
}

void SearchPager::Fail(Status status) {
  failure_ = std::move(status);
  next_url_.reset();
  pages_.clear();
}

void SearchPager::Accept(StatusOr<FhirResponse> response) {
  if (done()) return;
  const std::string where = "page " + std::to_string(pages_.size() + 1);
  if (!response.ok()) return Fail(response.status().WithPrefix(where));
  if (response->http_status != 200) return Fail(StatusForHttp(response->http_status, where));

  auto document = std::make_shared<rapidjson::Document>();
  Status parsed = ParseJson(response->body, options_.max_json_depth, *document);
  if (!parsed.ok()) return Fail(UnavailableError(where + ": " + parsed.message()));
  if (IsResourceOfType(*document, "OperationOutcome")) {
    return Fail(UnavailableError(where + ": operationoutcome instead of a bundle"));
  }
  if (!IsBundle(*document)) return Fail(UnavailableError(where + ": not a bundle"));

  std::optional<std::string_view> next = NextLink(*document);
  pages_.push_back(std::move(document));
  next_url_.reset();
  if (!next) return;

  std::string next_url(*next);
  if (!IsUnderBase(next_url, server_base_)) {
    return Fail(PermissionDeniedError(where + ": next link leaves the fhir server"));
  }
  if (!seen_urls_.insert(next_url).second) {
    return Fail(UnavailableError(where + ": next link repeats an earlier page"));
  }
  if (static_cast<int>(pages_.size()) >= options_.max_pages) {
    return Fail(ResourceExhaustedError("search has more than " +
                                       std::to_string(options_.max_pages) + " pages"));
  }
  next_url_ = std::move(next_url);
}

StatusOr<std::vector<SearchPage>> SearchPager::Result() const {
  if (!done()) return FailedPreconditionError("search paging: not finished");
  if (!failure_.ok()) return failure_;
  return pages_;
}

StatusOr<std::vector<SearchPage>> FetchSearch(FhirClient& client, const std::string& server_base,
                                              const std::string& first_url,
                                              const SearchPagingOptions& options) {
  SearchPager pager(server_base, first_url, options);
  while (!pager.done()) pager.Accept(client.Get(*pager.next_url()));
  return pager.Result();
}

}  // namespace steroid_advisor::fhir
