// The recorder as the runners set it up: WAL options from the configuration (recorder.*) and
// the WAL's durability and disk-pressure metrics (docs/metrics.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "hft/config/config.hpp"
#include "hft/obs/metrics.hpp"
#include "hft/recorder/recorder.hpp"

namespace hft::engine {

/// WAL options for `cfg`; registers `hft_wal_fsync_seconds`, which the writer thread fills.
recorder::WalOptions wal_options(const config::Config& cfg, obs::Registry& registry);

/// Gauges of `rec` read at every scrape: durable sequence, disk free share and pressure level,
/// market data dropped for lack of disk. `rec` must outlive the registry's exporter.
void register_recorder_metrics(obs::Registry& registry, const recorder::Recorder& rec);

/// The recorder of one `hft run` (sim, live, replay): the WAL when recorder.enabled, with its
/// gauges and the counters hft_wal_records_total / hft_wal_bytes_total (registered either way).
class RunRecorder {
 public:
  explicit RunRecorder(obs::Registry& registry);
  /// Starts the WAL when cfg.recorder.enabled; empty on success or when disabled, otherwise why
  /// the WAL could not start.
  std::string start(const config::Config& cfg);
  /// The recorder (null when disabled), for the hot path and the summary.
  recorder::Recorder* get() const { return rec_.get(); }
  /// The file that keeps client order ids unique across restarts ("" without a WAL).
  const std::string& id_state() const { return id_state_; }
  /// Brings the WAL counters up to date (main thread, once a second and at the end).
  void sync_metrics();
  /// Flushes and closes the WAL (idempotent).
  void stop();

 private:
  obs::Registry& registry_;
  obs::Counter& records_;
  obs::Counter& bytes_;
  std::unique_ptr<recorder::Recorder> rec_;
  std::string id_state_;
  std::uint64_t last_records_ = 0;
  std::uint64_t last_bytes_ = 0;
};

}  // namespace hft::engine
