// The symbol table a run used, rebuilt by the tools that read its output (WAL export, the
// ClickHouse loader): the same layered configuration, resolved the same way as `hft run`.
#pragma once

#include <string>

#include "hft/config/config.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/execution/fees.hpp"

namespace hft::cli {

/// $HFT_CONFIG_DIR, else ./config.
std::string config_dir();

/// Loads the layered configuration as `hft run <mode>` does (config_dir(), the mode and HFT_ENV
/// overlays, the environment, `config_file` on top, `symbols` as --symbols). Errors go to
/// stderr; false on any.
bool load_run_config(const std::string& mode, const std::string& config_file,
                     const std::string& symbols, config::Config& out);

/// The costs (fees.*) of the layered configuration of `hft run sim` with `config_file` on top,
/// for the backtester. Errors go to stderr; false on any.
bool load_run_fees(const std::string& config_file, execution::FeeSchedule& out);

/// load_run_config, then builds the run's symbol table. Errors go to stderr, prefixed with `who`;
/// false on any.
bool load_run_symbols(const std::string& mode, const std::string& config_file,
                      const std::string& symbols, const char* who, SymbolTable& table);

}  // namespace hft::cli
