#include "plugin/config/store.h"

#include <iostream>
#include <utility>

#include "fhir/json_parse.h"
#include "plugin/config/file.h"

namespace steroid_advisor::plugin {
namespace {

// A path is one token: the validators write "rules.x.variants.missing.summary: ...", while a
// message such as "malformed json at offset 3: ..." has spaces before its colon.
bool LooksLikePath(std::string_view candidate) {
  if (candidate.empty()) return false;
  for (char c : candidate) {
    if (c == ' ' || c == '\t') return false;
  }
  return true;
}

}  // namespace

std::string_view ConfigSourceName(ConfigSource source) {
  switch (source) {
    case ConfigSource::kStartup:
      return "startup";
    case ConfigSource::kAdminApi:
      return "admin-api";
    case ConfigSource::kSighup:
      return "sighup";
    case ConfigSource::kFileWatch:
      return "file-watch";
    default:
      return "unknown";
  }
}

std::vector<ConfigProblem> ProblemsFromStatus(const Status& status) {
  std::vector<ConfigProblem> problems;
  if (status.ok()) return problems;
  std::string_view rest = status.message();
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty()) continue;
    size_t colon = line.find(": ");
    if (colon != std::string_view::npos && LooksLikePath(line.substr(0, colon))) {
      problems.push_back({std::string(line.substr(0, colon)), std::string(line.substr(colon + 2))});
    } else {
      problems.push_back({"", std::string(line)});
    }
  }
  return problems;
}

StatusOr<std::unique_ptr<ConfigStore>> ConfigStore::Create(std::string_view initial_text,
                                                           Options options) {
  StatusOr<ServiceConfig> parsed = ParseServiceConfig(initial_text);
  if (!parsed.ok()) return parsed.status();
  auto live = std::make_shared<Live>();
  live->config = std::move(*parsed);
  live->text = std::string(initial_text);
  live->version = 1;
  if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
  return std::unique_ptr<ConfigStore>(new ConfigStore(std::move(live), std::move(options)));
}

ConfigStore::ConfigStore(std::shared_ptr<const Live> live, Options options)
    : options_(std::move(options)), live_(std::move(live)) {}

std::shared_ptr<const ConfigStore::Live> ConfigStore::LoadLive() const {
  return std::atomic_load(&live_);
}

std::shared_ptr<const ServiceConfig> ConfigStore::Current() const {
  std::shared_ptr<const Live> live = LoadLive();
  // Aliasing constructor: the caller holds the whole Live alive through its config.
  return std::shared_ptr<const ServiceConfig>(live, &live->config);
}

std::shared_ptr<const std::string> ConfigStore::CurrentText() const {
  std::shared_ptr<const Live> live = LoadLive();
  return std::shared_ptr<const std::string>(live, &live->text);
}

uint64_t ConfigStore::version() const { return LoadLive()->version; }

void ConfigStore::OnChange(ChangeListener listener) {
  std::lock_guard<std::mutex> lock(mu_);
  listener_ = std::move(listener);
  if (listener_) listener_(Current());
}

Status ConfigStore::Validate(std::string_view text) {
  StatusOr<ServiceConfig> parsed = ParseServiceConfig(text);
  return parsed.ok() ? OkStatus() : parsed.status();
}

StatusOr<ConfigStore::ReplaceResult> ConfigStore::ReplaceUncounted(std::string_view text,
                                                                   std::string_view actor,
                                                                   ConfigSource source) {
  // Parse before taking the lock: validation is the slow part and needs no shared state.
  StatusOr<ServiceConfig> parsed = ParseServiceConfig(text);
  if (!parsed.ok()) return parsed.status();

  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<const Live> old_live = LoadLive();
  StatusOr<std::vector<ConfigChange>> changes =
      DiffConfigJson(old_live->text, text, fhir::kDefaultMaxJsonDepth);
  if (!changes.ok()) return changes.status();

  ReplaceResult result;
  if (changes->empty()) {
    result.version = old_live->version;
    return result;
  }
  if (source == ConfigSource::kAdminApi && !options_.file_path.empty()) {
    Status written = WriteFileAtomically(options_.file_path, text);
    if (!written.ok()) return written;
  }

  auto new_live = std::make_shared<Live>();
  new_live->config = std::move(*parsed);
  new_live->text = std::string(text);
  new_live->version = old_live->version + 1;
  result.changed = true;
  result.version = new_live->version;
  result.changes = std::move(*changes);
  // Recorded before it is published, so that no one sees a version the audit trail lacks.
  if (options_.audit_log != nullptr) {
    AuditEntry entry;
    entry.time = FormatUtcTime(options_.clock());
    entry.actor = std::string(actor);
    entry.source = std::string(ConfigSourceName(source));
    entry.changes = result.changes;
    Status audited = options_.audit_log->Append(entry);
    // Losing the disk copy of its record must not stop the change from serving.
    if (!audited.ok()) std::cerr << "config: " << audited.message() << "\n";
  }
  std::atomic_store(&live_, std::shared_ptr<const Live>(new_live));
  if (listener_) listener_(std::shared_ptr<const ServiceConfig>(new_live, &new_live->config));
  return result;
}

StatusOr<ConfigStore::ReplaceResult> ConfigStore::Replace(std::string_view text,
                                                          std::string_view actor,
                                                          ConfigSource source) {
  StatusOr<ReplaceResult> result = ReplaceUncounted(text, actor, source);
  if (Metrics* metrics = metrics_.load()) {
    metrics->CountConfigReload(ConfigSourceName(source), result.ok() ? "applied" : "rejected");
  }
  return result;
}

}  // namespace steroid_advisor::plugin
