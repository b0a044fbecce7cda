#include "hft/obs/monitor/dashboard.hpp"

#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace hft::obs::monitor {

namespace {

constexpr const char* kTickToOrder = "hft_tick_to_order_seconds";
constexpr const char* kLag = "hft_hot_loop_lag_seconds";
constexpr const char* kFeedLatency = "hft_feed_latency_seconds";

std::string sfmt(const char* format, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, format, args...);
  return buf;
}

/// 1234567.8 -> "1,234,568"; keeps `decimals` digits after the point.
std::string grouped(double v, int decimals = 0) {
  if (!std::isfinite(v)) return sfmt("%g", v);
  std::string s = sfmt("%.*f", decimals, std::fabs(v));
  const std::size_t dot = s.find('.');
  std::size_t int_end = dot == std::string::npos ? s.size() : dot;
  for (std::size_t i = int_end; i > 3; i -= 3) s.insert(i - 3, ",");
  if (v < 0 && s.find_first_not_of("0.,") != std::string::npos) s.insert(0, "-");
  return s;
}

std::string opt(const std::optional<double>& v, int decimals = 0) {
  return v ? grouped(*v, decimals) : std::string("-");
}

std::string signed_opt(const std::optional<double>& v, int decimals = 0) {
  if (!v) return "-";
  std::string s = grouped(*v, decimals);
  if (*v > 0) s.insert(0, "+");
  return s;
}

std::string bytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  return u == 0 ? sfmt("%.0f B", b) : sfmt("%.1f %s", b, units[u]);
}

std::optional<double> rate(const Scrape& now, const Scrape* before, double dt,
                           std::string_view name) {
  if (before == nullptr || !(dt > 0)) return std::nullopt;
  const auto a = now.sum(name);
  const auto b = before->sum(name);
  if (!a || !b) return std::nullopt;
  return *a >= *b ? (*a - *b) / dt : *a / dt;  // a reset: count from zero
}

Percentiles percentiles(const std::vector<Bucket>& buckets) {
  Percentiles p;
  if (buckets.empty()) return p;
  p.count = buckets.back().count;
  p.p50 = quantile_from_buckets(buckets, 0.50);
  p.p90 = quantile_from_buckets(buckets, 0.90);
  p.p99 = quantile_from_buckets(buckets, 0.99);
  p.p999 = quantile_from_buckets(buckets, 0.999);
  return p;
}

/// A gauge that may be NaN (an empty book side): missing when absent or NaN.
std::optional<double> finite(std::optional<double> v) {
  if (v && !std::isfinite(*v)) return std::nullopt;
  return v;
}

std::string seconds_opt(const std::optional<double>& v) { return v ? format_seconds(*v) : "-"; }

std::string percentile_line(const Percentiles& p) {
  if (!(p.count > 0)) return "no samples";
  return sfmt("p50 %-9s p90 %-9s p99 %-9s p99.9 %-9s n=%s", seconds_opt(p.p50).c_str(),
              seconds_opt(p.p90).c_str(), seconds_opt(p.p99).c_str(), seconds_opt(p.p999).c_str(),
              grouped(p.count).c_str());
}

struct Style {
  bool ansi;
  std::string red(const std::string& s) const { return ansi ? "\x1b[1;31m" + s + "\x1b[0m" : s; }
  std::string yellow(const std::string& s) const { return ansi ? "\x1b[33m" + s + "\x1b[0m" : s; }
  std::string green(const std::string& s) const { return ansi ? "\x1b[32m" + s + "\x1b[0m" : s; }
  std::string bold(const std::string& s) const { return ansi ? "\x1b[1m" + s + "\x1b[0m" : s; }
};

}  // namespace

std::string trading_state_name(double v) {
  if (v == 0) return "ACTIVE";
  if (v == 1) return "REDUCE_ONLY";
  if (v == 2) return "HALTED";
  return sfmt("UNKNOWN(%g)", v);
}

std::string format_seconds(double s) {
  if (!std::isfinite(s)) return "inf";
  const double a = std::fabs(s);
  if (a < 1e-6) return sfmt("%.0f ns", s * 1e9);
  if (a < 1e-3) return sfmt("%.3g us", s * 1e6);
  if (a < 1) return sfmt("%.3g ms", s * 1e3);
  return sfmt("%.3g s", s);
}

