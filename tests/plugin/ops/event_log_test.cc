// EventLog: text lines as the components always wrote them, JSON lines a log shipper can parse
// (one object per line, a message of several lines kept in one record), the level filter, and
// whole lines from concurrent writers.
#include "plugin/ops/event_log.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace steroid_advisor::plugin {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(EventLog, TextLinesNameTheComponentFirst) {
  std::ostringstream sink;
  EventLog log(&sink);
  log.Write(LogLevel::kInfo, "feedback", "store ready");
  EXPECT_EQ(sink.str(), "feedback: store ready\n");
}

TEST(EventLog, JsonLinesAreOneObjectEachWithTimeLevelMessageAndComponent) {
  std::ostringstream sink;
  EventLog log(&sink, LogFormat::kJson);
  log.Write(LogLevel::kError, "config", "x.json (sighup): rejected:\n  fhir.a: \"bad\"\n  b: c");
  log.Write(LogLevel::kWarning, "fhir_fetch", "key=medicationRequests unavailable: timed out");
  std::vector<std::string> lines = Lines(sink.str());
  ASSERT_EQ(lines.size(), 2u) << sink.str();

  rapidjson::Document first;
  ASSERT_FALSE(first.Parse(lines[0].c_str()).HasParseError()) << lines[0];
  EXPECT_STREQ(first["level"].GetString(), "error");
  EXPECT_STREQ(first["component"].GetString(), "config");
  EXPECT_STREQ(first["msg"].GetString(), "x.json (sighup): rejected:\n  fhir.a: \"bad\"\n  b: c");
  std::string time = first["time"].GetString();
  ASSERT_EQ(time.size(), 24u) << time;  // 2026-12-06T12:03:07.123Z
  EXPECT_EQ(time[10], 'T');
  EXPECT_EQ(time.back(), 'Z');

  rapidjson::Document second;
  ASSERT_FALSE(second.Parse(lines[1].c_str()).HasParseError()) << lines[1];
  EXPECT_STREQ(second["level"].GetString(), "warning");
}

TEST(EventLog, LinesBelowTheLevelAreDropped) {
  std::ostringstream sink;
  EventLog log(&sink, LogFormat::kText, LogLevel::kWarning);
  log.Write(LogLevel::kInfo, "feedback", "store ready");
  log.Write(LogLevel::kError, "feedback", "store unavailable");
  EXPECT_EQ(sink.str(), "feedback: store unavailable\n");
}

TEST(EventLog, ANullSinkWritesNothing) {
  EventLog log(nullptr, LogFormat::kJson);
  log.Write(LogLevel::kError, "feedback", "nowhere");  // must not crash
}

TEST(EventLog, ConcurrentWritersNeverMixWithinALine) {
  std::ostringstream sink;
  EventLog log(&sink, LogFormat::kJson);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < 200; ++i) {
        log.Write(
            LogLevel::kInfo, "test",
            "thread " + std::to_string(t) + " line " + std::to_string(i) + std::string(100, 'x'));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> lines = Lines(sink.str());
  ASSERT_EQ(lines.size(), 800u);
  for (const std::string& line : lines) {
    rapidjson::Document record;
    ASSERT_FALSE(record.Parse(line.c_str()).HasParseError()) << line;
  }
}

TEST(LogFlags, ParseTheirNamesOnly) {
  EXPECT_EQ(ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("text"), LogFormat::kText);
  EXPECT_EQ(ParseLogFormat("JSON"), std::nullopt);
  EXPECT_EQ(ParseLogLevel("warning"), LogLevel::kWarning);
  EXPECT_EQ(ParseLogLevel("debug"), std::nullopt);
  EXPECT_STREQ(LogLevelName(LogLevel::kError), "error");
}

}  // namespace
}  // namespace steroid_advisor::plugin
