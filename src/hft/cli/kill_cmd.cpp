// hft kill on --reason TEXT | off | status, and hft risk resume | flatten
// Flips the shared-memory kill switch (ipc::KillSwitch; segment $HFT_KILL_SWITCH_NAME, default
// /dev/shm/hft_kill_switch). Works whether or not the engine runs: the switch is created if
// missing and persists until released, so an engine started later comes up HALTED.
// Exit codes: 0 done (status: printed, whatever the state); 1 the segment could not be opened or
// is not a kill switch of this version; 2 bad usage (e.g. `on` without --reason).
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include "hft/cli/commands.hpp"
#include "hft/cli/duration.hpp"
#include "hft/core/clock.hpp"
#include "hft/ipc/kill_switch.hpp"

namespace hft::cli {
namespace {

std::string format_utc(std::int64_t ns) {
  if (ns <= 0) return "never";
  const std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>((ns / 1'000'000) % 1000));
  return buf;
}

/// How stale an engine's heartbeat (every ~1 ms while it runs) may be before we call it gone.
constexpr std::int64_t kEngineGoneNs = 3'000'000'000;

/// "engine: pid 123, polled 0.0 s ago" / "engine: none running (...)".
std::string engine_line(const ipc::KillSwitch::EngineSeen& e) {
  char buf[160];
  const double ago = static_cast<double>(wall_ns() - e.seen_ns) / 1e9;
  if (e.alive) {
    std::snprintf(buf, sizeof buf, "pid %d, polled %.1f s ago", e.pid, ago);
  } else if (e.pid != 0) {
    std::snprintf(buf, sizeof buf, "none running (pid %d last polled %.1f s ago)", e.pid, ago);
  } else {
    std::snprintf(buf, sizeof buf, "none running");
  }
  return buf;
}

/// A request only a running engine acts on: false (and why, on stderr) when none polls `ks`.
bool engine_listens(const ipc::KillSwitch& ks, const char* cmd) {
  const ipc::KillSwitch::EngineSeen e = ks.engine(wall_ns(), kEngineGoneNs);
  if (e.alive) return true;
  std::fprintf(stderr,
               "%s: no running engine polls the kill switch /dev/shm/%s (engine: %s); nothing was "
               "requested. An engine started with another HFT_KILL_SWITCH_NAME uses another "
               "switch: set the same name here.\n",
               cmd, ks.name().c_str(), engine_line(e).c_str());
  return false;
}

void print_status(const ipc::KillSwitch& ks) {
  const ipc::KillStatus st = ks.status();
  std::printf("kill switch: %s\n", st.engaged ? "ENGAGED" : "released");
  std::printf("%s %s\n", st.engaged ? "reason:     " : "last reason:",
              st.reason.empty() ? "-" : st.reason.c_str());
  if (st.changes == 0) {
    std::printf("since:       never changed\n");
  } else {
    const double ago = static_cast<double>(wall_ns() - st.since_wall_ns) / 1e9;
    std::printf("since:       %s (%.1f s ago, by pid %d)\n", format_utc(st.since_wall_ns).c_str(),
                ago, st.by_pid);
  }
  std::printf("segment:     /dev/shm/%s\n", ks.name().c_str());
  std::printf("engine:      %s\n", engine_line(ks.engine(wall_ns(), kEngineGoneNs)).c_str());
}

template <class Fn>
void guarded(int& exit_code, Fn&& fn) {
  try {
    fn();
    exit_code = 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hft: %s\n", e.what());
    exit_code = 1;
  }
}

}  // namespace

/// One request to the running engine through the switch (`request` is false while the switch is
/// engaged). Refused (exit 1, why on stderr) while it is engaged or when no engine polls it;
/// else prints `done`.
template <class Request>
void request_engine(int& exit_code, const char* cmd, const char* engaged_why, Request&& request,
                    const std::string& done) {
  bool refused = true;
  guarded(exit_code, [&] {
    ipc::KillSwitch ks = ipc::KillSwitch::open();
    if (!ks.engaged() && !engine_listens(ks, cmd)) return;
    if (!request(ks)) {
      std::fprintf(stderr,
                   "%s: the kill switch is engaged (%s)%s; release it first with `hft kill off`\n",
                   cmd, ks.status().reason.c_str(), engaged_why);
      return;
    }
    refused = false;
    std::printf("%s\n", done.c_str());
  });
  if (refused) exit_code = 1;
}

