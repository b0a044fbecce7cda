// The symbol table a run used, rebuilt by the tools that read its output (WAL export, the
// ClickHouse loader): the same layered configuration, resolved the same way as `hft run`.
#pragma once

#include <string>

#include "hft/core/symbol_table.hpp"

namespace hft::cli {

/// $HFT_CONFIG_DIR, else ./config.
std::string config_dir();

/// Loads the configuration (mode overlay, `config_file`, `symbols` as --symbols) and builds the
/// run's symbol table. Errors go to stderr, prefixed with `who`; false on any.
bool load_run_symbols(const std::string& mode, const std::string& config_file,
                      const std::string& symbols, const char* who, SymbolTable& table);

}  // namespace hft::cli
