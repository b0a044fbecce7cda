#include "hft/engine/run_setup.hpp"

#include <cstdio>

#include "hft/obs/process_metrics.hpp"

namespace hft::engine {

std::unique_ptr<strategy::Strategy> make_run_strategy(const config::Config& cfg,
                                                      const SymbolTable& symbols, const char* who) {
  std::string error;
  auto strat = strategy::make_builtin(cfg.strategy.name, cfg.strategy.params, symbols, &error);
  if (!strat) std::fprintf(stderr, "%s: strategy.%s\n", who, error.c_str());
  return strat;
}

RunMetrics::RunMetrics() {
  obs::register_process_metrics(registry_);
  obs::register_build_info(registry_, "0.1.0");
}

bool RunMetrics::start(const config::Config& cfg, const char* who) {
  if (!cfg.metrics.enabled) return true;
  const std::string e = exporter_.start(cfg.metrics.address, static_cast<int>(cfg.metrics.port));
  if (!e.empty()) std::fprintf(stderr, "%s: %s\n", who, e.c_str());
  return e.empty();
}

}  // namespace hft::engine
