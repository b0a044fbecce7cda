#include "hft/engine/replay_runner.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "hft/core/clock.hpp"
#include "hft/data/data.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/engine/operator_control.hpp"
#include "hft/engine/recorder_setup.hpp"
#include "hft/engine/run_control.hpp"
#include "hft/engine/run_setup.hpp"
#include "hft/engine/run_summary.hpp"
#include "hft/engine/sim_runner.hpp"
#include "hft/recorder/wal_reader.hpp"

namespace hft::engine {

namespace fs = std::filesystem;

namespace {

/// Records → hot path. Trades go straight through; book levels and clears update the level
/// books, and the end of an atomic update that touched the book becomes one 5-level snapshot.
/// A print after book rows of its update is preceded by an interim snapshot (kFlagInterim) of
/// the book so far, so that the strategy's on_trade sees those rows applied, as the backtester's
/// does; a print with more of its update to come is flagged kFlagInterim too. The strategy's
/// on_book and the venue's end of update (and the reports it makes due) come once, at its end.
/// The levels and clears themselves also go to the simulated venue (HotPath::on_book_level), so
/// that it matches against the full L2 book, event by event, as the backtester's does.
class SnapshotBridge {
 public:
  SnapshotBridge(HotPath& hot, std::size_t symbols,
                 const std::vector<data::LevelBooks::Capacity>& caps)
      : hot_(hot), symbols_(symbols), books_(caps, /*growable=*/false) {}

  void on_record(const data::Record& r) {
    ++counts_.records;
    if (r.h.symbol >= symbols_) [[unlikely]] {
      ++counts_.skipped;
      return;
    }
    switch (r.h.type) {
      case EventType::kTrade:
        if (unpublished_) {
          unpublished_ = false;
          emit(r.h, r.h.symbol, kFlagInterim);
        }
        md_.trade = r.trade;
        if ((r.h.flags & kFlagLastInBatch) == 0 || group_dirty_) {
          // More of its update follows (rows, or the snapshot that ends it): the venue ends the
          // update and delivers what it made due there, as the backtester's next record does.
          md_.trade.h.flags =
              static_cast<std::uint8_t>((md_.trade.h.flags & ~kFlagLastInBatch) | kFlagInterim);
        }
        hot_.on_market_data(md_, r.h.local_ts);
        ++counts_.trades;
        break;
      case EventType::kBookLevel:
        hot_.on_book_level(r.level);
        books_.apply(r.level);
        group_dirty_ = unpublished_ = true;
        break;
      case EventType::kBookClear:
        hot_.on_book_clear(r.clear);
        books_.apply(r.clear);
        group_dirty_ = unpublished_ = true;
        break;
      default: ++counts_.skipped; return;
    }
    if ((r.h.flags & kFlagLastInBatch) != 0 && group_dirty_) {
      group_dirty_ = unpublished_ = false;
      emit(r.h, r.h.symbol, kFlagLastInBatch | kFlagContinued);
    }
  }

  /// Book state only (records before --from): no event reaches the strategy (the venue's book
  /// follows, nothing is in flight yet).
  void warm(const data::Record& r) {
    if (r.h.symbol >= symbols_) return;
    if (r.h.type == EventType::kBookLevel) {
      hot_.on_book_level(r.level);  // nothing is in flight yet: only the venue's book moves
      books_.apply(r.level);
    }
    if (r.h.type == EventType::kBookClear) {
      hot_.on_book_clear(r.clear);
      books_.apply(r.clear);
    }
  }
  /// After warm(): one snapshot per symbol that has a book, stamped `ts`.
  void publish_all(Timestamp ts) {
    for (std::size_t s = 0; s < symbols_; ++s) {
      const auto id = static_cast<SymbolId>(s);
      if (books_.levels(id, Side::kBuy) + books_.levels(id, Side::kSell) == 0) continue;
      emit(EventHeader{ts, ts, 0, id, EventType::kBookSnapshot, 0}, id, kFlagLastInBatch);
    }
  }
  /// A full event from a WAL (snapshot or trade) goes through unchanged.
  void on_event(MarketData& md, Timestamp ts) {
    ++counts_.records;
    if (md.h.type == EventType::kTrade) {
      ++counts_.trades;
    } else {
      ++counts_.snapshots;
    }
    hot_.on_market_data(md, ts);
  }
  void skip() {
    ++counts_.records;
    ++counts_.skipped;
  }

  ReplayCounts counts() const {
    ReplayCounts c = counts_;
    c.levels_dropped = books_.dropped();
    return c;
  }

