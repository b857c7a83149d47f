#include "fhir/json_parse.h"

#include <set>
#include <string>
#include <vector>

#include "rapidjson/error/en.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"

namespace steroid_advisor::fhir {
namespace {

// Forwards SAX events to the document while counting open containers; returning false from a
// handler stops the parse (kParseErrorTermination).
// With duplicate checking on, it also keeps the member names of every open object (std::set, not
// a hash set: member names are the attacker's, and ordered lookups have no bad inputs).
class DepthLimitedHandler {
 public:
  DepthLimitedHandler(rapidjson::Document& document, const JsonParseOptions& options)
      : document_(document),
        max_depth_(options.max_depth),
        check_duplicates_(options.reject_duplicate_members) {}

  bool Null() { return Value() && document_.Null(); }
  bool Bool(bool b) { return Value() && document_.Bool(b); }
  bool Int(int i) { return Value() && document_.Int(i); }
  bool Uint(unsigned u) { return Value() && document_.Uint(u); }
  bool Int64(int64_t i) { return Value() && document_.Int64(i); }
  bool Uint64(uint64_t u) { return Value() && document_.Uint64(u); }
  bool Double(double d) { return Value() && document_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return Value() && document_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return Value() && document_.String(s, n, copy);
  }
  bool StartObject() { return Value() && Open(true) && document_.StartObject(); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    if (check_duplicates_) {
      Frame& object = frames_.back();
      object.key.assign(s, n);
      if (!object.names.insert(object.key).second) {
        duplicate_ = true;
        duplicate_path_ = Path();
        return false;
      }
    }
    return document_.Key(s, n, copy);
  }
  bool EndObject(rapidjson::SizeType n) {
    Close();
    return document_.EndObject(n);
  }
  bool StartArray() { return Value() && Open(false) && document_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    Close();
    return document_.EndArray(n);
  }

  bool too_deep() const { return too_deep_; }
  bool duplicate() const { return duplicate_; }
  // The path of the first member named twice (`""` for an empty name at the root).
  const std::string& duplicate_path() const { return duplicate_path_; }

 private:
  struct Frame {
    bool object = false;
    std::set<std::string> names;  // objects: every member name so far
    std::string key;              // objects: the member being read
    size_t elements = 0;          // arrays: elements begun so far
  };

  // Every value: counts array elements, for the path.
  bool Value() {
    if (check_duplicates_ && !frames_.empty() && !frames_.back().object) {
      ++frames_.back().elements;
    }
    return true;
  }

  bool Open(bool object) {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    if (check_duplicates_) {
      frames_.emplace_back();
      frames_.back().object = object;
    }
    return true;
  }

  void Close() {
    --depth_;
    if (check_duplicates_ && !frames_.empty()) frames_.pop_back();
  }

  std::string Path() const {
    std::string path;
    for (const Frame& frame : frames_) {
      if (frame.object) {
        if (!path.empty()) path += '.';
        path += frame.key.empty() ? "\"\"" : frame.key;
      } else {
        path += '[' + std::to_string(frame.elements - 1) + ']';
      }
    }
    // Member names are the sender's: keep the message short whatever they are.
    constexpr size_t kMaxPathBytes = 200;
    if (path.size() > kMaxPathBytes) path = path.substr(0, kMaxPathBytes) + "...";
    return path;
  }

  rapidjson::Document& document_;
  const int max_depth_;
  const bool check_duplicates_;
  int depth_ = 0;
  bool too_deep_ = false;
  std::vector<Frame> frames_;
  bool duplicate_ = false;
  std::string duplicate_path_;
};

// Drives the reader for Document::Populate, which owns the document's value stack.
class BoundedGenerator {
 public:
  BoundedGenerator(std::string_view text, const JsonParseOptions& options,
                   rapidjson::Document& document)
      : text_(text), handler_(document, options) {}

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
  bool duplicate() const { return handler_.duplicate(); }
  const std::string& duplicate_path() const { return handler_.duplicate_path(); }
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
  if (generator.duplicate()) {
    return InvalidArgumentError("duplicate member " + generator.duplicate_path());
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
  return OkStatus();
}

}  // namespace steroid_advisor::fhir
