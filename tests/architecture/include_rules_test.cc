// The folder graph of docs/ARCHITECTURE.md, checked against the code: every #include of ours
// goes down the graph (or stays in its folder), and cards/ and fhir/ never see a transport or
// TLS library. The table in the document is the rule, so the picture cannot drift from the code.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = STEROID_ADVISOR_SOURCE_DIR;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Rows "folder  word word ..." of the fenced block between the two markers.
std::map<std::string, std::vector<std::string>> ReadTable(const std::string& doc,
                                                          const std::string& name) {
  std::map<std::string, std::vector<std::string>> rows;
  size_t begin = doc.find("<!-- " + name + ":begin -->");
  size_t end = doc.find("<!-- " + name + ":end -->");
  if (begin == std::string::npos || end == std::string::npos) return rows;
  std::istringstream block(doc.substr(begin, end - begin));
  std::string line;
  while (std::getline(block, line)) {
    std::istringstream words(line);
    std::string folder;
    if (!(words >> folder) || folder.rfind("<!--", 0) == 0 || folder.rfind("```", 0) == 0 ||
        folder == "folder") {
      continue;
    }
    std::vector<std::string>& targets = rows[folder];
    for (std::string word; words >> word;) {
      if (word != "-") targets.push_back(word);
    }
  }
  return rows;
}

// The row a path belongs to: the longest folder in `folders` that is a prefix of it.
std::string FolderOf(const std::string& path, const std::vector<std::string>& folders) {
  std::string best;
  for (const std::string& folder : folders) {
    if (path.rfind(folder + "/", 0) == 0 && folder.size() > best.size()) best = folder;
  }
  return best;
}

struct Include {
  std::string file;  // relative to the source dir
  std::string target;
};

std::vector<Include> IncludesUnder(const std::string& top) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::vector<Include> includes;
  for (const auto& entry : fs::recursive_directory_iterator(kSourceDir / top)) {
    const std::string extension = entry.path().extension().string();
    if (!entry.is_regular_file() || (extension != ".h" && extension != ".cc")) continue;
    const std::string file = fs::relative(entry.path(), kSourceDir).generic_string();
    std::istringstream text(ReadFile(entry.path()));
    std::smatch match;
    for (std::string line; std::getline(text, line);) {
      if (std::regex_search(line, match, kInclude)) includes.push_back({file, match[1]});
    }
  }
  return includes;
}

class IncludeRules : public testing::Test {
 protected:
  void SetUp() override {
    doc_ = ReadFile(kSourceDir / "docs" / "ARCHITECTURE.md");
    allowed_ = ReadTable(doc_, "include-rules");
    for (const auto& [folder, targets] : allowed_) folders_.push_back(folder);
  }

  std::string doc_;
  std::map<std::string, std::vector<std::string>> allowed_;
  std::vector<std::string> folders_;
};

TEST_F(IncludeRules, DocumentHasTheTable) {
  ASSERT_FALSE(allowed_.empty()) << "docs/ARCHITECTURE.md lost its include-rules block";
  for (const char* folder : {"fhir", "cards", "plugin", "plugin/http", "plugin/hooks"}) {
    EXPECT_EQ(allowed_.count(folder), 1u) << folder;
  }
}

TEST_F(IncludeRules, EveryProjectIncludeGoesDownTheGraph) {
  for (const std::string top : {"fhir", "cards", "plugin"}) {
    for (const Include& include : IncludesUnder(top)) {
      const std::string target = FolderOf(include.target, folders_);
      if (target.empty()) continue;  // not ours: a system or third-party header
      const std::string from = FolderOf(include.file, folders_);
      ASSERT_FALSE(from.empty()) << include.file << " is in no folder of the table";
      if (from == target) continue;
      const std::vector<std::string>& may = allowed_[from];
      EXPECT_NE(std::find(may.begin(), may.end(), target), may.end())
          << include.file << " includes " << include.target << ": " << from
          << " may not include " << target << " (docs/ARCHITECTURE.md)";
    }
  }
}

TEST_F(IncludeRules, PureFoldersNeverSeeTransportOrTls) {
  const auto forbidden = ReadTable(doc_, "forbidden-includes");
  ASSERT_FALSE(forbidden.empty());
  for (const auto& [folder, prefixes] : forbidden) {
    for (const Include& include : IncludesUnder(folder)) {
      for (const std::string& prefix : prefixes) {
        EXPECT_NE(include.target.rfind(prefix, 0), 0u)
            << include.file << " includes " << include.target << " (forbidden in " << folder
            << "/)";
      }
    }
  }
}

TEST_F(IncludeRules, PluginTopHoldsAtMostFourSourceFiles) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(kSourceDir / "plugin")) {
    const std::string extension = entry.path().extension().string();
    if (entry.is_regular_file() && (extension == ".h" || extension == ".cc") &&
        entry.path().filename() != "main.cc") {
      ++count;
    }
  }
  EXPECT_LE(count, 4) << "new plugin code goes into the concern folder it belongs to";
}

}  // namespace