 private:
  void emit(const EventHeader& h, SymbolId symbol, std::uint8_t flags) {
    md_.snapshot.h =
        EventHeader{h.exch_ts, h.local_ts, h.seq, symbol, EventType::kBookSnapshot, flags};
    books_.top5(symbol, md_.snapshot);
    hot_.on_market_data(md_, h.local_ts);
    ++counts_.snapshots;
  }

  HotPath& hot_;
  std::size_t symbols_;
  data::LevelBooks books_;
  MarketData md_;
  ReplayCounts counts_;
  bool group_dirty_ = false;  // the current update touched the book
  bool unpublished_ = false;  // ... and rows since its last snapshot (interim or final)
};

std::vector<data::LevelBooks::Capacity> capacities(const data::DataFile& file) {
  std::vector<data::LevelBooks::Capacity> caps;
  for (const data::SymbolEntry& e : file.symbols())
    caps.push_back({e.max_bid_levels, e.max_ask_levels});
  return caps;
}

/// Pacing, progress, signals, kill switch and recorder back-pressure: everything the loop does
/// only every `mask + 1` records or when it waits.
class LoopControl {
 public:
  LoopControl(HotPath& hot, std::size_t symbols, recorder::Recorder* rec, std::size_t rec_capacity,
              OperatorControl& op, const ReplayOptions& opt, std::function<void()> sync_metrics)
      : hot_(hot),
        symbols_(symbols),
        rec_(rec),
        rec_limit_(rec_capacity / 4),
        operator_(op),
        opt_(opt),
        sync_metrics_(std::move(sync_metrics)),
        t0_(mono_ns()),
        next_tick_(t0_ + kNsPerSec) {
    // Check often enough that the recorder ring cannot fill between two checks.
    std::size_t every = 1024;
    while (every > 16 && every * 4 > rec_limit_) every /= 2;
    mask_ = every - 1;
  }

  std::uint64_t mask() const { return mask_; }
  std::int64_t t0() const { return t0_; }

  /// False when the run must stop (signal).
  bool periodic() {
    if (stop_requested()) return false;
    operator_.poll(hot_, [this] { return hot_.now(); });
    operator_.heartbeat(wall_ns());  // wall time: `hft risk ...` asks whether we still poll
    // Replay may wait (it is not a live feed): never let the recorder ring drop data.
    while (rec_ != nullptr && rec_->ring_depth() > rec_limit_) {
      std::this_thread::yield();
      if (stop_requested()) return false;
    }
    tick();
    return true;
  }

  /// Waits until the data time `ts` is due at the requested speed. False on a stop signal.
  bool pace(std::int64_t ts) {
    if (opt_.speed <= 0) return true;
    if (first_ts_ < 0) {
      first_ts_ = ts;
      pace_start_ = mono_ns();
    }
    const auto due =
        pace_start_ + static_cast<std::int64_t>(static_cast<double>(ts - first_ts_) / opt_.speed);
    for (;;) {
      const std::int64_t now = mono_ns();
      if (now >= due) return true;
      if (due - now > 2'000'000) {
        std::this_thread::sleep_for(
            std::chrono::nanoseconds(std::min<std::int64_t>(due - now - 1'000'000, 50'000'000)));
        if (!periodic()) return false;
      } else {
        __builtin_ia32_pause();
      }
    }
  }

  void finish() const {
    if (opt_.progress) progress_.finish();
  }

 private:
  void tick() {
    const std::int64_t now = mono_ns();
    if (now < next_tick_) return;
    next_tick_ += kNsPerSec * ((now - next_tick_) / kNsPerSec + 1);
    sync_metrics_();
    if (!opt_.progress) return;
    const std::uint64_t events = hot_.metrics().md_events.value();
    progress_.print(static_cast<double>(now - t0_) / 1e9, events - last_events_, hot_.metrics(),
                    symbols_);
    last_events_ = events;
  }

  HotPath& hot_;
  std::size_t symbols_;
  recorder::Recorder* rec_;
  std::size_t rec_limit_;
  OperatorControl& operator_;
  const ReplayOptions& opt_;
  std::function<void()> sync_metrics_;
  ProgressLine progress_;
  std::int64_t t0_;
  std::int64_t next_tick_;
  std::uint64_t last_events_ = 0;
  std::uint64_t mask_ = 1023;
  std::int64_t first_ts_ = -1;
  std::int64_t pace_start_ = 0;
};

enum class SourceKind { kData, kWal, kCsv, kUnknown };

bool has_wal_segments(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::uint64_t first = 0;
    if (recorder::wal::parse_segment_file_name(entry.path().filename().string(), first))
      return true;
  }
  return false;
}

SourceKind detect(const std::string& path) {
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_directory(p, ec)) {
    if (fs::exists(p / data::kFileName, ec)) return SourceKind::kData;
    if (has_wal_segments(p)) return SourceKind::kWal;
    return SourceKind::kUnknown;
  }
  if (!fs::is_regular_file(p, ec)) return SourceKind::kUnknown;
  if (p.extension() == ".csv") return SourceKind::kCsv;
  if (p.extension() == ".hmd") return SourceKind::kData;
  return SourceKind::kUnknown;
}