Dashboard build_dashboard(const Scrape& now, const Scrape* before, double interval_s,
                          double now_wall_s) {
  Dashboard d;
  d.interval_s = before != nullptr ? interval_s : 0;
  d.trading_state = now.sum("hft_trading_state");
  d.kill_switch = now.sum("hft_kill_switch");
  for (const Sample* s : now.series("hft_build_info")) {
    d.build_version = s->label("version");
    d.git_sha = s->label("git_sha");
  }
  if (const auto start = now.sum("hft_process_start_time_seconds"); start && *start > 0) {
    d.uptime_s = std::max(0.0, now_wall_s - *start);
  }
  d.rss_bytes = now.sum("hft_process_resident_memory_bytes");
  d.cpu_s = now.sum("hft_process_cpu_seconds_total");

  d.events = now.sum("hft_feed_events_total");
  d.orders = now.sum("hft_orders_sent_total");
  d.fills = now.sum("hft_fills_total");
  d.cancels = now.sum("hft_cancels_sent_total");
  d.acks = now.sum("hft_orders_acked_total");
  d.broker_rejects = now.sum("hft_orders_rejected_total");
  d.working_orders = now.sum("hft_orders_working");
  d.events_rate = rate(now, before, interval_s, "hft_feed_events_total");
  d.orders_rate = rate(now, before, interval_s, "hft_orders_sent_total");
  d.fills_rate = rate(now, before, interval_s, "hft_fills_total");

  const std::vector<Bucket> t2o = now.buckets(kTickToOrder);
  d.t2o_exported = !t2o.empty();
  d.t2o_total = percentiles(t2o);
  if (before != nullptr && d.t2o_exported) {
    d.t2o_interval = percentiles(bucket_delta(t2o, before->buckets(kTickToOrder)));
  }

  const std::vector<Bucket> lag = now.buckets(kLag);
  d.lag_exported = !lag.empty();
  d.lag_total = percentiles(lag);
  if (before != nullptr && d.lag_exported) {
    d.lag_interval = percentiles(bucket_delta(lag, before->buckets(kLag)));
  }
  if (const auto busy = rate(now, before, interval_s, "hft_hot_loop_busy_seconds_total")) {
    d.busy_ratio = std::min(1.0, *busy);
  }

  // Symbols: every symbol that has a position, PnL or top-of-book series.
  std::vector<std::string> syms = now.label_values("hft_position", "symbol");
  for (const char* family : {"hft_pnl_ntd", "hft_best_bid", "hft_best_ask"}) {
    for (std::string& s : now.label_values(family, "symbol")) {
      if (std::find(syms.begin(), syms.end(), s) == syms.end()) syms.push_back(std::move(s));
    }
  }
  d.top_of_book_exported =
      !now.series("hft_best_bid").empty() || !now.series("hft_best_ask").empty();
  d.feed_latency_exported = !now.buckets(kFeedLatency).empty();
  d.feed_latency_interval = before != nullptr && d.feed_latency_exported;
  for (const std::string& sym : syms) {
    const LabelSet m{{"symbol", sym}};
    SymbolRow row;
    row.symbol = sym;
    row.position = now.sum("hft_position", m);
    row.pnl_ntd = now.sum("hft_pnl_ntd", m);
    row.best_bid = finite(now.sum("hft_best_bid", m));
    row.best_ask = finite(now.sum("hft_best_ask", m));
    row.spread_ticks = finite(now.sum("hft_spread_ticks", m));
    const std::vector<Bucket> feed = now.buckets(kFeedLatency, m);
    row.feed = d.feed_latency_interval
                   ? percentiles(bucket_delta(feed, before->buckets(kFeedLatency, m)))
                   : percentiles(feed);
    row.orders_sent = now.sum("hft_orders_sent_total", m);
    row.fills = now.sum("hft_fills_total", m);
    d.symbols.push_back(std::move(row));
  }

  std::vector<std::string> rings = now.label_values("hft_ring_depth", "ring");
  for (const char* family : {"hft_ring_high_water", "hft_ring_full_total"}) {
    for (std::string& r : now.label_values(family, "ring")) {
      if (std::find(rings.begin(), rings.end(), r) == rings.end()) rings.push_back(std::move(r));
    }
  }
  for (const std::string& r : rings) {
    const LabelSet m{{"ring", r}};
    d.rings.push_back({r, now.sum("hft_ring_depth", m), now.sum("hft_ring_high_water", m),
                       now.sum("hft_ring_full_total", m)});
  }

  d.wal_records = now.sum("hft_wal_records_total");
  d.wal_bytes = now.sum("hft_wal_bytes_total");
  d.wal_records_rate = rate(now, before, interval_s, "hft_wal_records_total");
  d.wal_bytes_rate = rate(now, before, interval_s, "hft_wal_bytes_total");
  d.recorder_dropped = now.sum("hft_recorder_dropped_total");
  d.feed_rejected = now.sum("hft_feed_rejected_total");

  for (const Sample* s : now.series("hft_risk_rejects_total")) {
    d.risk_rejects.emplace_back(s->label("reason"), s->value);
  }
  std::stable_sort(d.risk_rejects.begin(), d.risk_rejects.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });

  using L = Alert::Level;
  if (d.kill_switch && *d.kill_switch != 0) d.alerts.push_back({L::kCritical, "kill switch ON"});
  if (d.trading_state && *d.trading_state != 0) {
    d.alerts.push_back({*d.trading_state == 2 ? L::kCritical : L::kWarn,
                        "trading state " + trading_state_name(*d.trading_state) + " (not ACTIVE)"});
  }
  if (!d.trading_state) d.alerts.push_back({L::kWarn, "no hft_trading_state in the scrape"});
  if (d.recorder_dropped && *d.recorder_dropped > 0) {
    d.alerts.push_back({L::kCritical, "recorder dropped " + grouped(*d.recorder_dropped) +
                                          " events (WAL incomplete)"});
  }
  if (d.feed_rejected && *d.feed_rejected > 0) {
    d.alerts.push_back(
        {L::kWarn, "feed rejected " + grouped(*d.feed_rejected) + " market-data records"});
  }
  // hft run live's broker position checks (docs/feed.md "Position checks while running").
  std::string differ;
  for (const Sample* s : now.series("hft_position_mismatch")) {
    if (s->value != 0)
      differ +=
          sfmt("%s%s %+.0f", differ.empty() ? "" : ", ", s->label("symbol").c_str(), s->value);
  }
  if (!differ.empty()) {
    d.alerts.push_back({L::kCritical,
                        "position differs from the broker's at the latest check "
                        "(ours minus the broker's): " +
                            differ +
                            " (two checks in a row halt; once you know why, `hft risk resume "
                            "--rebase` takes the broker's)"});
  }
  if (const auto failed = now.sum("hft_position_checks_failed_total"); failed && *failed > 0) {
    d.alerts.push_back(
        {L::kWarn, grouped(*failed) + " broker position check(s) failed (list_positions)"});
  }
  // hft run live's session lease (docs/operations.md "Session lease").
  if (const auto held = now.sum("hft_session_lease_held"); held && *held == 0) {
    d.alerts.push_back({L::kCritical,
                        "session lease NOT held: another engine may be using this broker "
                        "session (`hft lease status` names the holder); HALTED until it is held "
                        "again and `hft risk resume`"});
  }
  if (const auto errors = now.sum("hft_session_lease_ops_total", {{"result", "error"}});
      errors && *errors > 0) {
    d.alerts.push_back({L::kWarn, grouped(*errors) +
                                      " session lease call(s) to Redis failed (lost after ttl/2 "
                                      "without a refresh)"});
  }
  if (const auto threw = now.sum("hft_strategy_errors_total"); threw && *threw > 0) {
    d.alerts.push_back({L::kCritical, "the strategy threw " + grouped(*threw) +
                                          " time(s): HALTED and not called until `hft risk "
                                          "resume` (the engine's log says where and what)"});
  }
  // The engine closing positions itself (docs/risk.md "Flatten").
  if (const auto active = now.sum("hft_flatten_active"); active && *active != 0) {
    d.alerts.push_back({L::kWarn, "flatten running: HALTED, the engine is closing every position"});
  }
  const auto open_position = [&] {
    for (const Sample* s : now.series("hft_position")) {
      if (s->value != 0) return true;
    }
    return false;
  };
  if (const auto missed = now.sum("hft_flatten_total", {{"result", "deadline"}});
      missed && *missed > 0 && open_position()) {
    d.alerts.push_back({L::kCritical,
                        "a flatten reached its deadline with positions still open "
                        "(see hft_position; `hft risk flatten` again)"});
  }
  if (d.broker_rejects && *d.broker_rejects > 0) {
    d.alerts.push_back({L::kWarn, "broker rejected " + grouped(*d.broker_rejects) + " orders"});
  }
  if (d.busy_ratio && *d.busy_ratio > 0.9) {
    d.alerts.push_back({L::kWarn, sfmt("hot loop busy %.0f %% of the last interval (saturated: "
                                       "records wait in the raw ring)",
                                       *d.busy_ratio * 100)});
  }
  if (before != nullptr && d.events_rate && *d.events_rate == 0 && d.trading_state) {
    d.alerts.push_back({L::kWarn, "no market data in the last interval"});
  }
  if (!now.errors.empty()) {
    d.alerts.push_back(
        {L::kWarn, grouped(static_cast<double>(now.errors.size())) +
                       " unparsable line(s) in the scrape, first: " + now.errors.front()});
  }
  return d;
}

