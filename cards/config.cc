#include "cards/config.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "cards/placeholders.h"
#include "cards/template.h"
#include "fhir/json_access.h"
#include "fhir/json_parse.h"
#include "fhir/problem_list.h"

namespace steroid_advisor::cards {

extern const std::string_view kEmbeddedDefaultConfigJson;

namespace {

using fhir::JsonValue;

// CDS Hooks 2.0: card.summary is a "<140-character summary message".
constexpr std::size_t kSummaryLimitChars = 140;
// Keys and codes are echoed into problem paths; keep a pasted paragraph from flooding them.
constexpr std::size_t kMaxEchoedKeyChars = 64;

// What each rule must configure: the contract with cards/rules/ (see the brief and RULES.md).
struct RuleSpec {
  std::string_view id;
  std::vector<std::string_view> variants;
  std::vector<std::string_view> suggestions;  // suggestion ids the rule offers
};

const std::vector<RuleSpec>& RuleSpecs() {
  static const std::vector<RuleSpec>* const kSpecs = new std::vector<RuleSpec>{
      {"steroid-premedication", {"missing", "low-dose", "too-few-days"}, {"add-premedication"}},
      {"antiviral-prophylaxis", {"missing"}, {"add-antiviral"}},
      {"prolonged-steroid",
       {"warning", "critical", "critical-pjp-active", "dose-unknown"},
       {"shorten-course", "add-pjp-prophylaxis"}},
      {"overlapping-immunosuppression", {"default"}, {}},
      {"relapse-steroid-course", {"default", "dose-unknown"}, {}},
  };
  return *kSpecs;
}

// A key made safe to print in a one-line path: control characters replaced, length capped.
std::string Printable(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, kMaxEchoedKeyChars)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  if (key.size() > kMaxEchoedKeyChars) out += "...";
  return out;
}

std::string Child(const std::string& path, std::string_view key) {
  return path.empty() ? Printable(key) : path + "." + Printable(key);
}

std::string Element(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// For "got N" in messages: short and exact for the whole numbers thresholds mostly are.
std::string NumberForMessage(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

bool Contains(const std::vector<std::string_view>& list, std::string_view item) {
  for (std::string_view entry : list) {
    if (entry == item) return true;
  }
  return false;
}

// Reports every member of `object` not in `allowed` as `unknown_message`, and any key given twice
// (RapidJSON keeps both; FindMember would silently read the first).
void CheckKeys(const JsonValue& object, const std::string& path,
               const std::vector<std::string_view>& allowed, std::string_view unknown_message,
               fhir::ProblemList& problems) {
  std::set<std::string_view> seen;
  for (const auto& [name, value] : fhir::ObjectMembers(object)) {
    (void)value;
    if (!seen.insert(name).second) {
      problems.Add(Child(path, name), "duplicate key");
    } else if (!Contains(allowed, name)) {
      problems.Add(Child(path, name), std::string(unknown_message));
    }
  }
}

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

// The member `key` as an object; reports "required" or "expected an object" and answers nullptr.
const JsonValue* ReadObject(const JsonValue& parent, const std::string& path, std::string_view key,
                            fhir::ProblemList& problems) {
  const JsonValue* member = fhir::FindMember(parent, key);
  if (member == nullptr) {
    problems.Add(Child(path, key), "required");
    return nullptr;
  }
  if (!member->IsObject()) {
    problems.Add(Child(path, key), "expected an object");
    return nullptr;
  }
  return member;
}

// A required, non-blank string member.
std::optional<std::string> ReadText(const JsonValue& parent, const std::string& path,
                                    std::string_view key, fhir::ProblemList& problems) {
  if (fhir::FindMember(parent, key) == nullptr) {
    problems.Add(Child(path, key), "required");
    return std::nullopt;
  }
  std::optional<std::string_view> text = fhir::FindString(parent, key);
  if (!text.has_value()) {
    problems.Add(Child(path, key), "expected a string");
    return std::nullopt;
  }
  if (IsBlank(*text)) {
    problems.Add(Child(path, key), "must not be empty");
    return std::nullopt;
  }
  return std::string(*text);
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Absolute http(s) URL with a host: what CDS Hooks clients can open from a card ("absolute"
// links). Whitespace and control characters are refused because clients will not escape them.
bool IsAbsoluteHttpUrl(std::string_view url) {
  std::size_t scheme_length = 0;
  if (StartsWithIgnoringCase(url, "https://")) {
    scheme_length = 8;
  } else if (StartsWithIgnoringCase(url, "http://")) {
    scheme_length = 7;
  } else {
    return false;
  }
  if (url.size() == scheme_length) return false;
  char first_host_char = url[scheme_length];
  if (first_host_char == '/' || first_host_char == '?' || first_host_char == '#' ||
      first_host_char == ':') {
    return false;
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

std::optional<std::string> ReadUrl(const JsonValue& parent, const std::string& path,
                                   std::string_view key, fhir::ProblemList& problems) {
  std::optional<std::string> url = ReadText(parent, path, key, problems);
  if (!url.has_value()) return std::nullopt;
  if (!IsAbsoluteHttpUrl(*url)) {
    problems.Add(Child(path, key), "expected an absolute http(s) url");
    return std::nullopt;
  }
  return url;
}

// Override reason codes travel in feedback as a FHIR Coding code: keep them to token characters.
bool IsReasonCode(std::string_view code) {
  if (code.empty() || code.size() > kMaxEchoedKeyChars) return false;
  for (char c : code) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// ---- thresholds ----

// Ranges are clinical sanity bounds (deploy/config/README.md explains each). The upper bounds
// also size the placeholders that render these numbers (cards/placeholders.cc).
struct WholeThreshold {
  std::string_view key;
  int Thresholds::*field;
  int min;
  int max;
};

struct MassThreshold {
  std::string_view key;
  double Thresholds::*field;
  double min;
  double max;
};

const std::vector<WholeThreshold>& WholeThresholds() {
  static const std::vector<WholeThreshold>* const kTable = new std::vector<WholeThreshold>{
      {"exposureWindowMonths", &Thresholds::exposure_window_months, 1, 60},
      {"prolongedDays", &Thresholds::prolonged_days, 1, 365},
      {"highDoseDays", &Thresholds::high_dose_days, 1, 365},
      {"premedicationDays", &Thresholds::premedication_days, 1, 10},
      {"shortCourseDays", &Thresholds::short_course_days, 1, 30},
  };
  return *kTable;
}

const std::vector<MassThreshold>& MassThresholds() {
  static const std::vector<MassThreshold>* const kTable = new std::vector<MassThreshold>{
      {"highDosePrednisoneMg", &Thresholds::high_dose_prednisone_mg, 1, 1000},
      {"premedicationMethylprednisoloneMg", &Thresholds::premedication_methylprednisolone_mg, 100,
       2000},
  };
  return *kTable;
}

// A number member within [min, max]; reports the problem and answers nullopt otherwise.
std::optional<double> ReadRangedNumber(const JsonValue& object, const std::string& path,
                                       std::string_view key, double min, double max, bool whole,
                                       fhir::ProblemList& problems) {
  std::string member_path = Child(path, key);
  if (fhir::FindMember(object, key) == nullptr) {
    problems.Add(member_path, "required");
    return std::nullopt;
  }
  std::optional<double> value = fhir::FindNumber(object, key);
  if (!value.has_value()) {
    problems.Add(member_path, "expected a number");
    return std::nullopt;
  }
  if (!(*value >= min && *value <= max)) {
    problems.Add(member_path, "must be between " + NumberForMessage(min) + " and " +
                                  NumberForMessage(max) + ", got " + NumberForMessage(*value));
    return std::nullopt;
  }
  if (whole && std::floor(*value) != *value) {
    problems.Add(member_path, "must be a whole number, got " + NumberForMessage(*value));
    return std::nullopt;
  }
  return value;
}

Thresholds ParseThresholds(const JsonValue& object, const std::string& path,
                           fhir::ProblemList& problems) {
  Thresholds thresholds;
  std::vector<std::string_view> keys;
  for (const WholeThreshold& spec : WholeThresholds()) keys.push_back(spec.key);
  for (const MassThreshold& spec : MassThresholds()) keys.push_back(spec.key);
  CheckKeys(object, path, keys, "unknown threshold", problems);

  bool prolonged_ok = false;
  bool short_course_ok = false;
  for (const WholeThreshold& spec : WholeThresholds()) {
    std::optional<double> value =
        ReadRangedNumber(object, path, spec.key, spec.min, spec.max, /*whole=*/true, problems);
    if (!value.has_value()) continue;
    thresholds.*spec.field = static_cast<int>(*value);
    if (spec.key == "prolongedDays") prolonged_ok = true;
    if (spec.key == "shortCourseDays") short_course_ok = true;
  }
  for (const MassThreshold& spec : MassThresholds()) {
    std::optional<double> value =
        ReadRangedNumber(object, path, spec.key, spec.min, spec.max, /*whole=*/false, problems);
    if (value.has_value()) thresholds.*spec.field = *value;
  }
  // A short relapse course must stay clear of "prolonged", or one order would be both.
  if (prolonged_ok && short_course_ok &&
      thresholds.prolonged_days <= thresholds.short_course_days) {
    problems.Add(Child(path, "prolongedDays"), "must be greater than shortCourseDays (" +
                                                   std::to_string(thresholds.short_course_days) +
                                                   "), got " +
                                                   std::to_string(thresholds.prolonged_days));
  }
  return thresholds;
}

// ---- templates ----

void CheckTemplate(std::string_view text, std::string_view rule_id, std::string_view variant,
                   const std::string& path, bool is_summary, fhir::ProblemList& problems) {
  std::set<std::string_view> reported;
  bool unbalanced = false;
  for (const TemplatePiece& piece : SplitTemplate(text)) {
    if (!piece.is_placeholder) {
      if (piece.text.find("{{") != std::string_view::npos ||
          piece.text.find("}}") != std::string_view::npos) {
        unbalanced = true;
      }
      continue;
    }
    if (!reported.insert(piece.text).second) continue;
    std::string shown = "{{" + Printable(piece.text) + "}}";
    if (FindPlaceholder(piece.text) == nullptr) {
      problems.Add(path, "unknown placeholder " + shown);
    } else if (!RuleFillsPlaceholder(rule_id, piece.text)) {
      problems.Add(path, "placeholder " + shown + " is not filled by rule " + std::string(rule_id));
    } else if (!VariantFillsPlaceholder(rule_id, variant, piece.text)) {
      problems.Add(path, "placeholder " + shown + " is not filled in variant " +
                             std::string(variant) + " (the dose could not be read)");
    }
  }
  if (unbalanced) problems.Add(path, "unbalanced {{ or }}");
  if (!is_summary) return;
  if (text.find_first_of("\r\n") != std::string_view::npos) {
    problems.Add(path, "must be a single line");
  }
  std::size_t worst_case = WorstCaseRenderedLength(text);
  if (worst_case >= kSummaryLimitChars) {
    problems.Add(path, "may reach 140 characters or more when rendered (worst case " +
                           std::to_string(worst_case) + ")");
  }
}

std::optional<CardText> ParseVariant(const JsonValue& object, std::string_view rule_id,
                                     std::string_view variant, const std::string& path,
                                     fhir::ProblemList& problems) {
  CheckKeys(object, path, {"indicator", "summary", "detail"}, "unknown key", problems);
  CardText text;
  bool ok = true;
  if (std::optional<std::string> name = ReadText(object, path, "indicator", problems)) {
    if (std::optional<Indicator> indicator = ParseIndicator(*name)) {
      text.indicator = *indicator;
    } else {
      problems.Add(Child(path, "indicator"), "expected one of info, warning, critical");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (std::optional<std::string> summary = ReadText(object, path, "summary", problems)) {
    CheckTemplate(*summary, rule_id, variant, Child(path, "summary"), /*is_summary=*/true,
                  problems);
    text.summary = std::move(*summary);
  } else {
    ok = false;
  }
  if (std::optional<std::string> detail = ReadText(object, path, "detail", problems)) {
    CheckTemplate(*detail, rule_id, variant, Child(path, "detail"), /*is_summary=*/false, problems);
    text.detail = std::move(*detail);
  } else {
    ok = false;
  }
  if (!ok) return std::nullopt;
  return text;
}

// ---- rule members ----

std::vector<Link> ParseLinks(const JsonValue& rule, const std::string& path,
                             fhir::ProblemList& problems) {
  std::vector<Link> links;
  const JsonValue* member = fhir::FindMember(rule, "links");
  if (member == nullptr) return links;  // optional: a rule may offer no links
  std::string links_path = Child(path, "links");
  if (!member->IsArray()) {
    problems.Add(links_path, "expected an array");
    return links;
  }
  std::size_t index = 0;
  for (const JsonValue& element : fhir::ArrayView(member)) {
    std::string element_path = Element(links_path, index++);
    if (!element.IsObject()) {
      problems.Add(element_path, "expected an object");
      continue;
    }
    CheckKeys(element, element_path, {"label", "url"}, "unknown key", problems);
    std::optional<std::string> label = ReadText(element, element_path, "label", problems);
    std::optional<std::string> url = ReadUrl(element, element_path, "url", problems);
    if (label && url) links.push_back(Link{std::move(*label), std::move(*url)});
  }
  return links;
}

std::vector<OverrideReason> ParseOverrideReasons(const JsonValue& rule, const std::string& path,
                                                 fhir::ProblemList& problems) {
  std::vector<OverrideReason> reasons;
  const JsonValue* member = fhir::FindMember(rule, "overrideReasons");
  if (member == nullptr) return reasons;  // optional: then the card offers none
  std::string reasons_path = Child(path, "overrideReasons");
  if (!member->IsArray()) {
    problems.Add(reasons_path, "expected an array");
    return reasons;
  }
  std::set<std::string> codes;
  std::size_t index = 0;
  for (const JsonValue& element : fhir::ArrayView(member)) {
    std::string element_path = Element(reasons_path, index++);
    if (!element.IsObject()) {
      problems.Add(element_path, "expected an object");
      continue;
    }
    CheckKeys(element, element_path, {"code", "display"}, "unknown key", problems);
    std::optional<std::string> code = ReadText(element, element_path, "code", problems);
    std::optional<std::string> display = ReadText(element, element_path, "display", problems);
    if (code.has_value()) {
      if (!IsReasonCode(*code)) {
        problems.Add(Child(element_path, "code"),
                     "expected letters, digits, '-', '_' or '.' (at most 64)");
        code.reset();
      } else if (!codes.insert(*code).second) {
        problems.Add(Child(element_path, "code"), "duplicate code " + *code);
        code.reset();
      }
    }
    if (code && display) reasons.push_back(OverrideReason{std::move(*code), std::move(*display)});
  }
  return reasons;
}

std::map<std::string, std::string> ParseSuggestionLabels(const JsonValue& rule,
                                                         const RuleSpec& spec,
                                                         const std::string& path,
                                                         fhir::ProblemList& problems) {
  std::map<std::string, std::string> labels;
  std::string labels_path = Child(path, "suggestionLabels");
  const JsonValue* member = fhir::FindMember(rule, "suggestionLabels");
  if (member == nullptr) {
    // Only rules that make suggestions need labels: CDS Hooks requires suggestion.label.
    if (!spec.suggestions.empty()) problems.Add(labels_path, "required");
    return labels;
  }
  if (!member->IsObject()) {
    problems.Add(labels_path, "expected an object");
    return labels;
  }
  CheckKeys(*member, labels_path, spec.suggestions, "unknown suggestion for this rule", problems);
  for (std::string_view id : spec.suggestions) {
    std::optional<std::string> label = ReadText(*member, labels_path, id, problems);
    if (!label.has_value()) continue;
    // Labels are shown as written (cards/card_builder.cc): a placeholder would reach the
    // clinician as literal braces.
    if (label->find("{{") != std::string::npos || label->find("}}") != std::string::npos) {
      problems.Add(Child(labels_path, id), "placeholders are not rendered in labels");
      continue;
    }
    labels.emplace(std::string(id), std::move(*label));
  }
  return labels;
}

std::optional<RuleConfig> ParseRule(const JsonValue& object, const RuleSpec& spec,
                                    const std::string& path, fhir::ProblemList& problems) {
  CheckKeys(object, path,
            {"enabled", "title", "sourceLabel", "sourceUrl", "links", "overrideReasons",
             "suggestionLabels", "variants"},
            "unknown key", problems);
  RuleConfig rule;
  bool ok = true;

  if (fhir::FindMember(object, "enabled") == nullptr) {
    problems.Add(Child(path, "enabled"), "required");
    ok = false;
  } else if (std::optional<bool> enabled = fhir::FindBool(object, "enabled")) {
    rule.enabled = *enabled;
  } else {
    problems.Add(Child(path, "enabled"), "expected true or false");
    ok = false;
  }

  std::optional<std::string> title = ReadText(object, path, "title", problems);
  std::optional<std::string> source_label = ReadText(object, path, "sourceLabel", problems);
  std::optional<std::string> source_url = ReadUrl(object, path, "sourceUrl", problems);
  if (title && source_label && source_url) {
    rule.title = std::move(*title);
    rule.source_label = std::move(*source_label);
    rule.source_url = std::move(*source_url);
  } else {
    ok = false;
  }

  rule.links = ParseLinks(object, path, problems);
  rule.override_reasons = ParseOverrideReasons(object, path, problems);
  rule.suggestion_labels = ParseSuggestionLabels(object, spec, path, problems);

  // A rule that is switched off is still validated whole, so switching it back on cannot fail.
  if (const JsonValue* variants = ReadObject(object, path, "variants", problems)) {
    std::string variants_path = Child(path, "variants");
    CheckKeys(*variants, variants_path, spec.variants, "unknown variant", problems);
    for (std::string_view variant : spec.variants) {
      const JsonValue* text = ReadObject(*variants, variants_path, variant, problems);
      if (text == nullptr) continue;
      if (std::optional<CardText> card_text =
              ParseVariant(*text, spec.id, variant, Child(variants_path, variant), problems)) {
        rule.variants.emplace(std::string(variant), std::move(*card_text));
      }
    }
  }
  if (!ok) return std::nullopt;
  return rule;
}

[[noreturn]] void DieOnBadDefault(const Status& status) {
  // The embedded default is part of the build; failing to read it is a bug, not bad input.
  std::fprintf(stderr, "built-in deploy/config/default.json is invalid:\n%s\n",
               status.message().c_str());
  std::abort();
}

}  // namespace

StatusOr<CardsConfig> ParseCardsConfig(const fhir::JsonValue& root) {
  fhir::ProblemList problems;
  CardsConfig config;
  if (!root.IsObject()) return InvalidArgumentError("config: expected an object");

  if (const JsonValue* thresholds = ReadObject(root, "", "thresholds", problems)) {
    config.thresholds = ParseThresholds(*thresholds, "thresholds", problems);
  }

  if (const JsonValue* rules = ReadObject(root, "", "rules", problems)) {
    std::vector<std::string_view> rule_ids;
    for (const RuleSpec& spec : RuleSpecs()) rule_ids.push_back(spec.id);
    CheckKeys(*rules, "rules", rule_ids, "unknown rule", problems);
    for (const RuleSpec& spec : RuleSpecs()) {
      const JsonValue* rule = ReadObject(*rules, "rules", spec.id, problems);
      if (rule == nullptr) continue;
      if (std::optional<RuleConfig> parsed =
              ParseRule(*rule, spec, Child("rules", spec.id), problems)) {
        config.rules.emplace(std::string(spec.id), std::move(*parsed));
      }
    }
  }

  if (!problems.empty()) return InvalidArgumentError(problems.Joined());
  return config;
}

const CardsConfig& DefaultCardsConfig() {
  static const CardsConfig* const kDefault = [] {
    rapidjson::Document document;
    Status parsed =
        fhir::ParseJson(kEmbeddedDefaultConfigJson, fhir::kDefaultMaxJsonDepth, document);
    if (!parsed.ok()) DieOnBadDefault(parsed);
    StatusOr<CardsConfig> config = ParseCardsConfig(document);
    if (!config.ok()) DieOnBadDefault(config.status());
    return new CardsConfig(std::move(*config));
  }();
  return *kDefault;
}

std::string_view DefaultConfigJson() { return kEmbeddedDefaultConfigJson; }

}  // namespace steroid_advisor::cards
