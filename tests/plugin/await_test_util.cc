#include "tests/plugin/await_test_util.h"

#include <chrono>
#include <future>
#include <utility>

#include "gtest/gtest.h"
#include "plugin/router.h"

namespace steroid_advisor::plugin {

HttpResponse AwaitResponse(const std::function<void(Respond)>& start) {
  auto promise = std::make_shared<std::promise<HttpResponse>>();
  std::future<HttpResponse> future = promise->get_future();
  start([promise](HttpResponse response) { promise->set_value(std::move(response)); });
  if (future.wait_for(std::chrono::minutes(1)) != std::future_status::ready) {
    ADD_FAILURE() << "no response within a minute";
    HttpResponse none;
    none.status = 599;
    return none;
  }
  return future.get();
}

HttpResponse HandleRequestAndWait(const HttpRequest& request, const HandlerContext& context) {
  auto shared = std::make_shared<const HandlerContext>(context);
  return AwaitResponse(
      [&](Respond respond) { HandleRequest(request, shared, std::move(respond)); });
}

std::vector<FetchedKey> FetchAndWait(RecordFetcher& fetcher, RecordFetchRequest request) {
  auto promise = std::make_shared<std::promise<std::vector<FetchedKey>>>();
  std::future<std::vector<FetchedKey>> future = promise->get_future();
  fetcher.Fetch(std::move(request),
                [promise](std::vector<FetchedKey> keys) { promise->set_value(std::move(keys)); });
  if (future.wait_for(std::chrono::minutes(1)) != std::future_status::ready) {
    ADD_FAILURE() << "fetch did not finish within a minute";
    return {};
  }
  return future.get();
}

}  // namespace steroid_advisor::plugin