Dashboard unreachable_dashboard(const std::string& url, const std::string& error) {
  Dashboard d;
  d.url = url;
  d.scrape_error = error;
  d.alerts.push_back({Alert::Level::kCritical, "scrape failed: " + error});
  return d;
}

std::string render_dashboard(const Dashboard& d, bool ansi, const std::string& clock_text) {
  const Style st{ansi};
  std::vector<std::string> lines;
  auto add = [&](std::string s) { lines.push_back(std::move(s)); };

  add(st.bold("hft monitor") + "  " + d.url + "  " + clock_text);
  if (!d.scrape_error.empty() && !d.trading_state) {
    add("");
    add(st.red("UNREACHABLE  " + d.scrape_error));
  } else {
    std::string state = d.trading_state ? trading_state_name(*d.trading_state) : "-";
    state = d.trading_state && *d.trading_state == 0 ? st.green(state) : st.red(state);
    const std::string kill =
        !d.kill_switch ? "-" : (*d.kill_switch != 0 ? st.red("ON") : std::string("off"));
    std::string build = d.build_version.empty() ? "-" : d.build_version;
    if (!d.git_sha.empty()) build += " (" + d.git_sha + ")";
    add("");
    add(sfmt("STATE     trading %s   kill switch %s   build %s", state.c_str(), kill.c_str(),
             build.c_str()));
    add(sfmt("PROCESS   uptime %s   rss %s   cpu %s",
             d.uptime_s ? sfmt("%.0f s", *d.uptime_s).c_str() : "-",
             d.rss_bytes ? bytes(*d.rss_bytes).c_str() : "-",
             d.cpu_s ? sfmt("%.2f s", *d.cpu_s).c_str() : "-"));
    if (d.interval_s > 0) {
      add(sfmt("RATES     events/s %s   orders/s %s   fills/s %s   (over %.2f s)",
               opt(d.events_rate).c_str(), opt(d.orders_rate, 1).c_str(),
               opt(d.fills_rate, 1).c_str(), d.interval_s));
    } else {
      add("RATES     - (need two scrapes; use --interval > 0)");
    }
    add(sfmt(
        "TOTALS    events %s   orders %s   cancels %s   acks %s   fills %s   broker rejects %s   "
        "working %s",
        opt(d.events).c_str(), opt(d.orders).c_str(), opt(d.cancels).c_str(), opt(d.acks).c_str(),
        opt(d.fills).c_str(), opt(d.broker_rejects).c_str(), opt(d.working_orders).c_str()));
    if (d.t2o_exported) {
      add("LATENCY   tick->order since start   " + percentile_line(d.t2o_total));
      if (d.interval_s > 0) {
        add("          tick->order last interval " + percentile_line(d.t2o_interval));
      }
    } else {
      add("LATENCY   - (no hft_tick_to_order_seconds histogram in the scrape)");
    }
    if (d.lag_exported) {
      const Percentiles& lag = d.interval_s > 0 ? d.lag_interval : d.lag_total;
      add(sfmt("HOT LOOP  busy %s   ring wait (%s) p50 %s   p99 %s   p99.9 %s",
               d.busy_ratio ? sfmt("%.1f %%", *d.busy_ratio * 100).c_str() : "-",
               d.interval_s > 0 ? "last interval" : "since start", seconds_opt(lag.p50).c_str(),
               seconds_opt(lag.p99).c_str(), seconds_opt(lag.p999).c_str()));
    }

    add("");
    add(st.bold("POSITIONS") + (d.top_of_book_exported
                                    ? std::string()
                                    : "  (top of book: the engine exports no hft_best_bid / "
                                      "hft_best_ask gauges)"));
    add(sfmt("  %-10s %10s %14s %12s %12s %6s %10s %8s", "symbol", "position", "pnl_ntd", "bid",
             "ask", "spread", "orders", "fills"));
    for (const SymbolRow& r : d.symbols) {
      add(sfmt("  %-10s %10s %14s %12s %12s %6s %10s %8s", r.symbol.c_str(),
               signed_opt(r.position).c_str(), signed_opt(r.pnl_ntd, 2).c_str(),
               opt(r.best_bid, 2).c_str(), opt(r.best_ask, 2).c_str(), opt(r.spread_ticks).c_str(),
               opt(r.orders_sent).c_str(), opt(r.fills).c_str()));
    }
    if (d.symbols.empty()) add("  (no hft_position / hft_pnl_ntd series)");
    if (d.feed_latency_exported) {
      add("");
      add(st.bold("FEED LATENCY") + "  local - exchange, " +
          (d.feed_latency_interval ? "last interval" : "since start"));
      add(sfmt("  %-10s %10s %10s %10s %10s %10s", "symbol", "p50", "p90", "p99", "p99.9",
               "records"));
      for (const SymbolRow& r : d.symbols) {
        if (!(r.feed.count > 0)) continue;
        add(sfmt("  %-10s %10s %10s %10s %10s %10s", r.symbol.c_str(),
                 seconds_opt(r.feed.p50).c_str(), seconds_opt(r.feed.p90).c_str(),
                 seconds_opt(r.feed.p99).c_str(), seconds_opt(r.feed.p999).c_str(),
                 grouped(r.feed.count).c_str()));
      }
    }

    add("");
    std::string rings;
    for (const auto& r : d.rings) {
      rings += sfmt("  %s depth %s high-water %s full %s", r.name.c_str(), opt(r.depth).c_str(),
                    opt(r.high_water).c_str(), opt(r.full_total).c_str());
    }
    add("RINGS   " + (rings.empty() ? std::string("  -") : rings));
    add(sfmt("WAL       records %s (%s/s)   bytes %s (%s/s)   recorder drops %s",
             opt(d.wal_records).c_str(), opt(d.wal_records_rate).c_str(),
             d.wal_bytes ? bytes(*d.wal_bytes).c_str() : "-",
             d.wal_bytes_rate ? bytes(*d.wal_bytes_rate).c_str() : "-",
             opt(d.recorder_dropped).c_str()));
    std::string risk;
    for (const auto& [reason, n] : d.risk_rejects) {
      if (n > 0) risk += "  " + reason + " " + grouped(n);
    }
    add("RISK REJECTS" + (risk.empty() ? std::string("  none") : risk));
  }

  add("");
  add(st.bold("ALERTS"));
  for (const Alert& a : d.alerts) {
    add("  " +
        (a.level == Alert::Level::kCritical ? st.red("!! " + a.text) : st.yellow("!  " + a.text)));
  }
  if (d.alerts.empty()) add("  none");

  std::string out;
  for (const std::string& l : lines) {
    out += l;
    if (ansi) out += "\x1b[K";  // clear the rest of a longer previous line
    out += '\n';
  }
  return out;
}

