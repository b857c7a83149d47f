#include "plugin/config/diff.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>

#include "rapidjson/error/en.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace steroid_advisor::plugin {
namespace {

struct Leaf {
  std::string path;
  std::string json;
};

// Flattens a document into its leaves with SAX events, so no rapidjson::Value is ever read
// (STYLE.md: only fhir/json_access.h reads values) and member order is kept as written.
class LeafCollector {
 public:
  explicit LeafCollector(int max_depth) : max_depth_(max_depth) {}

  bool Null() {
    return Scalar([](Writer& w) { return w.Null(); });
  }
  bool Bool(bool b) {
    return Scalar([b](Writer& w) { return w.Bool(b); });
  }
  bool Int(int i) {
    return Scalar([i](Writer& w) { return w.Int(i); });
  }
  bool Uint(unsigned u) {
    return Scalar([u](Writer& w) { return w.Uint(u); });
  }
  bool Int64(int64_t i) {
    return Scalar([i](Writer& w) { return w.Int64(i); });
  }
  bool Uint64(uint64_t u) {
    return Scalar([u](Writer& w) { return w.Uint64(u); });
  }
  bool Double(double d) {
    return Scalar([d](Writer& w) { return w.Double(d); });
  }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return Scalar([s, n](Writer& w) { return w.RawValue(s, n, rapidjson::kNumberType); });
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return Scalar([s, n](Writer& w) { return w.String(s, n); });
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    frames_.back().key.assign(s, n);
    return true;
  }
  bool StartObject() { return Open(/*is_array=*/false); }
  bool EndObject(rapidjson::SizeType count) { return Close(count, "{}"); }
  bool StartArray() { return Open(/*is_array=*/true); }
  bool EndArray(rapidjson::SizeType count) { return Close(count, "[]"); }

  std::vector<Leaf> TakeLeaves() { return std::move(leaves_); }
  bool too_deep() const { return too_deep_; }

 private:
  using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

  struct Frame {
    std::string path;  // of the container itself
    bool is_array = false;
    size_t next_index = 0;
    std::string key;  // the member being read, for objects
  };

  // The path of the value that starts now, inside the innermost open container.
  std::string ChildPath() {
    if (frames_.empty()) return "";
    Frame& frame = frames_.back();
    if (frame.is_array) return frame.path + "[" + std::to_string(frame.next_index++) + "]";
    return frame.path.empty() ? frame.key : frame.path + "." + frame.key;
  }

  template <typename WriteFn>
  bool Scalar(WriteFn write) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    write(writer);
    leaves_.push_back({ChildPath(), std::string(buffer.GetString(), buffer.GetSize())});
    return true;
  }

  bool Open(bool is_array) {
    if (static_cast<int>(frames_.size()) >= max_depth_) {
      too_deep_ = true;
      return false;
    }
    Frame frame;
    frame.path = ChildPath();
    frame.is_array = is_array;
    frames_.push_back(std::move(frame));
    return true;
  }

  // An empty container is a leaf of its own, so "[] -> [x]" and "{} -> absent" show up.
  bool Close(rapidjson::SizeType count, const char* empty_json) {
    std::string path = std::move(frames_.back().path);
    frames_.pop_back();
    if (count == 0) leaves_.push_back({std::move(path), empty_json});
    return true;
  }

  const int max_depth_;
  std::vector<Frame> frames_;
  std::vector<Leaf> leaves_;
  bool too_deep_ = false;
};

StatusOr<std::vector<Leaf>> CollectLeaves(std::string_view text, int max_depth,
                                          std::string_view which) {
  LeafCollector collector(max_depth);
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  rapidjson::ParseResult result = reader.Parse<rapidjson::kParseIterativeFlag>(stream, collector);
  if (collector.too_deep()) {
    return InvalidArgumentError(std::string(which) + ": json nested deeper than " +
                                std::to_string(max_depth));
  }
  if (result.IsError()) {
    return InvalidArgumentError(std::string(which) + ": malformed json at offset " +
                                std::to_string(result.Offset()) + ": " +
                                rapidjson::GetParseError_En(result.Code()));
  }
  return collector.TakeLeaves();
}

}  // namespace

StatusOr<std::vector<ConfigChange>> DiffConfigJson(std::string_view old_text,
                                                   std::string_view new_text, int max_depth) {
  StatusOr<std::vector<Leaf>> old_leaves = CollectLeaves(old_text, max_depth, "old config");
  if (!old_leaves.ok()) return old_leaves.status();
  StatusOr<std::vector<Leaf>> new_leaves = CollectLeaves(new_text, max_depth, "new config");
  if (!new_leaves.ok()) return new_leaves.status();

  // Duplicate member names are invalid config anyway; the last one wins, as in the parser.
  std::unordered_map<std::string, const std::string*> new_by_path;
  for (const Leaf& leaf : *new_leaves) new_by_path[leaf.path] = &leaf.json;
  std::unordered_map<std::string, bool> in_old;

  std::vector<ConfigChange> changes;
  for (const Leaf& leaf : *old_leaves) {
    in_old[leaf.path] = true;
    auto it = new_by_path.find(leaf.path);
    if (it == new_by_path.end()) {
      changes.push_back({leaf.path, leaf.json, "null"});
    } else if (*it->second != leaf.json) {
      changes.push_back({leaf.path, leaf.json, *it->second});
    }
  }
  for (const Leaf& leaf : *new_leaves) {
    if (in_old.count(leaf.path) == 0) changes.push_back({leaf.path, "null", leaf.json});
  }
  return changes;
}

}  // namespace steroid_advisor::plugin
