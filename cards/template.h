// Card text templates: "{{name}}" placeholders replaced by values a rule sets. Values are cut to
// the catalogue's maximum length (cards/placeholders.h) so a template's worst case, checked when
// the config is loaded, bounds every rendering.
// Owns: TemplateValues owns copies of its values. Thread-safety: value type; stateless
// functions, safe from any thread.
#ifndef STEROID_ADVISOR_CARDS_TEMPLATE_H_
#define STEROID_ADVISOR_CARDS_TEMPLATE_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace steroid_advisor::cards {

// A TemplateValues maps placeholder names to the text they render as.
class TemplateValues {
 public:
  // Replaces any earlier value of `name`.
  void Set(std::string_view name, std::string value);
  // The value set for `name` (uncut), or nullptr.
  const std::string* Find(std::string_view name) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// `text` with each {{name}} (spaces inside the braces allowed) replaced by its value, cut to the
// catalogue maximum with a trailing "…". Placeholders not in the catalogue, or not set, render as
// empty. A "{{" without a closing "}}" is kept as written.
std::string RenderTemplate(std::string_view text, const TemplateValues& values);

// A number as card text: at most 2 decimals, no trailing zeros or ".": 40, 1000, 187.5, 0.75.
// Empty for NaN or infinity.
std::string FormatNumber(double value);

// One piece of a template: literal text, or a placeholder name (trimmed of spaces).
struct TemplatePiece {
  bool is_placeholder = false;
  std::string_view text;
};

// `text` split into pieces; an unclosed "{{" and what follows stay literal.
std::vector<TemplatePiece> SplitTemplate(std::string_view text);

// Characters (Unicode code points) in UTF-8 `text`; what the 140-character summary limit counts.
std::size_t CountCharacters(std::string_view text);

// The longest `text` can render to, in characters: literal text plus each catalogued
// placeholder's maximum (unknown placeholders render empty).
std::size_t WorstCaseRenderedLength(std::string_view text);

}  // namespace steroid_advisor::cards

#endif  // STEROID_ADVISOR_CARDS_TEMPLATE_H_
