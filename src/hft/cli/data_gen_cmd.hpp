// hft data gen: registered under the `data` group by register_data (data_cmd.cpp).
#pragma once

#include <CLI/CLI.hpp>

namespace hft::cli {

/// Adds `gen` to the `data` subcommand group.
void register_data_gen(CLI::App& data, int& exit_code);

}  // namespace hft::cli
