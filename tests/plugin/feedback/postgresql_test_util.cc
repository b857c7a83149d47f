#include "tests/plugin/feedback/postgresql_test_util.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "tests/plugin/server_test_util.h"

namespace steroid_advisor::plugin {
namespace {

std::string BinDir() {
  const char* dir = std::getenv("STEROID_ADVISOR_POSTGRESQL_BIN");
  return dir != nullptr && *dir != '\0' ? dir : "/usr/lib/postgresql/15/bin";
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class TestServer {
 public:
  TestServer() { error_ = Start(); }
  ~TestServer() {
    // Failures here cannot fail a test any more; the directory is under /tmp either way.
    if (started_) Run(BinDir() + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop");
    if (!dir_.empty() && std::system(("rm -rf '" + dir_ + "'").c_str()) != 0) return;
  }

  const std::string& error() const { return error_; }
  int port() const { return port_; }

 private:
  // Runs `command` as the postgres user when we are root (PostgreSQL refuses root), with its
  // output in the directory's log.
  int Run(const std::string& command) {
    std::string line = as_postgres_ ? "runuser -u postgres -- " + command : command;
    line += " >>" + dir_ + "/commands.log 2>&1";
    return std::system(line.c_str());
  }

  std::string Start() {
    std::string initdb = BinDir() + "/initdb";
    if (access(initdb.c_str(), X_OK) != 0) {
      return "no initdb at " + initdb +
             " (install postgresql: deploy/scripts/install-deps.sh --test, or set "
             "STEROID_ADVISOR_POSTGRESQL_BIN)";
    }
    char pattern[] = "/tmp/steroid-advisor-pg-XXXXXX";
    if (mkdtemp(pattern) == nullptr) return "mkdtemp failed";
    dir_ = pattern;
    if (geteuid() == 0) {
      passwd* postgres = getpwnam("postgres");
      if (postgres == nullptr) return "running as root and there is no postgres user";
      if (chown(dir_.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) return "chown failed";
      as_postgres_ = true;
    }
    if (Run(initdb + " -D " + dir_ + "/data -A trust -U postgres -E UTF8 --no-sync") != 0) {
      return "initdb failed: " + ReadFile(dir_ + "/commands.log");
    }
    // Another process may take the port between FreeLoopbackPort and the bind: try a few.
    for (int attempt = 0; attempt < 5 && !started_; ++attempt) {
      port_ = FreeLoopbackPort();
      std::string options = "-p " + std::to_string(port_) + " -k " + dir_ +
                            " -c listen_addresses=127.0.0.1 -c max_connections=50";
      started_ = Run(BinDir() + "/pg_ctl -D " + dir_ + "/data -l " + dir_ +
                     "/server.log -w -t 120 -o '" + options + "' start") == 0;
    }
    if (!started_) return "pg_ctl start failed: " + ReadFile(dir_ + "/server.log");
    return "";
  }

  std::string dir_;
  std::string error_;
  int port_ = 0;
  bool as_postgres_ = false;
  bool started_ = false;
};

TestServer& SharedServer() {
  // Started on first use, stopped when the test binary exits.
  static TestServer server;
  return server;
}

std::string UrlFor(int port, const std::string& database) {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/" + database;
}

}  // namespace

std::vector<std::string> QueryPostgresql(const std::string& url, const std::string& sql) {
  std::vector<std::string> rows;
  std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(url.c_str()), PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot connect to the test postgresql: " << PQerrorMessage(connection.get());
    return rows;
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.get(), sql.c_str()),
                                                       PQclear);
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    ADD_FAILURE() << sql << ": " << PQerrorMessage(connection.get());
    return rows;
  }
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    rows.push_back(PQgetvalue(result.get(), row, 0));
  }
  return rows;
}

std::string NewPostgresqlTestDatabase() {
  TestServer& server = SharedServer();
  if (!server.error().empty()) {
    ADD_FAILURE() << "test postgresql: " << server.error();
    return "";
  }
  static int next = 0;
  std::string name = "feedback_test_" + std::to_string(getpid()) + "_" + std::to_string(next++);
  QueryPostgresql(UrlFor(server.port(), "postgres"), "CREATE DATABASE " + name);
  return UrlFor(server.port(), name);
}

}  // namespace steroid_advisor::plugin
