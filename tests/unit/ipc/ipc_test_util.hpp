// Helpers for the ipc tests: unique segment names per process and test, and fork helpers.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "hft/ipc/shm_segment.hpp"

namespace hft::test {

/// "hft_t<pid>_<tag>_<n>": never collides with a parallel test run or another test.
inline std::string unique_shm_name(const std::string& tag) {
  static std::atomic<int> n{0};
  return "hft_t" + std::to_string(getpid()) + "_" + tag + "_" + std::to_string(n++);
}

/// Removes the segment at scope exit (tests must not leave /dev/shm litter).
struct ShmCleanup {
  std::string name;
  ~ShmCleanup() { ipc::ShmSegment::remove(name); }
};

/// Waits for a child; returns its exit code, or 128 + signal.
inline int wait_child(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace hft::test
