// hft monitor [--url URL] [--interval 1s] [--once]
// A live terminal dashboard over the engine's /metrics (src/hft/obs/monitor): state, kill switch,
// rates, tick->order percentiles, positions and PnL, rings, WAL, risk rejects, alerts. ANSI
// escape codes redraw it in place (no curses), so it works over SSH. `--once` prints one
// plain-text snapshot (two scrapes `--interval` apart, so rates are real) and exits.
// Exit codes: 0 ok, 1 the endpoint could not be read (--once), 2 bad usage.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "hft/cli/commands.hpp"
#include "hft/cli/duration.hpp"
#include "hft/core/clock.hpp"
#include "hft/obs/monitor/dashboard.hpp"

namespace hft::cli {
namespace {

namespace mon = obs::monitor;

std::atomic<bool> g_monitor_stop{false};
extern "C" void on_monitor_signal(int) { g_monitor_stop.store(true); }

struct MonitorArgs {
  std::string url = "http://127.0.0.1:9090/metrics";
  std::string interval = "1s";
  bool once = false;
};

double wall_seconds() { return static_cast<double>(wall_ns()) / 1e9; }

std::string clock_text() {
  const std::int64_t ns = wall_ns();
  const std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm t{};
  gmtime_r(&secs, &t);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &t);
  return buf;
}

/// Sleeps up to `seconds`, waking early on Ctrl-C.
void nap(double seconds) {
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::microseconds(static_cast<std::int64_t>(seconds * 1e6));
  while (!g_monitor_stop.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int run_once(const MonitorArgs& a, double interval_s) {
  const double timeout = 2.0;
  mon::FetchResult first = mon::fetch_metrics(a.url, timeout);
  if (!first.ok) {
    std::printf("%s", mon::render_dashboard(mon::unreachable_dashboard(a.url, first.error), false,
                                            clock_text())
                          .c_str());
    std::fprintf(stderr, "hft monitor: %s\n", first.error.c_str());
    return 1;
  }
  const mon::Scrape s1 = mon::parse_prometheus_text(first.body);
  std::optional<mon::Scrape> s2;
  auto t1 = std::chrono::steady_clock::now();
  double dt = 0;
  if (interval_s > 0) {
    nap(interval_s);
    mon::FetchResult second = mon::fetch_metrics(a.url, timeout);
    if (second.ok) {
      dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
      s2 = mon::parse_prometheus_text(second.body);
    }
  }
  mon::Dashboard d = s2 ? mon::build_dashboard(*s2, &s1, dt, wall_seconds())
                        : mon::build_dashboard(s1, nullptr, 0, wall_seconds());
  d.url = a.url;
  std::printf("%s", mon::render_dashboard(d, false, clock_text()).c_str());
  return 0;
}

int run_live(const MonitorArgs& a, double interval_s) {
  std::signal(SIGINT, on_monitor_signal);
  std::signal(SIGTERM, on_monitor_signal);
  const bool ansi = isatty(STDOUT_FILENO) != 0;
  if (ansi) std::printf("\x1b[?25l\x1b[2J");  // hide the cursor, clear once
  std::optional<mon::Scrape> before;
  auto before_t = std::chrono::steady_clock::now();
  std::optional<mon::Dashboard> last_good;
  while (!g_monitor_stop.load()) {
    mon::FetchResult f = mon::fetch_metrics(a.url, std::max(0.5, interval_s));
    const auto t = std::chrono::steady_clock::now();
    mon::Dashboard d;
    if (f.ok) {
      mon::Scrape s = mon::parse_prometheus_text(f.body);
      const double dt = std::chrono::duration<double>(t - before_t).count();
      d = mon::build_dashboard(s, before ? &*before : nullptr, dt, wall_seconds());
      d.url = a.url;
      last_good = d;
      before = std::move(s);
      before_t = t;
    } else if (last_good) {
      d = *last_good;  // keep the last picture, flag it as stale
      d.scrape_error = f.error;
      d.alerts.insert(d.alerts.begin(), {mon::Alert::Level::kCritical,
                                         "scrape failed (showing the last good one): " + f.error});
    } else {
      d = mon::unreachable_dashboard(a.url, f.error);
    }
    const std::string frame = mon::render_dashboard(d, ansi, clock_text());
    if (ansi) {
      std::printf("\x1b[H%s\x1b[J", frame.c_str());  // home, draw, clear below
    } else {
      std::printf("%s\n", frame.c_str());
    }
    std::fflush(stdout);
    nap(interval_s > 0 ? interval_s : 1.0);
  }
  if (ansi) std::printf("\x1b[?25h\n");  // show the cursor again
  std::fflush(stdout);
  return 0;
}

}  // namespace

void register_monitor(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<MonitorArgs>();
  CLI::App* cmd = app.add_subcommand(
      "monitor", "Live terminal dashboard of a running engine from its Prometheus /metrics");
  cmd->add_option("--url", args->url, "Metrics endpoint")->capture_default_str();
  cmd->add_option("--interval", args->interval,
                  "Time between scrapes (rates are computed over it), e.g. 1s, 500ms")
      ->capture_default_str();
  cmd->add_flag("--once", args->once,
                "Print one plain-text snapshot (two scrapes --interval apart) and exit; exit 1 "
                "when the endpoint cannot be read");
  cmd->callback([args, &exit_code] {
    const auto interval = parse_duration_seconds(args->interval);
    if (!interval) {
      std::fprintf(stderr,
                   "hft monitor: --interval '%s': expected a duration like 1s, 500ms or 2m\n",
                   args->interval.c_str());
      exit_code = 2;
      return;
    }
    g_monitor_stop.store(false);
    exit_code = args->once ? run_once(*args, *interval) : run_live(*args, *interval);
  });
}

}  // namespace hft::cli
