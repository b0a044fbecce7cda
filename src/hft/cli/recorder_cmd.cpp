// `hft recorder init-db|load|status`: the ClickHouse side of the recorder (docs/clickhouse.md).
// Exit codes: 0 ok, 1 runtime failure (ClickHouse refused, gave up retrying), 2 bad usage/config.
#include <fmt/format.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "hft/cli/commands.hpp"
#include "hft/cli/duration.hpp"
#include "hft/cli/run_symbols.hpp"
#include "hft/config/config.hpp"
#include "hft/obs/metrics.hpp"
#include "hft/recorder/clickhouse/http_client.hpp"
#include "hft/recorder/clickhouse/loader.hpp"
#include "hft/recorder/clickhouse/schema.hpp"
#include "hft/recorder/wal_reader.hpp"

namespace hft::cli {

namespace {

namespace ch = recorder::clickhouse;

std::atomic<bool> g_stop{false};
void on_recorder_stop_signal(int) { g_stop.store(true, std::memory_order_relaxed); }

struct Target {
  std::string url = "http://127.0.0.1:8123";
  std::string database = "hft";
};

void add_target(CLI::App* cmd, Target& t) {
  cmd->add_option("--url", t.url, "ClickHouse HTTP endpoint")->capture_default_str();
  cmd->add_option("--database", t.database, "ClickHouse database")->capture_default_str();
}

bool valid_database(const std::string& db) {
  if (db.empty()) return false;
  for (char c : db) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

int run_init(const Target& t) {
  if (!valid_database(t.database)) {
    std::fprintf(stderr, "recorder init-db: --database '%s': expected letters, digits and _\n",
                 t.database.c_str());
    return 2;
  }
  ch::HttpClient http(t.url);
  const ch::HttpResult r =
      ch::apply_schema(t.database, [&](const std::string& sql) { return http.query(sql); });
  if (!r.ok()) {
    std::fprintf(stderr, "recorder init-db: %s failed at:\n  %s\n", t.url.c_str(),
                 r.describe().c_str());
    return 1;
  }
  fmt::print("recorder init-db: {} database {} ready:", t.url, t.database);
  for (ch::Table tb : ch::kAllTables) fmt::print(" {}", ch::table_name(tb));
  fmt::print(" (+ view fills)\n");
  return 0;
}

struct SymbolArgs {
  std::string config_file;
  std::string symbols;
  std::string mode = "sim";
};

/// The symbol ids `hft run` assigned: the same layered configuration, resolved the same way.
bool build_directory(const SymbolArgs& a, ch::SymbolDirectory& out) {
  SymbolTable table;
  if (!load_run_symbols(a.mode, a.config_file, a.symbols, "recorder", table)) return false;
  for (std::size_t id = 0; id < table.size(); ++id) {
    const ContractSpec& s = table.spec(static_cast<SymbolId>(id));
    out.add(static_cast<SymbolId>(id), ch::SymbolInfo{s.code, s.price_scale});
  }
  return true;
}

struct LoadArgs {
  Target target;
  SymbolArgs sym;
  std::string wal_dir;
  std::string state_dir;
  std::size_t batch_rows = 262'144;
  bool follow = false;
  std::string poll = "500ms";
  std::string give_up;
  int metrics_port = 0;  // 0 = no metrics endpoint
};

/// The loader's families (docs/clickhouse.md "Metrics"), refreshed at every scrape.
void register_loader_metrics(obs::Registry& registry, const ch::LoaderProgress& p) {
  obs::Gauge& lag_records = registry.gauge("hft_loader_lag_records",
                                           "WAL records read but not yet loaded into ClickHouse");
  obs::Gauge& lag_seconds = registry.gauge(
      "hft_loader_lag_seconds",
      "Time span (record local_ts) between the newest WAL record read and the oldest not loaded");
  obs::Gauge& loaded = registry.gauge("hft_loader_loaded_seq",
                                      "Every WAL record up to this seq is loaded or dead-lettered");
  obs::Counter& errors =
      registry.counter("hft_clickhouse_errors_total",
                       "ClickHouse calls that failed (each is retried with back-off)");
  std::array<obs::Counter*, ch::kTableCount> rows{};
  for (ch::Table t : ch::kAllTables) {
    rows[static_cast<std::size_t>(t)] =
        &registry.counter("hft_loader_rows_total", "Rows inserted into ClickHouse by this loader",
                          {{"table", ch::table_name(t)}});
  }
  registry.add_collector([&p, &lag_records, &lag_seconds, &loaded, &errors, rows] {
    lag_records.set(static_cast<double>(p.lag_records()));
    lag_seconds.set(p.lag_seconds());
    loaded.set(static_cast<double>(p.loaded_seq.load(std::memory_order_relaxed)));
    errors.set(p.clickhouse_errors.load(std::memory_order_relaxed));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i]->set(p.rows[i].load(std::memory_order_relaxed));
    }
  });
}

int run_load(const LoadArgs& a) {
  if (!valid_database(a.target.database)) {
    std::fprintf(stderr, "recorder load: --database '%s': expected letters, digits and _\n",
                 a.target.database.c_str());
    return 2;
  }
  ch::LoaderOptions o;
  o.wal_dir = a.wal_dir;
  o.state_dir = a.state_dir;
  o.database = a.target.database;
  o.batch_rows = a.batch_rows;
  o.follow = a.follow;
  const auto poll = parse_duration_seconds(a.poll);
  // One-shot loads give up after 10 minutes of outage; --follow retries until stopped.
  const auto give_up =
      parse_duration_seconds(a.give_up.empty() ? (a.follow ? "0s" : "10m") : a.give_up);
  if (!poll || !give_up) {
    std::fprintf(stderr, "recorder load: --poll/--give-up-after: expected a duration like 500ms\n");
    return 2;
  }
  o.poll_interval = std::chrono::milliseconds(static_cast<long long>(*poll * 1000));
  o.give_up_after = std::chrono::milliseconds(static_cast<long long>(*give_up * 1000));
  ch::SymbolDirectory symbols;
  if (!build_directory(a.sym, symbols)) return 2;

  std::signal(SIGINT, on_recorder_stop_signal);
  std::signal(SIGTERM, on_recorder_stop_signal);
  ch::HttpClient http(a.target.url);
  ch::Loader loader(o, symbols, http);
  obs::Registry registry;
  obs::Exporter exporter(registry);
  if (a.metrics_port != 0) {
    register_loader_metrics(registry, loader.progress());
    if (std::string e = exporter.start("127.0.0.1", a.metrics_port); !e.empty()) {
      std::fprintf(stderr, "recorder load: %s\n", e.c_str());
      return 1;
    }
  }
  const int rc = loader.run(&g_stop);
  exporter.stop();
  const ch::LoaderStats& s = loader.stats();
  std::string per_table;
  for (ch::Table t : ch::kAllTables) {
    const std::uint64_t n = s.rows[static_cast<std::size_t>(t)];
    if (n != 0)
      per_table += fmt::format("{}{} {}", per_table.empty() ? "" : ", ", ch::table_name(t), n);
  }
  fmt::print(
      "recorder load: {} rows inserted ({}) in {} inserts, {:.3f} s, {:.0f} rows/s; {} records "
      "read, {} already loaded, {} dead letters, {} WAL issues, {} retries; loaded through seq "
      "{}\n",
      s.total_rows(), per_table.empty() ? "none" : per_table, s.inserts, s.seconds,
      s.seconds > 0 ? static_cast<double>(s.total_rows()) / s.seconds : 0.0, s.records_read,
      s.skipped_loaded, s.dead_letters, s.wal_issues, s.retries, loader.state().through);
  if (s.dead_letters != 0) fmt::print("dead letters: {}\n", loader.dead_letter_path());
  return rc;
}

struct StatusArgs {
  Target target;
  std::string wal_dir;
  std::string state_dir;
};

int run_status(const StatusArgs& a) {
  if (!valid_database(a.target.database)) return 2;
  recorder::WalReader reader(a.wal_dir);
  if (std::string err = reader.open(); !err.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 2;
  }
  struct Row {
    std::uint64_t wal_records = 0;
    std::uint64_t wal_last = 0;
    std::uint64_t ch_rows = 0;
    std::uint64_t ch_unique = 0;
    std::uint64_t ch_max = 0;
    std::uint64_t lag = 0;
  };
  std::array<Row, ch::kTableCount> rows{};
  std::vector<std::pair<std::size_t, std::uint64_t>> seqs;  // table, seq (for the lag)
  for (recorder::WalRecord rec; reader.next(rec);) {
    const auto t = ch::table_of(rec.type);
    if (!t) continue;
    Row& r = rows[static_cast<std::size_t>(*t)];
    ++r.wal_records;
    r.wal_last = rec.seq;
    seqs.emplace_back(static_cast<std::size_t>(*t), rec.seq);
  }
  ch::HttpClient http(a.target.url, 10'000);
  bool reachable = true;
  for (ch::Table t : ch::kAllTables) {
    const auto r = http.query("SELECT count(), uniqExact(seq), max(seq) FROM " + a.target.database +
                              "." + ch::table_name(t));
    if (!r.ok()) {
      std::fprintf(stderr, "recorder status: %s: %s\n", ch::table_name(t), r.describe().c_str());
      reachable = false;
      break;
    }
    Row& row = rows[static_cast<std::size_t>(t)];
    std::sscanf(r.body.c_str(), "%lu\t%lu\t%lu", &row.ch_rows, &row.ch_unique, &row.ch_max);
  }
  for (const auto& [t, seq] : seqs) rows[t].lag += seq > rows[t].ch_max ? 1 : 0;
  std::string state_dir = a.state_dir;
  if (state_dir.empty()) {
    state_dir = a.wal_dir;
    while (state_dir.size() > 1 && state_dir.back() == '/') state_dir.pop_back();
    state_dir += ".loader";
  }
  ch::LoaderState state;
  const std::string state_err = state.read(state_dir + "/loader.state");
  fmt::print("WAL {}: {} records, seq {}..{}; ClickHouse {} database {}{}\n", a.wal_dir,
             reader.records(), reader.first_seq(), reader.last_seq(), a.target.url,
             a.target.database, reachable ? "" : " (UNREACHABLE)");
  fmt::print("loader state {}: {}\n", state_dir + "/loader.state",
             !state_err.empty() ? state_err
             : state.target.empty()
                 ? std::string("none")
                 : fmt::format("through seq {} (target {})", state.through, state.target));
  fmt::print("{:<19} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>10}\n", "table", "wal_records",
             "wal_last_seq", "state_seq", "ch_rows", "ch_unique", "ch_max_seq", "lag");
  std::uint64_t total_lag = 0;
  for (ch::Table t : ch::kAllTables) {
    const Row& r = rows[static_cast<std::size_t>(t)];
    total_lag += r.lag;
    fmt::print("{:<19} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>10}\n", ch::table_name(t),
               r.wal_records, r.wal_last, state.table[static_cast<std::size_t>(t)], r.ch_rows,
               r.ch_unique, r.ch_max, reachable ? std::to_string(r.lag) : "?");
  }
  fmt::print("lag: {} WAL record(s) past what ClickHouse holds{}\n", total_lag,
             reader.corrupt() ? "; the WAL has damage (hft wal verify)" : "");
  return reachable ? 0 : 1;
}

}  // namespace

void register_recorder(CLI::App& app, int& exit_code) {
  CLI::App* rec = app.add_subcommand(
      "recorder", "ClickHouse copy of the WAL: create the schema, load, show the loader's lag");
  rec->require_subcommand(1);

  auto init_t = std::make_shared<Target>();
  CLI::App* init = rec->add_subcommand(
      "init-db", "Create the database, tables and views (idempotent; see docs/clickhouse.md)");
  add_target(init, *init_t);
  init->callback([init_t, &exit_code] { exit_code = run_init(*init_t); });

  auto la = std::make_shared<LoadArgs>();
  CLI::App* load = rec->add_subcommand(
      "load",
      "Load a WAL directory into ClickHouse exactly once (re-runs add nothing); --follow keeps "
      "tailing the WAL beside `hft run`");
  load->add_option("--wal", la->wal_dir, "WAL directory")->required();
  add_target(load, la->target);
  load->add_option("--state-dir", la->state_dir,
                   "Loader position and dead-letter file (default: <WAL dir>.loader)");
  load->add_option("--batch-rows", la->batch_rows, "Rows per INSERT")
      ->check(CLI::Range(static_cast<std::size_t>(1), static_cast<std::size_t>(10'000'000)))
      ->capture_default_str();
  load->add_flag("--follow", la->follow, "Keep loading new records until SIGINT/SIGTERM");
  load->add_option("--metrics-port", la->metrics_port,
                   "Serve the loader's metrics on 127.0.0.1:PORT (default: off)")
      ->check(CLI::Range(0, 65535));
  load->add_option("--poll", la->poll, "With --follow: how often to look for new records")
      ->capture_default_str();
  load->add_option("--give-up-after", la->give_up,
                   "Stop retrying after this long without ClickHouse (default 10m; 0 = never; "
                   "never with --follow)");
  load->add_option("--config", la->sym.config_file,
                   "Extra YAML config file: the one `hft run` used (symbol ids come from it)")
      ->check(CLI::ExistingFile);
  load->add_option("--symbols", la->sym.symbols, "The --symbols `hft run` used");
  load->callback([la, &exit_code] { exit_code = run_load(*la); });

  auto sa = std::make_shared<StatusArgs>();
  CLI::App* status = rec->add_subcommand(
      "status", "Per table: WAL records and last seq, loader position, ClickHouse rows, lag");
  status->add_option("--wal", sa->wal_dir, "WAL directory")->required();
  add_target(status, sa->target);
  status->add_option("--state-dir", sa->state_dir, "Loader state directory");
  status->callback([sa, &exit_code] { exit_code = run_status(*sa); });
}

}  // namespace hft::cli