/// A temporary directory removed when this goes out of scope.
struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "hft-replay-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

}  // namespace

std::optional<double> parse_speed(const std::string& text) {
  if (text == "max") return 0.0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(v > 0) || v > 1e9) return std::nullopt;
  return v;
}

ReplayCounts replay_data_as_fast_as_possible(const data::DataFile& file, HotPath& hot) {
  SnapshotBridge bridge(hot, file.symbols().size(), capacities(file));
  const data::Record* recs = file.records();
  for (std::uint64_t i = 0, n = file.size(); i < n; ++i) bridge.on_record(recs[i]);
  return bridge.counts();
}

int run_replay(const config::Config& cfg, const ReplayOptions& options) {
  const char* const who = "hft run replay";
  SourceKind kind = detect(options.data);
  if (kind == SourceKind::kUnknown) {
    std::fprintf(
        stderr,
        "%s: --data '%s': expected an imported data directory (hft data import), a .hmd or "
        ".csv file, or a WAL directory (wal-*.seg files)\n",
        who, options.data.c_str());
    return 2;
  }
  if (options.from && options.to && *options.to < *options.from) {
    std::fprintf(stderr, "%s: --to %lld is before --from %lld\n", who,
                 static_cast<long long>(*options.to), static_cast<long long>(*options.from));
    return 2;
  }

  // The data: an imported file (importing a CSV first), or a WAL.
  TempDir tmp;
  std::string data_path = options.data;
  if (kind == SourceKind::kCsv) {
    if (tmp.path.empty()) {
      std::fprintf(stderr, "%s: cannot create a temporary directory to import '%s'\n", who,
                   options.data.c_str());
      return 1;
    }
    const data::ImportReport imported = data::import_csv(options.data, tmp.path, {});
    if (!imported.ok()) {
      std::fprintf(stderr, "%s: %s\n", who, imported.error.c_str());
      return 2;
    }
    data_path = tmp.path;
    kind = SourceKind::kData;
  }
  data::DataFile file;
  SymbolTable symbols;
  std::string error;
  if (kind == SourceKind::kData) {
    if (std::string e = file.open(data_path); !e.empty()) {
      std::fprintf(stderr, "%s: %s\n", who, e.c_str());
      return 2;
    }
    for (const ContractSpec& spec : file.specs()) {
      if (!symbols.add(spec, &error)) {
        std::fprintf(stderr, "%s: %s: %s\n", who, data_path.c_str(), error.c_str());
        return 2;
      }
    }
  } else {
    std::error_code ec;
    if (cfg.recorder.enabled && fs::equivalent(options.data, cfg.recorder.wal_dir, ec)) {
      std::fprintf(stderr,
                   "%s: --data '%s' is the WAL this run would record into (recorder.wal_dir); pass "
                   "--wal-dir with another directory\n",
                   who, options.data.c_str());
      return 2;
    }
    if (!build_symbols(cfg, symbols, &error)) {
      std::fprintf(stderr, "%s: %s\n", who, error.c_str());
      return 2;
    }
  }
  auto strat = make_run_strategy(cfg, symbols, who);
  if (!strat) return 2;

  // The same services around the hot path as `hft run sim`.
  RunMetrics run_metrics;
  if (!run_metrics.start(cfg, who)) return 1;
  obs::Registry& registry = run_metrics.registry();
  RunRecorder rec(registry);
  if (std::string e = rec.start(cfg); !e.empty()) {
    std::fprintf(stderr, "%s: %s\n", who, e.c_str());
    return 1;
  }
  std::optional<OperatorControl> operator_control;
  try {
    operator_control.emplace(registry, who);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  obs::Counter& replay_records =
      registry.counter("hft_replay_records_total", "Market-data records read by the replay");
  ClientOrderIdGenerator ids(wall_ns() / 1'000'000, rec.id_state());
  HotPath hot(symbols, cfg, *strat, rec.get(), registry, ids);

  std::uint64_t last_replay_records = 0;
  std::uint64_t records_read = 0;
  auto sync_metrics = [&] {
    operator_control->sync_metrics();
    replay_records.inc(records_read - last_replay_records);
    last_replay_records = records_read;
    rec.sync_metrics();
  };
  arm_stop_request();
  LoopControl control(hot, symbols.size(), rec.get(), static_cast<std::size_t>(cfg.bus.recorder),
                      *operator_control, options, sync_metrics);
  const std::uint64_t mask = control.mask();
  std::vector<recorder::WalIssue> wal_issues;

  hot.start();
  ReplayCounts counts;
  if (kind == SourceKind::kData) {
    SnapshotBridge bridge(hot, symbols.size(), capacities(file));
    const data::Record* recs = file.records();
    const std::uint64_t begin = options.from ? file.lower_bound(*options.from) : 0;
    const std::uint64_t end = options.to ? file.upper_bound(*options.to) : file.size();
    if (begin > 0) {
      // Starting mid-file: rebuild the books from the records before --from (the level books
      // only; nothing reaches the strategy), then show each book once.
      for (std::uint64_t i = 0; i < begin; ++i) bridge.warm(recs[i]);
      bridge.publish_all(*options.from);
    }
    for (std::uint64_t i = begin; i < end; ++i) {
      if ((i & mask) == 0) [[unlikely]] {
        records_read = i - begin;
        if (!control.periodic()) break;
        if ((i & 0xFFFFF) == 0) file.release_before(i);
      }
      if (options.speed > 0 && !control.pace(recs[i].h.local_ts)) break;
      bridge.on_record(recs[i]);
    }
    counts = bridge.counts();
  } else {
    SnapshotBridge bridge(hot, symbols.size(),
                          std::vector<data::LevelBooks::Capacity>(symbols.size(), {256, 256}));
    recorder::WalReader reader(options.data);
    if (std::string e = reader.open(); !e.empty()) {
      std::fprintf(stderr, "%s: %s\n", who, e.c_str());
      rec.stop();
      return 2;
    }
    recorder::WalRecord wr;
    MarketData md;
    data::Record r;
    std::uint64_t n = 0;
    while (reader.next(wr)) {
      if ((++n & mask) == 0) [[unlikely]] {
        records_read = n;
        if (!control.periodic()) break;
      }
      if (wr.type != EventType::kBookSnapshot && wr.type != EventType::kTrade &&
          wr.type != EventType::kBookLevel && wr.type != EventType::kBookClear) {
        continue;  // orders, fills, risk decisions of the recorded run: not inputs
      }
      const EventHeader h = wr.header();
      if (options.from && h.local_ts < *options.from) continue;
      if (options.to && h.local_ts > *options.to) break;
      if (options.speed > 0 && !control.pace(h.local_ts)) break;
      if (wr.type == EventType::kBookSnapshot || wr.type == EventType::kTrade) {
        if (wr.as(md)) {
          bridge.on_event(md, h.local_ts);
        } else {
          bridge.skip();
        }
      } else if (wr.length == sizeof(data::Record)) {
        std::memcpy(static_cast<void*>(&r), wr.payload, sizeof r);
        bridge.on_record(r);
      } else {
        bridge.skip();
      }
    }
    counts = bridge.counts();
    wal_issues = reader.issues();
  }
  records_read = counts.records;
  // After the data, as the backtester: what is on its way to or from the venue arrives.
  hot.flush_venue();
  hot.stop();
  control.finish();
  const double seconds = static_cast<double>(mono_ns() - control.t0()) / 1e9;
  rec.stop();
  sync_metrics();

  const RunSummary s = collect_summary(hot, symbols, rec.get(), seconds);
  run_metrics.stop();
  for (const recorder::WalIssue& issue : wal_issues) {
    std::fprintf(stderr, "%s: %s: %s\n", who, options.data.c_str(), issue.to_string().c_str());
  }
  const std::string speed = options.speed > 0 ? fmt::format("{}x", options.speed) : "max";
  std::string out = format_summary(
      s, fmt::format("hft run replay — {:.1f} s, {} symbols, {} records of {} at speed {}",
                     s.seconds, symbols.size(), counts.records, options.data, speed));
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);

  if (!options.summary_json.empty()) {
    nlohmann::json j = nlohmann::json::parse(summary_to_json(s));
    j["replay"] = {{"source", kind == SourceKind::kWal ? "wal" : "data"},
                   {"path", options.data},
                   {"speed", speed},
                   {"records", counts.records},
                   {"snapshots", counts.snapshots},
                   {"trades", counts.trades},
                   {"skipped", counts.skipped},
                   {"levels_dropped", counts.levels_dropped},
                   {"wal_issues", wal_issues.size()}};
    if (!write_text_file(options.summary_json, j.dump(2))) {
      std::fprintf(stderr, "%s: cannot write summary to '%s'\n", who, options.summary_json.c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace hft::engine
