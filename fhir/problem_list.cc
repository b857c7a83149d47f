#include "fhir/problem_list.h"

namespace steroid_advisor::fhir {

void ProblemList::Add(const std::string& path, const std::string& what) {
  lines_.push_back(path + ": " + what);
}

void ProblemList::AddLines(std::string_view text) {
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty()) lines_.emplace_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

std::string ProblemList::Joined() const {
  std::string joined;
  for (const std::string& line : lines_) {
    if (!joined.empty()) joined += '\n';
    joined += line;
  }
  return joined;
}

Status ProblemList::ToStatus() const {
  return empty() ? OkStatus() : InvalidArgumentError(Joined());
}

}  // namespace steroid_advisor::fhir
