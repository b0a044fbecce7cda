// A private ClickHouse server for integration tests: the Debian package's config.xml/users.xml
// copied into a temp dir with every path pointed inside it, free HTTP/TCP/interserver ports, and
// only 127.0.0.1 to listen on (no ::1, which is absent on IPv4-only hosts). Started as a child
// process, polled until `SELECT 1` answers (bounded), stopped with SIGTERM then SIGKILL; it can
// be stopped and started again on the same data directory (outage tests). Nothing here uses a
// server someone started by hand. Works as root: ClickHouse 18.16 runs as whoever starts it
// when the data dir belongs to that user.
#pragma once

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "hft/recorder/clickhouse/http_client.hpp"
#include "service.hpp"

namespace hft::itest {

/// The Debian package installs the server in /usr/sbin.
inline std::filesystem::path clickhouse_server_binary() {
  for (const char* p : {"/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"}) {
    if (is_executable(p)) return p;
  }
  return "/usr/sbin/clickhouse-server";
}
inline const std::filesystem::path kClickHouseConfigDir = "/etc/clickhouse-server";

class ClickHouseServer {
 public:
  /// Prepares (does not start) a server living in `dir`.
  explicit ClickHouseServer(std::filesystem::path dir) : dir_(std::move(dir)) {
    http_port_ = free_port();
    tcp_port_ = free_port();
    interserver_port_ = free_port();
  }
  ~ClickHouseServer() { stop(); }
  ClickHouseServer(const ClickHouseServer&) = delete;
  ClickHouseServer& operator=(const ClickHouseServer&) = delete;

  /// "" when the server answers `SELECT 1`, else what went wrong (with the log's tail).
  std::string start(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const std::filesystem::path exe = clickhouse_server_binary();
    if (!is_executable(exe) || !std::filesystem::exists(kClickHouseConfigDir / "config.xml")) {
      return exe.string() +
             " (or its config in /etc/clickhouse-server) is missing: install the Debian "
             "clickhouse-server package with `bash scripts/setup.sh` (these tests do not skip)";
    }
    if (std::string err = write_config(); !err.empty()) return err;
    Process::Options opt;
    opt.log_dir = dir_;
    opt.tag = "clickhouse";
    opt.cwd = dir_;
    proc_ = Process(exe, {"--config-file=" + (dir_ / "config.xml").string()}, std::move(opt));
    if (!proc_.error().empty()) return proc_.error();
    recorder::clickhouse::HttpClient http(url(), 2000);
    const bool up = wait_for(
        [&] {
          if (!proc_.running()) return true;
          const auto r = http.query("SELECT 1");
          return r.ok() && r.body == "1\n";
        },
        timeout, std::chrono::milliseconds(100));
    if (!up || !proc_.running()) {
      const std::string why = !proc_.running() ? "exited" : "did not answer SELECT 1 in time";
      proc_.stop();
      return "clickhouse-server " + why + "; log:\n" +
             tail_lines(slurp(dir_ / "log" / "clickhouse-server.err.log") + proc_.err());
    }
    return {};
  }

  /// SIGTERM (then SIGKILL after `grace`) and reap.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10)) { proc_.stop(grace); }
  /// SIGKILL: the server dies mid-whatever it was doing (an outage with no goodbye).
  void kill() {
    if (proc_.running()) ::kill(proc_.pid(), SIGKILL);
    proc_.stop();
  }
  bool running() { return proc_.running(); }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(http_port_); }
  int http_port() const { return http_port_; }

  /// Runs `sql`; the TabSeparated answer, or "ERROR: ..." (so a test failure shows it).
  std::string query(const std::string& sql) {
    recorder::clickhouse::HttpClient http(url(), 30'000);
    const auto r = http.query(sql);
    return r.ok() ? r.body : "ERROR: " + r.describe();
  }

 private:
  std::string write_config() {
    std::filesystem::create_directories(dir_ / "data");
    std::filesystem::create_directories(dir_ / "log");
    std::string xml = slurp(kClickHouseConfigDir / "config.xml");
    if (xml.empty()) return "cannot read " + (kClickHouseConfigDir / "config.xml").string();
    const std::string data = (dir_ / "data").string() + "/";
    const std::string log = (dir_ / "log").string() + "/";
    // First occurrence only: <path> comes again inside <distributed_ddl> (a ZooKeeper path).
    auto set = [&xml](const std::string& tag, const std::string& value) {
      xml = std::regex_replace(xml, std::regex("<" + tag + ">[^<]*</" + tag + ">"),
                               "<" + tag + ">" + value + "</" + tag + ">",
                               std::regex_constants::format_first_only);
    };
    set("log", log + "clickhouse-server.log");
    set("errorlog", log + "clickhouse-server.err.log");
    set("level", "information");
    set("path", data);
    set("tmp_path", data + "tmp/");
    set("user_files_path", data + "user_files/");
    set("format_schema_path", data + "format_schemas/");
    set("http_port", std::to_string(http_port_));
    set("tcp_port", std::to_string(tcp_port_));
    set("interserver_http_port", std::to_string(interserver_port_));
    // The package listens on ::1 and 127.0.0.1 by default; ::1 fails where IPv6 is absent.
    xml = std::regex_replace(xml, std::regex("<listen_host>[^<]*</listen_host>"), "");
    const auto end = xml.rfind("</yandex>");
    if (end == std::string::npos) return "unexpected config.xml: no </yandex>";
    xml.insert(end, "    <listen_host>127.0.0.1</listen_host>\n");
    std::ofstream(dir_ / "config.xml") << xml;
    std::filesystem::copy_file(kClickHouseConfigDir / "users.xml", dir_ / "users.xml",
                               std::filesystem::copy_options::overwrite_existing);
    return {};
  }

  std::filesystem::path dir_;
  int http_port_ = 0;
  int tcp_port_ = 0;
  int interserver_port_ = 0;
  Process proc_;
};

}  // namespace hft::itest
