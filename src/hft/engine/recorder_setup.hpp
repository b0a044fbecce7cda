// The recorder as the runners set it up: WAL options from the configuration (recorder.*) and
// the WAL's durability and disk-pressure metrics (docs/metrics.md).
#pragma once

#include "hft/config/config.hpp"
#include "hft/obs/metrics.hpp"
#include "hft/recorder/recorder.hpp"

namespace hft::engine {

/// WAL options for `cfg`; registers `hft_wal_fsync_seconds`, which the writer thread fills.
recorder::WalOptions wal_options(const config::Config& cfg, obs::Registry& registry);

/// Gauges of `rec` read at every scrape: durable sequence, disk free share and pressure level,
/// market data dropped for lack of disk. `rec` must outlive the registry's exporter.
void register_recorder_metrics(obs::Registry& registry, const recorder::Recorder& rec);

}  // namespace hft::engine