FetchResult fetch_metrics(const std::string& url, double timeout_s) {
  FetchResult r;
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) {
    r.error = "unsupported URL '" + url + "' (expected http://host:port/path)";
    return r;
  }
  const std::string rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  const std::string host_port = rest.substr(0, slash);
  const std::string path = slash == std::string::npos ? "/" : rest.substr(slash);
  std::string host = host_port;
  int port = 80;
  if (const std::size_t colon = host_port.rfind(':'); colon != std::string::npos) {
    host = host_port.substr(0, colon);
    try {
      port = std::stoi(host_port.substr(colon + 1));
    } catch (const std::exception&) {
      r.error = "bad port in URL '" + url + "'";
      return r;
    }
  }
  httplib::Client cli(host, port);
  const auto secs = static_cast<time_t>(timeout_s);
  const auto usecs = static_cast<time_t>((timeout_s - static_cast<double>(secs)) * 1e6);
  cli.set_connection_timeout(secs, usecs);
  cli.set_read_timeout(secs, usecs);
  auto res = cli.Get(path);
  if (!res) {
    r.error = "cannot read " + url + " (" + httplib::to_string(res.error()) + ")";
    return r;
  }
  if (res->status != 200) {
    r.error = url + " answered HTTP " + std::to_string(res->status);
    return r;
  }
  r.ok = true;
  r.body = std::move(res->body);
  return r;
}

}  // namespace hft::obs::monitor
