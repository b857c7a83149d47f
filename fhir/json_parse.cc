#include "fhir/json_parse.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "rapidjson/error/en.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"

namespace steroid_advisor::fhir {
namespace {

// Forwards SAX events to the document while counting open containers; returning false from a
// handler stops the parse (kParseErrorTermination).
class DepthLimitedHandler {
 public:
  DepthLimitedHandler(rapidjson::Document& document, int max_depth)
      : document_(document), max_depth_(max_depth) {}

  bool Null() { return document_.Null(); }
  bool Bool(bool b) { return document_.Bool(b); }
  bool Int(int i) { return document_.Int(i); }
  bool Uint(unsigned u) { return document_.Uint(u); }
  bool Int64(int64_t i) { return document_.Int64(i); }
  bool Uint64(uint64_t u) { return document_.Uint64(u); }
  bool Double(double d) { return document_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return document_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return document_.String(s, n, copy);
  }
  bool StartObject() { return Open() && document_.StartObject(); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return document_.Key(s, n, copy); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return document_.EndObject(n);
  }
  bool StartArray() { return Open() && document_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return document_.EndArray(n);
  }

  bool too_deep() const { return too_deep_; }

 private:
  bool Open() {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  rapidjson::Document& document_;
  const int max_depth_;
  int depth_ = 0;
  bool too_deep_ = false;
};

std::string_view NameOf(const rapidjson::Value::ConstMemberIterator& member) {
  return std::string_view(member->name.GetString(), member->name.GetStringLength());
}

// The index of the first member of `object` whose name an earlier member already has, or the
// member count when there is none. Small objects (nearly every FHIR object) compare pairwise
// without allocating; larger ones sort their names, so no input costs more than n log n.
size_t FirstRepeatedMember(const rapidjson::Value& object,
                           std::vector<std::pair<std::string_view, size_t>>& scratch) {
  const size_t count = object.MemberCount();
  const auto begin = object.MemberBegin();
  constexpr size_t kPairwiseUpTo = 16;
  if (count <= kPairwiseUpTo) {
    for (size_t i = 1; i < count; ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (NameOf(begin + i) == NameOf(begin + j)) return i;
      }
    }
    return count;
  }
  scratch.clear();
  for (size_t i = 0; i < count; ++i) scratch.emplace_back(NameOf(begin + i), i);
  std::sort(scratch.begin(), scratch.end());
  size_t first = count;
  for (size_t i = 1; i < scratch.size(); ++i) {
    // Sorted by (name, index): any but the first of a run repeats a name.
    if (scratch[i].first == scratch[i - 1].first) first = std::min(first, scratch[i].second);
  }
  return first;
}

// Appends `name` to a path in the style of our messages (`a.b[1].c`; `""` for the empty name).
void AppendName(std::string_view name, std::string& path) {
  if (!path.empty()) path += '.';
  if (name.empty()) {
    path += "\"\"";
  } else {
    path.append(name.data(), name.size());
  }
}

// Finds, in the order a reader meets them, the first member named twice under `value`; on
// success `path` is its path. Recursion is bounded by the depth limit the parse enforced.
bool FindRepeatedMember(const rapidjson::Value& value, std::string& path,
                        std::vector<std::pair<std::string_view, size_t>>& scratch) {
  const size_t length = path.size();
  if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      if (!value[i].IsObject() && !value[i].IsArray()) continue;
      path += '[' + std::to_string(i) + ']';
      if (FindRepeatedMember(value[i], path, scratch)) return true;
      path.resize(length);
    }
    return false;
  }
  if (!value.IsObject()) return false;
  const size_t repeated = FirstRepeatedMember(value, scratch);
  // The members before the repeated one, and what they hold, come first in the text.
  auto member = value.MemberBegin();
  for (size_t i = 0; i < repeated; ++i, ++member) {
    if (!member->value.IsObject() && !member->value.IsArray()) continue;
    AppendName(NameOf(member), path);
    if (FindRepeatedMember(member->value, path, scratch)) return true;
    path.resize(length);
  }
  if (repeated == value.MemberCount()) return false;
  AppendName(NameOf(member), path);
  return true;
}

// Drives the reader for Document::Populate, which owns the document's value stack.
class BoundedGenerator {
 public:
  BoundedGenerator(std::string_view text, const JsonParseOptions& options,
                   rapidjson::Document& document)
      : text_(text), handler_(document, options.max_depth) {}

  bool operator()(rapidjson::Document& document) {
    (void)document;
    rapidjson::MemoryStream stream(text_.data(), text_.size());
    rapidjson::Reader reader;
    // Encoding is validated because JSON must be UTF-8 and strings read here are written back
    // into card JSON for the EHR; RapidJSON copies invalid bytes through unless asked.
    result_ = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag |
                           rapidjson::kParseValidateEncodingFlag>(stream, handler_);
    end_offset_ = stream.Tell();
    return !result_.IsError();
  }

  const rapidjson::ParseResult& result() const { return result_; }
  bool too_deep() const { return handler_.too_deep(); }
  size_t end_offset() const { return end_offset_; }

 private:
  std::string_view text_;
  size_t end_offset_ = 0;
  DepthLimitedHandler handler_;
  rapidjson::ParseResult result_;
};

// Offset of the first character at or after `offset` that is not JSON whitespace; text.size()
// when there is none.
size_t SkipWhitespace(std::string_view text, size_t offset) {
  while (offset < text.size()) {
    char c = text[offset];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
    ++offset;
  }
  return offset;
}

}  // namespace

Status ParseJson(std::string_view text, int max_depth, rapidjson::Document& document) {
  JsonParseOptions options;
  options.max_depth = max_depth;
  return ParseJson(text, options, document);
}

Status ParseJson(std::string_view text, const JsonParseOptions& options,
                 rapidjson::Document& document) {
  BoundedGenerator generator(text, options, document);
  document.Populate(generator);
  if (generator.too_deep()) {
    return InvalidArgumentError("json nested deeper than " + std::to_string(options.max_depth) +
                                " levels");
  }
  const rapidjson::ParseResult& result = generator.result();
  if (result.IsError()) {
    return InvalidArgumentError("malformed json at offset " + std::to_string(result.Offset()) +
                                ": " + rapidjson::GetParseError_En(result.Code()));
  }
  // kParseStopWhenDoneFlag lets us report trailing garbage ourselves, at its first character.
  const size_t garbage = SkipWhitespace(text, generator.end_offset());
  if (garbage != text.size()) {
    return InvalidArgumentError("malformed json at offset " + std::to_string(garbage) +
                                ": trailing characters after the root value");
  }
  // Checked on the finished document rather than while reading: a set of names per open object
  // was a large share of the hook handler's allocations.
  if (options.reject_duplicate_members) {
    std::string path;
    std::vector<std::pair<std::string_view, size_t>> scratch;
    if (FindRepeatedMember(document, path, scratch)) {
      // Member names are the sender's: keep the message short whatever they are.
      constexpr size_t kMaxPathBytes = 200;
      if (path.size() > kMaxPathBytes) path = path.substr(0, kMaxPathBytes) + "...";
      return InvalidArgumentError("duplicate member " + path);
    }
  }
  return OkStatus();
}

}  // namespace steroid_advisor::fhir
