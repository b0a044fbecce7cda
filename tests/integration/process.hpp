// Test helpers: run the hft binary as a child process with its output captured, and find a
// free loopback port.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace hft::test {

struct Child {
  pid_t pid = -1;
  std::string out_path, err_path;

  /// Waits for exit; returns the exit code (128 + signal when killed by one).
  int wait() {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::string out() const { return slurp(out_path); }
  std::string err() const { return slurp(err_path); }
  static std::string slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }
};

/// Starts `HFT_BINARY args...` in `dir` (its config/ comes from the source tree via
/// HFT_CONFIG_DIR), stdout/stderr to files in `dir`.
inline Child spawn_hft(const std::filesystem::path& dir, const std::vector<std::string>& args,
                       const std::string& tag = "hft") {
  Child c;
  c.out_path = (dir / (tag + ".out")).string();
  c.err_path = (dir / (tag + ".err")).string();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, c.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, c.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> argv_s{HFT_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  setenv("HFT_CONFIG_DIR", HFT_SOURCE_DIR "/config", 1);
  // A private kill switch per test process, so a switch engaged on this machine (or by another
  // test running in parallel) cannot halt this run.
  setenv("HFT_KILL_SWITCH_NAME", ("hft_kill_test_" + std::to_string(::getpid())).c_str(), 0);
  posix_spawn(&c.pid, HFT_BINARY, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return c;
}

/// Runs hft to completion; returns the exit code.
inline int run_hft(const std::filesystem::path& dir, const std::vector<std::string>& args,
                   Child* out = nullptr) {
  Child c = spawn_hft(dir, args);
  const int rc = c.wait();
  if (out != nullptr) *out = c;
  return rc;
}

inline int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

/// A fresh temp directory removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::filesystem::remove_all(path);
    std::filesystem::remove("/dev/shm/hft_kill_test_" + std::to_string(::getpid()));
  }
};

}  // namespace hft::test
