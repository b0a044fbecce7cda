// Test helpers for integration tests that run real services (hft, prometheus, promtool, ...) as
// child processes: an RAII process handle that always stops (SIGTERM, then SIGKILL) and reaps its
// child, unique temp directories, free loopback ports, bounded polling and small HTTP helpers.
//
// Self-contained on purpose (namespace hft::itest), so it can evolve independently of process.hpp.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace hft::itest {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// The last `max_lines` lines of `text` (for failure messages).
inline std::string tail_lines(const std::string& text, std::size_t max_lines = 40) {
  std::size_t start = text.size();
  for (std::size_t lines = 0; start > 0 && lines < max_lines;) {
    start = text.rfind('\n', start - 1);
    if (start == std::string::npos) return text;
    if (start + 1 < text.size()) ++lines;
  }
  return start == 0 ? text : "...\n" + text.substr(start + 1);
}

/// A fresh, uniquely named directory under the system temp dir, removed (recursively) at scope
/// exit. Declare it before the processes that use it so they stop first.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix) {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "_XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + tmpl);
    }
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A free TCP port on 127.0.0.1 (bound, read back, released; a tiny race with other processes
/// remains, so callers that can should retry on "address in use").
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

/// Polls `pred` every `interval` until it returns true or `timeout` passes; returns the last
/// result.
inline bool wait_for(const std::function<bool()>& pred, std::chrono::milliseconds timeout,
                     std::chrono::milliseconds interval = 100ms) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (pred()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(interval);
  }
}

inline bool is_executable(const std::filesystem::path& p) {
  return ::access(p.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(p);
}

/// A child process with stdout/stderr captured in files. The destructor stops it (SIGTERM, then
/// SIGKILL after a grace period) and reaps it, so no test leaves a process behind, even when an
/// assertion returns early.
class Process {
 public:
  struct Options {
    std::filesystem::path log_dir;                         ///< <tag>.out / <tag>.err go here
    std::string tag = "proc";                              ///< names the log files
    std::optional<std::filesystem::path> stdin_file;       ///< default: /dev/null
    std::vector<std::pair<std::string, std::string>> env;  ///< set or override variables
    std::optional<std::filesystem::path> cwd;              ///< default: the test's cwd
  };

  Process() = default;
  Process(const std::filesystem::path& exe, const std::vector<std::string>& args, Options opt) {
    start(exe, args, std::move(opt));
  }
  ~Process() { stop(); }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  Process(Process&& o) noexcept { *this = std::move(o); }
  Process& operator=(Process&& o) noexcept {
    if (this != &o) {
      stop();
      pid_ = std::exchange(o.pid_, -1);
      status_ = std::exchange(o.status_, std::nullopt);
      out_path_ = std::move(o.out_path_);
      err_path_ = std::move(o.err_path_);
      error_ = std::move(o.error_);
    }
    return *this;
  }

  /// "" when the child was started, otherwise why not.
  const std::string& error() const { return error_; }
  pid_t pid() const { return pid_; }
  std::string out() const { return slurp(out_path_); }
  std::string err() const { return slurp(err_path_); }

  /// True while the child has not exited (reaps it if it has).
  bool running() {
    if (pid_ < 0 || status_) return false;
    int st = 0;
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) status_ = decode(st);
    return !status_.has_value();
  }

  /// Waits up to `timeout` for the child to exit; its exit code (128 + signal when killed by
  /// one), or nullopt if it is still running.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    if (pid_ < 0) return status_;
    wait_for([this] { return !running(); }, timeout, 20ms);
    return status_;
  }

  /// Stops the child: SIGTERM, up to `grace` to exit, then SIGKILL and a blocking reap. Returns the
  /// exit code (128 + signal when killed by one); -1 if there was no child.
  int stop(std::chrono::milliseconds grace = 10s) {
    if (pid_ < 0) return status_.value_or(-1);
    if (running()) {
      ::kill(pid_, SIGTERM);
      if (!wait_exit(grace)) {
        ::kill(pid_, SIGKILL);
        int st = 0;
        while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
        }
        status_ = decode(st);
      }
    }
    return status_.value_or(-1);
  }

 private:
  static int decode(int st) { return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st); }

  void start(const std::filesystem::path& exe, const std::vector<std::string>& args, Options opt) {
    out_path_ = opt.log_dir / (opt.tag + ".out");
    err_path_ = opt.log_dir / (opt.tag + ".err");
    const std::string in = opt.stdin_file ? opt.stdin_file->string() : std::string("/dev/null");

    // Environment: ours, with opt.env applied (without touching this process's environment).
    std::vector<std::string> env_s;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      const std::string kv = *e;
      bool overridden = false;
      for (const auto& [k, v] : opt.env) overridden = overridden || kv.starts_with(k + "=");
      if (!overridden) env_s.push_back(kv);
    }
    for (const auto& [k, v] : opt.env) env_s.push_back(k + "=" + v);

    std::vector<std::string> argv_s{exe.string()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& kv : env_s) envp.push_back(kv.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (opt.cwd) posix_spawn_file_actions_addchdir_np(&fa, opt.cwd->c_str());
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv_s[0].c_str(), &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
      error_ = "cannot start " + argv_s[0] + ": " + std::strerror(rc);
      return;
    }
    pid_ = pid;
  }

  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path out_path_, err_path_;
  std::string error_;
};

}  // namespace hft::itest
