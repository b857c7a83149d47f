#include "plugin/admin/live_config.h"

#include <iostream>
#include <utility>

#include "cards/config.h"
#include "plugin/auth/admin_token.h"
#include "plugin/config/file.h"

namespace steroid_advisor::plugin {

StatusOr<std::unique_ptr<LiveConfig>> LiveConfig::Create(LiveConfigOptions options) {
  std::unique_ptr<LiveConfig> live(new LiveConfig(std::move(options)));
  const LiveConfigOptions& o = live->options_;

  if (o.admin_port != 0) {
    StatusOr<std::string> token = ResolveAdminToken(o.admin_token_env, o.admin_token_file);
    if (!token.ok()) return token.status().WithPrefix("admin api");
    live->admin_token_ = std::move(*token);
  }

  if (!o.audit_log_path.empty()) {
    // Asked for by name: not being able to write it is an error.
    StatusOr<std::unique_ptr<AuditLog>> audit_log = AuditLog::Open(o.audit_log_path);
    if (!audit_log.ok()) return audit_log.status();
    live->audit_log_ = std::move(*audit_log);
  } else if (!o.config_path.empty()) {
    // Next to the config by default; a read-only config directory (a mounted ConfigMap) must not
    // stop the service, so fall back to memory and say so.
    StatusOr<std::unique_ptr<AuditLog>> audit_log =
        AuditLog::Open(DefaultAuditLogPath(o.config_path));
    if (audit_log.ok()) {
      live->audit_log_ = std::move(*audit_log);
    } else {
      std::cerr << "cds_server: " << audit_log.status().message()
                << "; keeping the audit trail in memory (use --audit-log FILE)\n";
    }
  }
  if (live->audit_log_ == nullptr) live->audit_log_ = std::make_unique<AuditLog>();

  ConfigStore::Options store_options;
  store_options.file_path = o.config_path;
  store_options.audit_log = live->audit_log_.get();
  // Start from the built-in defaults, then replace them by the file: the startup audit entry
  // then says how this deployment differs from the defaults.
  StatusOr<std::unique_ptr<ConfigStore>> store =
      ConfigStore::Create(cards::DefaultConfigJson(), std::move(store_options));
  if (!store.ok()) return store.status().WithPrefix("built-in config");
  live->store_ = std::move(*store);
  if (!o.config_path.empty()) {
    StatusOr<std::string> text = ReadConfigFile(o.config_path);
    if (!text.ok()) return text.status();
    StatusOr<ConfigStore::ReplaceResult> loaded =
        live->store_->Replace(*text, "system", ConfigSource::kStartup);
    if (!loaded.ok()) {
      return Status(loaded.status().code(),
                    "invalid config " + o.config_path + ":\n" + loaded.status().message());
    }
  }
  return live;
}

LiveConfig::~LiveConfig() { Stop(); }

Status LiveConfig::Start() {
  RETURN_IF_ERROR(InstallSighupHandler());
  if (!options_.config_path.empty() && watcher_ == nullptr) {
    ConfigWatcher::Options watch;
    watch.path = options_.config_path;
    watch.log_format = options_.log_format;
    watcher_ = std::make_unique<ConfigWatcher>(store_.get(), std::move(watch));
    RETURN_IF_ERROR(watcher_->Start());
  }
  if (options_.admin_port != 0 && admin_server_ == nullptr) {
    AdminServerOptions admin;
    admin.host = options_.admin_host;
    admin.port = options_.admin_port;
    admin.token = std::move(admin_token_);  // the server keeps only its digest
    admin_token_.clear();
    admin.store = store_.get();
    admin.audit_log = audit_log_.get();
    admin.clock = options_.clock;
    admin.assets = options_.admin_assets;
    admin.tls = options_.admin_tls;
    admin.log_format = options_.log_format;
    admin.feedback = options_.feedback;
    admin_server_ = std::make_unique<AdminServer>(std::move(admin));
    Status started = admin_server_->Start();
    if (!started.ok()) {
      admin_server_.reset();
      return started;
    }
  }
  return OkStatus();
}

void LiveConfig::Stop() {
  if (admin_server_ != nullptr) admin_server_->Stop();
  if (watcher_ != nullptr) watcher_->Stop();
}

std::string LiveConfig::admin_url() const {
  return admin_server_ == nullptr ? "" : admin_server_->base_url() + "/admin/";
}

}  // namespace steroid_advisor::plugin
