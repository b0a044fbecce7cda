// A private Redis server for tests: redis-server (Debian package) on a free 127.0.0.1 port, no
// persistence, its working directory a temp dir. Started as a child process, polled until PING
// answers (bounded), stopped with SIGTERM then SIGKILL; it can be stopped and started again on
// the same port (outage tests). Nothing here uses a server someone started by hand.
#pragma once

#include <string>
#include <vector>

#include "hft/lease/redis_client.hpp"
#include "service.hpp"

namespace hft::itest {

class RedisServer {
 public:
  /// `password`: requirepass when non-empty.
  explicit RedisServer(std::string password = "")
      : dir_("hft_redis"), port_(free_port()), password_(std::move(password)) {}

  /// Starts the server and waits up to 10 s for PING; "" or why not (with its log).
  std::string start() {
    std::vector<std::string> args = {
        "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save",
        "",       "--appendonly",        "no",     "--dir",     dir_.path().string()};
    if (!password_.empty()) args.insert(args.end(), {"--requirepass", password_});
    Process::Options opt;
    opt.log_dir = dir_.path();
    opt.tag = "redis";
    proc_ = Process("/usr/bin/redis-server", args, opt);
    if (!proc_.error().empty()) return proc_.error();
    lease::RedisClient probe(endpoint());
    if (wait_for([&] { return !probe.command({"PING"}).failed() || !proc_.running(); }, 10s,
                 50ms) &&
        proc_.running()) {
      return "";
    }
    return "redis-server did not answer PING on port " + std::to_string(port_) + ":\n" +
           tail_lines(proc_.out() + proc_.err());
  }
  void stop() { proc_.stop(); }

  int port() const { return port_; }
  lease::RedisEndpoint endpoint() const {
    return lease::RedisEndpoint{
        .host = "127.0.0.1", .port = port_, .password = password_, .timeout_ms = 500};
  }

 private:
  TempDir dir_;  // declared first: removed after the server stopped
  int port_;
  std::string password_;
  Process proc_;
};

}  // namespace hft::itest
