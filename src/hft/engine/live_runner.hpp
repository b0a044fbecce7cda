// `hft run live`: the threaded engine (run_engine, sim_runner.hpp) fed by the Shioaji bridge.
//   feed thread — reads the bridge process's stdout (binary records or JSON lines, docs/feed.md),
//                 decodes each payload with feed::shioaji::Normalizer → raw ring; "@exec" lines
//                 → BridgeGateway → exec ring (orders.mode=live)
//   gateway writer (orders.mode=live) — order ring → JSON order lines on the bridge's stdin
// The bridge (bridge/shioaji_bridge.py, command in shioaji.bridge) logs in with the SDK,
// subscribes the configured symbols and writes one frame per quote callback; with --orders it
// also places the engine's orders and reports their events (docs/feed.md, "Orders through the
// bridge"), and first reports what the broker already has — working orders, positions — which
// the engine reconciles before the hot thread starts (reconciliation.hpp; docs/feed.md,
// "Start-up reconciliation"). shadow, sim and disabled keep orders away from the broker.
#pragma once

#include "hft/config/config.hpp"
#include "hft/engine/sim_runner.hpp"

namespace hft::engine {

/// Runs the engine on the bridge's quote stream (and, with orders.mode=live, sends its orders
/// through the bridge); returns the process exit code (2 when the bridge cannot be started or
/// the start-up reconciliation refuses the start).
/// The caller has checked the confirmation (HFT_LIVE_CONFIRM, --confirm-live).
int run_live(const config::Config& cfg, const RunOptions& options);

}  // namespace hft::engine
