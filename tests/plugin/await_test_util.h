// Blocking views of the asynchronous handler and fetcher interfaces, for tests only: a test
// thread may wait; a server thread never does.
// Thread-safety: each call waits on its own future.
#ifndef STEROID_ADVISOR_TESTS_PLUGIN_AWAIT_TEST_UTIL_H_
#define STEROID_ADVISOR_TESTS_PLUGIN_AWAIT_TEST_UTIL_H_

#include <functional>
#include <memory>
#include <vector>

#include "plugin/hooks/handler_context.h"
#include "plugin/http/message.h"
#include "plugin/record/fetcher.h"

namespace steroid_advisor::plugin {

// Runs `start` with a Respond and waits (up to a minute) for the response it gets. A response
// that never comes is a test failure and a 599 status.
HttpResponse AwaitResponse(const std::function<void(Respond)>& start);

// HandleRequest (router.h) waited for.
HttpResponse HandleRequestAndWait(const HttpRequest& request, const HandlerContext& context);

// RecordFetcher::Fetch waited for.
std::vector<FetchedKey> FetchAndWait(RecordFetcher& fetcher, RecordFetchRequest request);

}  // namespace steroid_advisor::plugin

#endif  // STEROID_ADVISOR_TESTS_PLUGIN_AWAIT_TEST_UTIL_H_
