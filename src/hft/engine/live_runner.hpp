// `hft run live`: the threaded engine (run_engine, sim_runner.hpp) fed by the Shioaji bridge.
//   feed thread — reads the bridge process's stdout (binary records or JSON lines, docs/feed.md),
//                 decodes each payload with feed::shioaji::Normalizer → raw ring
// The bridge (bridge/shioaji_bridge.py, command in shioaji.bridge) logs in with the SDK,
// subscribes the configured symbols and writes one frame per quote callback. Orders do not go to
// the broker from this build: the run refuses orders.mode=live (shadow and disabled work).
#pragma once

#include "hft/config/config.hpp"
#include "hft/engine/sim_runner.hpp"

namespace hft::engine {

/// Runs the engine on the bridge's quote stream; returns the process exit code (2 when the
/// bridge cannot be started or orders.mode=live is asked for).
int run_live(const config::Config& cfg, const RunOptions& options);

}  // namespace hft::engine
