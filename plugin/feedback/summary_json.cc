#include "plugin/feedback/summary_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

#include "fhir/date.h"
#include "plugin/feedback/timestamps.h"

namespace steroid_advisor::plugin {

std::string FormatInstantMs(int64_t ms) {
  int64_t day = ms >= 0 ? ms / kMillisPerDay : -((-ms + kMillisPerDay - 1) / kMillisPerDay);
  int64_t rest = ms - day * kMillisPerDay;
  char time[32];
  std::snprintf(time, sizeof(time), "T%02d:%02d:%02d.%03dZ", static_cast<int>(rest / 3600000),
                static_cast<int>(rest / 60000 % 60), static_cast<int>(rest / 1000 % 60),
                static_cast<int>(rest % 1000));
  return fhir::FormatDay(static_cast<fhir::Day>(day)) + time;
}

std::string WriteFeedbackSummary(const FeedbackSummary& summary, int64_t from_ms, int64_t to_ms) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("from");
  writer.String(FormatInstantMs(from_ms));
  writer.Key("to");
  writer.String(FormatInstantMs(to_ms));
  writer.Key("rules");
  writer.StartArray();
  for (const RuleFeedbackSummary& rule : summary.rules) {
    writer.StartObject();
    writer.Key("rule");
    writer.String(rule.rule);
    writer.Key("shown");
    writer.Int64(rule.shown);
    writer.Key("accepted");
    writer.Int64(rule.accepted);
    writer.Key("overridden");
    writer.Int64(rule.overridden);
    writer.Key("overrideReasons");
    writer.StartArray();
    for (const OverrideReasonCount& reason : rule.override_reasons) {
      writer.StartObject();
      writer.Key("code");
      writer.String(reason.code);
      writer.Key("display");
      writer.String(reason.display);
      writer.Key("count");
      writer.Int64(reason.count);
      writer.EndObject();
    }
    writer.EndArray();
    writer.Key("weeks");
    writer.StartArray();
    for (const WeekCount& week : rule.weeks) {
      writer.StartObject();
      writer.Key("week");
      writer.String(week.week);
      writer.Key("accepted");
      writer.Int64(week.accepted);
      writer.Key("overridden");
      writer.Int64(week.overridden);
      writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("unknownCards");
  writer.Int64(summary.unknown_cards);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace steroid_advisor::plugin
