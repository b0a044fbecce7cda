// Market data at rest (src/hft/data):
//   BM_Data_ImportCsv      — CSV text → validated 64-byte records (hand-written parser), rows/s
//   BM_Data_ReplayBridge   — records → level books → 5-level snapshots (the interim bridge), rows/s
//   BM_Data_ReplayHotPath  — an imported file through the whole hot path (market maker, sim
//                            venue with its L2 books and latency, risk; no recorder), as
//                            `hft run replay --speed max`, events/s
// The input is a synthetic TXF day: snapshot-style updates (clear + 5 levels a side) between
// runs of single-level updates near the touch, and trades.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>

#include "hft/data/data.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/engine/replay_runner.hpp"

namespace hft {
namespace {

/// `rows` CSV rows (plus the header) of one TXF contract around 23,000 points.
std::string synthetic_csv(std::size_t rows) {
  std::string out(data::kCsvHeader);
  out += '\n';
  std::mt19937_64 rng(7);
  std::int64_t ts = 1'722'470'400'000'000'000;
  std::int64_t mid = 23'000;
  std::size_t n = 0;
  char line[160];
  auto row = [&](const char* type, char side, std::int64_t px, std::int64_t qty) {
    int len;
    if (px == 0) {
      len =
          std::snprintf(line, sizeof line, "%lld,%lld,TXFD6,%s,%c,,\n", static_cast<long long>(ts),
                        static_cast<long long>(ts - 3'000'000), type, side);
    } else {
      len = std::snprintf(line, sizeof line, "%lld,%lld,TXFD6,%s,%c,%lld,%lld\n",
                          static_cast<long long>(ts), static_cast<long long>(ts - 3'000'000), type,
                          side, static_cast<long long>(px), static_cast<long long>(qty));
    }
    out.append(line, static_cast<std::size_t>(len));
    ++n;
  };
  while (n < rows) {
    ts += 1'000'000;
    mid += static_cast<std::int64_t>(rng() % 3) - 1;
    row("clear", '-', 0, 0);
    for (int l = 0; l < 5 && n < rows; ++l)
      row("book", 'B', mid - 1 - l, 1 + static_cast<std::int64_t>(rng() % 30));
    for (int l = 0; l < 5 && n < rows; ++l)
      row("book", 'S', mid + 1 + l, 1 + static_cast<std::int64_t>(rng() % 30));
    for (int k = 0; k < 20 && n < rows; ++k) {
      ts += 50'000;
      const bool bid = (rng() & 1) != 0;
      const std::int64_t off = 1 + static_cast<std::int64_t>(rng() % 5);
      row("book", bid ? 'B' : 'S', bid ? mid - off : mid + off,
          static_cast<std::int64_t>(rng() % 40));
    }
    if (n < rows) {
      ts += 50'000;
      row("trade", (rng() & 1) != 0 ? 'B' : 'S', mid + 1, 1 + static_cast<std::int64_t>(rng() % 5));
    }
  }
  return out;
}

class CountingSink final : public data::RecordSink {
 public:
  bool append(const data::Record& r) override {
    sum_ += static_cast<std::uint64_t>(r.h.local_ts);
    return true;
  }
  std::uint64_t sum_ = 0;
};

void BM_Data_ImportCsv(benchmark::State& state) {
  const std::string csv = synthetic_csv(1'000'000);
  data::CsvOptions opts;
  std::uint64_t rows = 0;
  for (auto _ : state) {
    CountingSink sink;
    const data::CsvResult r = data::read_csv(csv, "bench.csv", opts, sink);
    if (!r.ok()) state.SkipWithError(r.error.c_str());
    rows += r.rows;
    benchmark::DoNotOptimize(sink.sum_);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(rows));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(csv.size()));
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Data_ImportCsv)->Unit(benchmark::kMillisecond);

/// An imported copy of the synthetic day in a temp directory (removed at exit).
struct ImportedDay {
  std::filesystem::path dir;
  data::DataFile file;
  explicit ImportedDay(std::size_t rows) {
    dir = std::filesystem::temp_directory_path() / ("hft_data_bench_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string csv_path = (dir / "day.csv").string();
    {
      const std::string csv = synthetic_csv(rows);
      std::FILE* f = std::fopen(csv_path.c_str(), "wb");
      std::fwrite(csv.data(), 1, csv.size(), f);
      std::fclose(f);
    }
    const data::ImportReport r = data::import_csv(csv_path, (dir / "data").string(), {});
    if (r.ok()) (void)file.open((dir / "data").string());
  }
  ~ImportedDay() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

void BM_Data_ReplayBridge(benchmark::State& state) {
  ImportedDay day(1'000'000);
  const data::DataFile& f = day.file;
  std::vector<data::LevelBooks::Capacity> caps;
  for (const data::SymbolEntry& e : f.symbols())
    caps.push_back({e.max_bid_levels, e.max_ask_levels});
  data::LevelBooks books(caps, false);
  BookSnapshot snap{};
  std::uint64_t records = 0;
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < f.size(); ++i) {
      const data::Record& r = f.records()[i];
      if (r.h.type == EventType::kBookLevel)
        books.apply(r.level);
      else if (r.h.type == EventType::kBookClear)
        books.apply(r.clear);
      if ((r.h.flags & kFlagLastInBatch) != 0) books.top5(r.h.symbol, snap);
      benchmark::DoNotOptimize(snap.bid_px[0]);
    }
    records += f.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
}
BENCHMARK(BM_Data_ReplayBridge)->Unit(benchmark::kMillisecond);

void BM_Data_ReplayHotPath(benchmark::State& state) {
  ImportedDay day(1'000'000);
  SymbolTable symbols;
  for (const ContractSpec& s : day.file.specs()) symbols.add(s);
  config::Config cfg;
  cfg.risk.session_check = false;  // the synthetic day's clock is not in a TAIFEX session
  obs::Registry registry;
  auto strat = strategy::make_builtin("market_maker", {}, symbols, nullptr);
  ClientOrderIdGenerator ids(1'800'000'000'000);
  engine::HotPath hot(symbols, cfg, *strat, nullptr, registry, ids);
  hot.start();
  std::uint64_t events = 0, records = 0;
  for (auto _ : state) {
    const std::uint64_t before = hot.metrics().md_events.value();
    const engine::ReplayCounts c = engine::replay_data_as_fast_as_possible(day.file, hot);
    hot.flush_venue();  // as `hft run replay` ends: nothing left in flight when the day restarts
    events += hot.metrics().md_events.value() - before;
    records += c.records;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["records_per_s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
  state.counters["orders"] = static_cast<double>(hot.metrics().orders_sent.value());
}
BENCHMARK(BM_Data_ReplayHotPath)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hft
