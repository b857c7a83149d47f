#include "fhir/json_parse.h"

#include <string>

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

// Drives the reader for Document::Populate, which owns the document's value stack.
class BoundedGenerator {
 public:
  BoundedGenerator(std::string_view text, int max_depth, rapidjson::Document& document)
      : text_(text), handler_(document, max_depth) {}

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
  BoundedGenerator generator(text, max_depth, document);
  document.Populate(generator);
  if (generator.too_deep()) {
    return InvalidArgumentError("json nested deeper than " + std::to_string(max_depth) +
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
  return OkStatus();
}

}  // namespace steroid_advisor::fhir
