#include "cards/template.h"

#include <charconv>
#include <cmath>

#include "cards/placeholders.h"
#include "fhir/ascii.h"

namespace steroid_advisor::cards {
namespace {

constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one character

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// `value` cut to at most `max_chars` characters, the last being "…" when it was cut. Cuts on a
// code point boundary so the result stays valid UTF-8.
std::string CapValue(const std::string& value, std::size_t max_chars) {
  if (CountCharacters(value) <= max_chars) return value;
  if (max_chars == 0) return "";
  std::size_t keep_chars = max_chars - 1;
  std::size_t end = 0;
  std::size_t chars = 0;
  while (end < value.size()) {
    if (!IsContinuationByte(value[end])) {
      if (chars == keep_chars) break;
      ++chars;
    }
    ++end;
  }
  std::string capped = value.substr(0, end);
  capped.append(kEllipsis);
  return capped;
}

}  // namespace

void TemplateValues::Set(std::string_view name, std::string value) {
  values_[std::string(name)] = std::move(value);
}

const std::string* TemplateValues::Find(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

std::vector<TemplatePiece> SplitTemplate(std::string_view text) {
  std::vector<TemplatePiece> pieces;
  std::size_t literal_start = 0;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = text.find(kOpen, pos);
    if (open == std::string_view::npos) break;
    std::size_t close = text.find(kClose, open + kOpen.size());
    if (close == std::string_view::npos) break;  // unclosed: the rest is literal
    if (open > literal_start) {
      pieces.push_back({false, text.substr(literal_start, open - literal_start)});
    }
    std::string_view name = text.substr(open + kOpen.size(), close - open - kOpen.size());
    pieces.push_back({true, fhir::TrimAsciiWhitespace(name)});
    pos = close + kClose.size();
    literal_start = pos;
  }
  if (literal_start < text.size()) pieces.push_back({false, text.substr(literal_start)});
  return pieces;
}

std::string RenderTemplate(std::string_view text, const TemplateValues& values) {
  std::string out;
  out.reserve(text.size() + 64);
  for (const TemplatePiece& piece : SplitTemplate(text)) {
    if (!piece.is_placeholder) {
      out.append(piece.text);
      continue;
    }
    const Placeholder* placeholder = FindPlaceholder(piece.text);
    const std::string* value = values.Find(piece.text);
    if (placeholder == nullptr || value == nullptr) continue;
    out.append(CapValue(*value, placeholder->max_chars));
  }
  return out;
}

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return "";
  char buffer[400];  // %.2f of DBL_MAX is 312 characters
  // std::to_chars prints exactly what printf's "%.2f" prints (C locale), without parsing a
  // format string: it runs for every number of every card.
  std::to_chars_result printed =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed, 2);
  if (printed.ec != std::errc()) return "";
  std::string text(buffer, printed.ptr);
  // "%.2f" always prints a '.', so stripping zeros stops there at the latest.
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";  // -0.001 rounds to "-0.00"
  return text;
}

std::size_t CountCharacters(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if (!IsContinuationByte(c)) ++count;
  }
  return count;
}

std::size_t WorstCaseRenderedLength(std::string_view text) {
  std::size_t length = 0;
  for (const TemplatePiece& piece : SplitTemplate(text)) {
    if (!piece.is_placeholder) {
      length += CountCharacters(piece.text);
      continue;
    }
    const Placeholder* placeholder = FindPlaceholder(piece.text);
    if (placeholder != nullptr) length += placeholder->max_chars;
  }
  return length;
}

}  // namespace steroid_advisor::cards
