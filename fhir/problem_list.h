// A ProblemList collects the problems of a validation ("<json path>: <what is wrong>", one per
// line) so every one is reported at once, in one InvalidArgument (config validation: cards/ and
// plugin/ sections of the same file). Lines never carry values, only paths.
// Thread-safety: a value type; one list per validation.
#ifndef STEROID_ADVISOR_FHIR_PROBLEM_LIST_H_
#define STEROID_ADVISOR_FHIR_PROBLEM_LIST_H_

#include <string>
#include <string_view>
#include <vector>

#include "fhir/status.h"

namespace steroid_advisor::fhir {

class ProblemList {
 public:
  void Add(const std::string& path, const std::string& what);
  // Adds each non-empty line of `text` as it is (problems already rendered as "path: what", e.g.
  // the message of another validation's InvalidArgument).
  void AddLines(std::string_view text);

  bool empty() const { return lines_.empty(); }
  // The problems, one per line, in the order found.
  std::string Joined() const;
  // OK when empty, else InvalidArgument with Joined() as its message.
  Status ToStatus() const;

 private:
  std::vector<std::string> lines_;
};

}  // namespace steroid_advisor::fhir

#endif  // STEROID_ADVISOR_FHIR_PROBLEM_LIST_H_
