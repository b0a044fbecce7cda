// The Shioaji bridge process (bridge/shioaji_bridge.py, command in shioaji.bridge):
// `exec <shioaji.bridge> --symbols A,B --simulation|--production [mode flags]` under /bin/sh,
// its stdout a pipe to us, its stderr ours. Credentials reach it in its environment only (never
// on its command line, which `ps` shows). Used by `hft run live` (quotes, orders) and
// `hft config sync` (the broker's contract data).
#pragma once

#include <sys/types.h>

#include <string>

#include "hft/config/config.hpp"
#include "hft/core/symbol_table.hpp"

namespace hft::engine {

enum class BridgeMode {
  kQuotes,     // quotes only (orders.mode shadow / sim)
  kOrders,     // --orders --position-check-s S: also places orders read from its stdin (in_fd())
  kContracts,  // --contracts: writes the configured codes' contract data, then exits
};

class BridgeProcess {
 public:
  BridgeProcess() = default;
  ~BridgeProcess() { stop(false); }
  BridgeProcess(const BridgeProcess&) = delete;
  BridgeProcess& operator=(const BridgeProcess&) = delete;

  /// Starts the bridge for every symbol of `symbols`; "" or why it could not be started.
  std::string start(const config::Config& cfg, const SymbolTable& symbols, BridgeMode mode);

  /// The read end of the bridge's stdout; -1 once stopped.
  int fd() const { return fd_; }
  /// The write end of the bridge's stdin (kOrders), -1 otherwise; the caller owns it.
  int in_fd() const { return in_fd_; }

  /// Ends the bridge: a bridge that closed its stdout (`exiting`) gets 2 s to exit by itself,
  /// then (as a running one at once) SIGTERM and 3 s, then SIGKILL. Returns its exit status
  /// (128 + signal when a signal ended it).
  int stop(bool exiting);

 private:
  /// Waits up to `polls` x 10 ms (-1: for as long as it takes) for the bridge to exit.
  bool reaped(int polls);

  pid_t pid_ = -1;
  int fd_ = -1;
  int in_fd_ = -1;
  int status_ = -1;
};

}  // namespace hft::engine
