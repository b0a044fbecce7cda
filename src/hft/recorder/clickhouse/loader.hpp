// Loader: WAL -> ClickHouse, exactly once (docs/clickhouse.md explains the mechanism).
//
// Reads verified records with WalReader, maps each to a RowBinary row of its table
// (row_mapper.hpp), inserts per-table batches over HTTP and, only after ClickHouse acknowledged a
// batch, records the loaded position durably in a state file. At start-up (and after a failed
// insert) it asks ClickHouse which rows past the recorded position it already holds and skips
// them, so neither a crash nor a retry nor a re-run duplicates or loses a row. Records that
// cannot be converted, and damaged WAL regions, go to a dead-letter file with the reason.
//
// It is a separate process (`hft recorder load [--follow]`) that only reads the WAL: it can
// never block the engine, whatever ClickHouse does.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "hft/recorder/clickhouse/http_client.hpp"
#include "hft/recorder/clickhouse/row_mapper.hpp"
#include "hft/recorder/clickhouse/schema.hpp"

namespace hft::recorder::clickhouse {

struct LoaderOptions {
  std::string wal_dir;
  std::string state_dir;  // default: "<wal_dir>.loader"
  std::string database = "hft";
  std::size_t batch_rows = 262'144;  // rows per INSERT (a smaller one only at the end of data)
  bool follow = false;               // keep tailing the WAL until stopped
  std::chrono::milliseconds poll_interval{500};
  std::chrono::milliseconds backoff_initial{100};
  std::chrono::milliseconds backoff_max{5'000};
  std::chrono::milliseconds give_up_after{0};  // per outage; 0 = retry forever
  std::size_t max_reconcile_rows = 5'000'000;  // see Loader::reconcile()
};

/// The durable loaded position (`<state_dir>/loader.state`).
struct LoaderState {
  std::string target;         // "<url>/<database>": a state is only valid for its target
  std::uint64_t through = 0;  // every record with seq <= through is loaded or dead-lettered
  std::array<std::uint64_t, kTableCount> table{};  // highest seq acknowledged per table

  /// "" when read (a missing file is an empty state), else why not.
  std::string read(const std::string& path);
  /// Atomic replace: write tmp, fsync, rename, fsync the directory. "" or why not.
  std::string write(const std::string& path) const;
};

struct LoaderStats {
  std::array<std::uint64_t, kTableCount> rows{};  // inserted this run
  std::uint64_t records_read = 0;
  std::uint64_t skipped_loaded = 0;  // found already in ClickHouse (reconciled)
  std::uint64_t dead_letters = 0;    // written this run
  std::uint64_t wal_issues = 0;      // damage reported this run
  std::uint64_t inserts = 0;
  std::uint64_t retries = 0;
  std::uint64_t bytes = 0;
  double seconds = 0;

  std::uint64_t total_rows() const;
};

/// Where the loader is, readable from any thread while it runs (metrics).
struct LoaderProgress {
  std::atomic<std::uint64_t> wal_seq{0};     // highest WAL seq read
  std::atomic<std::int64_t> wal_ts{0};       // its local_ts
  std::atomic<std::uint64_t> loaded_seq{0};  // every record up to it is loaded or dead-lettered
  std::atomic<std::int64_t> pending_ts{0};   // local_ts of the oldest record read, not loaded
  std::atomic<std::uint64_t> clickhouse_errors{0};             // failed ClickHouse calls
  std::array<std::atomic<std::uint64_t>, kTableCount> rows{};  // inserted by this run

  std::uint64_t lag_records() const {
    const std::uint64_t w = wal_seq.load(std::memory_order_relaxed);
    const std::uint64_t l = loaded_seq.load(std::memory_order_relaxed);
    return w > l ? w - l : 0;
  }
  /// Time span (by the records' local_ts) of what was read but is not loaded yet.
  double lag_seconds() const {
    if (lag_records() == 0) return 0;
    const std::int64_t d =
        wal_ts.load(std::memory_order_relaxed) - pending_ts.load(std::memory_order_relaxed);
    return d > 0 ? static_cast<double>(d) / 1e9 : 0;
  }
};

class Loader {
 public:
  Loader(LoaderOptions options, const SymbolDirectory& symbols, HttpClient& http,
         std::FILE* log = stderr);
  ~Loader();
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  /// Loads until the end of the WAL (or, with `follow`, until *stop becomes true). Returns the
  /// exit code: 0 done, 1 failure (message already written to the log).
  int run(const std::atomic<bool>* stop = nullptr);

  const LoaderStats& stats() const { return stats_; }
  const LoaderState& state() const { return state_; }
  const LoaderProgress& progress() const { return progress_; }
  std::string state_path() const { return opt_.state_dir + "/loader.state"; }
  std::string dead_letter_path() const { return opt_.state_dir + "/dead_letter.jsonl"; }

 private:
  struct Batch {
    RowBinaryWriter rows;
    std::vector<std::uint64_t> seqs;
    std::vector<std::size_t> offsets;  // start of each row in `rows`
  };

  /// One batch on its way to ClickHouse (owned by the sender thread while pending).
  struct InsertJob {
    Table table = Table::kMarketData;
    Batch batch;
    std::uint64_t last_seq = 0;  // of the batch as submitted
    std::uint64_t rows = 0;      // inserted by the acknowledged INSERT
    std::uint64_t bytes = 0;
    std::uint64_t already = 0;  // rows a failed INSERT had applied after all (not re-sent)
    bool ok = false;
  };

  bool prepare();
  bool ensure_schema();
  bool reconcile();
  bool pass(bool& saw_new);
  bool submit(Table t);
  bool complete();
  bool send(InsertJob& job);
  void sender_main();
  void stop_sender();
  bool drop_present(Table t, Batch& b, std::uint64_t* already);
  bool wait_backoff(std::chrono::milliseconds& delay, std::chrono::steady_clock::time_point since,
                    const std::string& what);
  bool stopping() const { return stop_ != nullptr && stop_->load(std::memory_order_relaxed); }
  std::string open_view(std::uint64_t from_seq);
  /// Appends one entry unless `key` was written before (by this run or an earlier one).
  bool dead_letter(const std::string& key, const std::string& json_fields);
  bool save_state();
  std::string qualified(Table t) const;

  LoaderOptions opt_;
  const SymbolDirectory& symbols_;
  HttpClient& http_;
  std::FILE* log_;
  const std::atomic<bool>* stop_ = nullptr;
  LoaderState state_;
  LoaderStats stats_;
  LoaderProgress progress_;
  std::array<Batch, kTableCount> batches_;
  std::array<std::unordered_set<std::uint64_t>, kTableCount> present_;
  std::unordered_set<std::string> dead_keys_;
  std::FILE* dead_file_ = nullptr;
  bool dead_dirty_ = false;
  int lock_fd_ = -1;

  // Pipelining: one INSERT in flight on the sender thread while this thread reads and encodes.
  std::thread sender_;
  std::mutex mu_;
  std::condition_variable cv_;
  InsertJob job_;
  bool job_pending_ = false;  // submitted, the sender is on it
  bool job_done_ = false;     // finished, complete() has not recorded it yet
  bool quit_ = false;
};

/// "text" with JSON string escaping, quotes included.
std::string json_string(const std::string& s);

}  // namespace hft::recorder::clickhouse
