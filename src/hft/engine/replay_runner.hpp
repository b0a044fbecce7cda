// `hft run replay`: recorded market data through the same hot path as `hft run sim` (normalizer,
// books, simulated venue, strategy, risk, router, recorder, metrics, progress line, summary).
//
// Sources (detected from --data):
//   - an imported data directory (`hft data import`) or its market_data.hmd: mmapped records;
//     CSV `book`/`clear` rows go through data::LevelBooks and reach the hot path as one 5-level
//     snapshot at the end of each atomic update (interim bridge until the incremental L2 book is
//     wired into the hot path); trades go through as they are;
//   - a .csv file: imported into a temporary directory first;
//   - a WAL directory (wal-*.seg files): its market-data records (snapshots, trades) in sequence
//     order. WAL records carry symbol ids, so the run's configured symbols must be those of the
//     run that wrote it.
// Single-threaded: the replay loop is the hot thread (the recorder and the metrics exporter keep
// their own threads). The data's local_ts is the engine's clock, so the same data and config
// give the same trades and PnL; --speed paces by local_ts (1 = real time, 10 = ten times
// faster, max = no pacing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hft/config/config.hpp"

namespace hft::engine {

class HotPath;

struct ReplayOptions {
  std::string data;                  // data dir, .hmd, .csv, or WAL dir
  double speed = 0;                  // 0 = max; otherwise data time / wall time
  std::optional<std::int64_t> from;  // first local_ts replayed (ns since the epoch, UTC)
  std::optional<std::int64_t> to;    // last local_ts replayed
  std::string summary_json;
  bool progress = true;
};

/// Parses "max", "1", "10", "2.5" (positive); nullopt otherwise. max → 0.
std::optional<double> parse_speed(const std::string& text);

/// Returns the process exit code (0 ok, 1 runtime failure, 2 bad data path or config).
int run_replay(const config::Config& cfg, const ReplayOptions& options);

/// What the replay loop did (also in the summary JSON under "replay").
struct ReplayCounts {
  std::uint64_t records = 0;    // source records read
  std::uint64_t snapshots = 0;  // 5-level snapshots handed to the hot path
  std::uint64_t trades = 0;     // trades handed to the hot path
  std::uint64_t skipped = 0;    // records that are not market data (WAL orders, fills...) or bad
  std::uint64_t levels_dropped = 0;
};

}  // namespace hft::engine

namespace hft::data {
class DataFile;
}

namespace hft::engine {

/// The data-file replay loop, exposed for benchmarks and tests: records [from, to] of `file`
/// through `hot` as fast as possible (no pacing, no recorder back-pressure). `hot` must have
/// been built on file.specs() in order.
ReplayCounts replay_data_as_fast_as_possible(const data::DataFile& file, HotPath& hot);

}  // namespace hft::engine
