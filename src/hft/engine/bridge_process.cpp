#include "hft/engine/bridge_process.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

extern char** environ;

namespace hft::engine {

std::string BridgeProcess::start(const config::Config& cfg, const SymbolTable& symbols,
                                 BridgeMode mode) {
  std::string codes;
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    codes += (id == 0 ? "" : ",") + symbols.spec(id).code;
  }
  const bool orders = mode == BridgeMode::kOrders;
  int fds[2];
  if (::pipe(fds) != 0) return fmt::format("pipe: {}", std::strerror(errno));
  int in[2] = {-1, -1};
  if (orders && ::pipe(in) != 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return fmt::format("pipe: {}", std::strerror(errno));
  }
  std::string cmd = fmt::format("exec {} --symbols {} {}", cfg.shioaji.bridge, codes,
                                cfg.shioaji.simulation ? "--simulation" : "--production");
  if (orders) cmd += fmt::format(" --orders --position-check-s {}", cfg.orders.position_check_s);
  if (mode == BridgeMode::kContracts) cmd += " --contracts";
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view kv(*e);
    if (kv.starts_with("SHIOAJI_API_KEY=") || kv.starts_with("SHIOAJI_SECRET_KEY=") ||
        kv.starts_with("SHIOAJI_CA_PATH=") || kv.starts_with("SHIOAJI_CA_PASSWORD=")) {
      continue;
    }
    env.emplace_back(kv);
  }
  env.push_back("SHIOAJI_API_KEY=" + cfg.shioaji.api_key);
  env.push_back("SHIOAJI_SECRET_KEY=" + cfg.shioaji.secret_key);
  if (orders) {  // production orders need the CA certificate (reference §1)
    env.push_back("SHIOAJI_CA_PATH=" + cfg.shioaji.ca_path);
    env.push_back("SHIOAJI_CA_PASSWORD=" + cfg.shioaji.ca_password);
  }
  env.emplace_back("PYTHONUNBUFFERED=1");
  std::vector<char*> envp;
  for (std::string& kv : env) envp.push_back(kv.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  if (orders) {
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
    posix_spawn_file_actions_addclose(&fa, in[0]);
    posix_spawn_file_actions_addclose(&fa, in[1]);
  }
  const char* argv[] = {"/bin/sh", "-c", cmd.c_str(), nullptr};
  const int rc = posix_spawn(&pid_, "/bin/sh", &fa, nullptr, const_cast<char**>(argv), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  if (orders) ::close(in[0]);
  if (rc != 0) {
    ::close(fds[0]);
    if (orders) ::close(in[1]);
    pid_ = -1;
    return fmt::format("cannot start the bridge '{}': {}", cfg.shioaji.bridge, std::strerror(rc));
  }
  fd_ = fds[0];
  in_fd_ = in[1];
  return "";
}

int BridgeProcess::stop(bool exiting) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (pid_ <= 0) return status_;
  if (!reaped(exiting ? 200 : 0)) {
    ::kill(pid_, SIGTERM);
    if (!reaped(300)) {
      ::kill(pid_, SIGKILL);
      reaped(-1);
    }
  }
  return status_;
}

bool BridgeProcess::reaped(int polls) {
  for (int i = 0;; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, polls < 0 ? 0 : WNOHANG) == pid_) {
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      pid_ = -1;
      return true;
    }
    if (i >= polls) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace hft::engine