void register_kill(CLI::App& app, int& exit_code) {
  CLI::App* kill = app.add_subcommand(
      "kill", "Engage, release or show the kill switch (shared memory; engine halts within 1 ms)");
  kill->require_subcommand(1);
  kill->footer(
      "Segment: $HFT_KILL_SWITCH_NAME (default hft_kill_switch) in /dev/shm, mode 0600.\n"
      "Exit codes: 0 ok, 1 segment error, 2 bad usage.");

  auto reason = std::make_shared<std::string>();
  CLI::App* on = kill->add_subcommand("on",
                                      "Engage: the engine halts (no new orders, working "
                                      "orders cancelled) until `hft kill off`");
  on->add_option("--reason,-r", *reason, "Why (recorded and shown by status)")->required();
  on->callback([&exit_code, reason] {
    guarded(exit_code, [&] {
      ipc::KillSwitch ks = ipc::KillSwitch::open();
      ks.engage(*reason);
      std::printf("kill switch ENGAGED: %s\n", reason->c_str());
    });
  });

  CLI::App* off = kill->add_subcommand(
      "off", "Release the switch; a running engine stays HALTED until `hft risk resume`");
  off->callback([&exit_code] {
    guarded(exit_code, [&] {
      ipc::KillSwitch ks = ipc::KillSwitch::open();
      const bool was = ks.engaged();
      ks.release();
      std::printf("kill switch released%s\n", was ? "" : " (it was not engaged)");
    });
  });

  CLI::App* status = kill->add_subcommand("status", "Show state, reason and since when");
  status->callback(
      [&exit_code] { guarded(exit_code, [&] { print_status(ipc::KillSwitch::open()); }); });
}

void register_risk(CLI::App& app, int& exit_code) {
  CLI::App* risk = app.add_subcommand("risk", "Operator commands for the engine's trading state");
  risk->require_subcommand(1);
  CLI::App* resume = risk->add_subcommand(
      "resume",
      "Leave HALTED (kill switch, hard loss limit, full disk): the running engine goes back to "
      "ACTIVE; refused while the kill switch is engaged");
  auto rebase = std::make_shared<bool>(false);
  resume->add_flag(
      "--rebase", *rebase,
      "First take the broker's positions at the latest position check as the engine's (hft run "
      "live): after a position_mismatch halt whose difference you have checked (a fill the "
      "engine never got, a trade made in another app). The difference is booked as an external "
      "position at the current price; without this the next check halts again");
  resume->footer(
      "Exit codes: 0 requested, 1 kill switch engaged, no running engine polls the switch, or "
      "segment error.");
  resume->callback([&exit_code, rebase] {
    request_engine(
        exit_code, "hft risk resume", "",
        [&](ipc::KillSwitch& ks) { return ks.request_resume(*rebase); },
        std::string("resume") + (*rebase ? " with re-base to the broker's positions" : "") +
            " requested: a running engine leaves HALTED within 1 ms");
  });

  CLI::App* flatten = risk->add_subcommand(
      "flatten",
      "Close every position: the running engine halts (no strategy orders, working orders "
      "cancelled) and sends IOC closing orders through the touch until all are flat or the "
      "deadline passes; it stays HALTED until `hft risk resume`");
  auto deadline = std::make_shared<std::string>("60s");
  flatten->add_option("--deadline", *deadline,
                      "How long the engine keeps trying, e.g. 30s, 2m (default 60s)");
  flatten->footer(
      "Closing orders: risk.flatten_aggress_ticks through the opposite touch, inside the daily "
      "limits and collars, at most risk.max_order_qty each, one per symbol at a time.\n"
      "Refused while the kill switch is engaged (it means no order at all).\n"
      "Exit codes: 0 requested, 1 kill switch engaged, no running engine polls the switch, or "
      "segment error; 2 bad --deadline.");
  flatten->callback([&exit_code, deadline] {
    const std::optional<double> secs = parse_duration_seconds(*deadline);
    if (!secs || *secs <= 0 || *secs > 86'400) {
      std::fprintf(stderr,
                   "hft risk flatten: --deadline '%s' is not a duration between 1ms and 24h "
                   "(e.g. 30s, 2m)\n",
                   deadline->c_str());
      exit_code = 2;
      return;
    }
    request_engine(
        exit_code, "hft risk flatten", ": no order may go out",
        [&](ipc::KillSwitch& ks) {
          return ks.request_flatten(static_cast<std::int64_t>(*secs * 1e9));
        },
        "flatten requested (deadline " + *deadline +
            "): a running engine halts within 1 ms and closes every position; its log says when "
            "all are flat");
  });
}

}  // namespace hft::cli
