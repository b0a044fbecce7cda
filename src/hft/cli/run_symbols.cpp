#include "hft/cli/run_symbols.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "hft/config/config.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/engine/sim_runner.hpp"

namespace hft::cli {

std::string config_dir() {
  const char* dir = std::getenv("HFT_CONFIG_DIR");
  return dir != nullptr ? dir : "config";
}

bool load_run_config(const std::string& mode, const std::string& config_file,
                     const std::string& symbols, config::Config& out) {
  config::LoadOptions opts;
  opts.config_dir = config_dir();
  opts.mode = mode;
  opts.env = config::process_env();
  if (!config_file.empty()) opts.extra_file = config_file;
  if (!symbols.empty()) opts.cli["symbols"] = symbols;
  config::LoadResult loaded = config::load(opts);
  if (!loaded.ok()) {
    for (const std::string& e : loaded.errors) std::fprintf(stderr, "%s\n", e.c_str());
    return false;
  }
  out = std::move(loaded.config);
  return true;
}

bool load_run_fees(const std::string& config_file, execution::FeeSchedule& out) {
  config::Config cfg;
  if (!load_run_config("sim", config_file, "", cfg)) return false;
  out = engine::fee_schedule(cfg);
  return true;
}

bool load_run_symbols(const std::string& mode, const std::string& config_file,
                      const std::string& symbols, const char* who, SymbolTable& table) {
  config::Config cfg;
  if (!load_run_config(mode, config_file, symbols, cfg)) return false;
  std::string error;
  if (!engine::build_symbols(cfg, table, &error)) {
    std::fprintf(stderr, "%s: %s\n", who, error.c_str());
    return false;
  }
  return true;
}

}  // namespace hft::cli
