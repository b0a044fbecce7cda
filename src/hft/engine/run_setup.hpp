// What every `hft run` (sim, live, replay) sets up around its hot path before the first record:
// the strategy named by the configuration, and the metrics registry with its exporter.
#pragma once

#include <memory>
#include <string>

#include "hft/config/config.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/obs/metrics.hpp"
#include "hft/strategy/strategy.hpp"

namespace hft::engine {

/// The built-in strategy cfg.strategy names, with its parameters; null after saying on stderr
/// (prefixed by `who`) which key is wrong and why.
std::unique_ptr<strategy::Strategy> make_run_strategy(const config::Config& cfg,
                                                      const SymbolTable& symbols, const char* who);

/// The run's registry (process and build metrics registered) and its Prometheus exporter.
class RunMetrics {
 public:
  RunMetrics();
  /// Serves the registry on metrics.address:metrics.port when metrics.enabled; false after
  /// saying on stderr (prefixed by `who`) what failed and how to fix it.
  bool start(const config::Config& cfg, const char* who);
  obs::Registry& registry() { return registry_; }
  /// Stops serving (idempotent).
  void stop() { exporter_.stop(); }

 private:
  obs::Registry registry_;
  obs::Exporter exporter_{registry_};
};

}  // namespace hft::engine
