// Each subcommand group registers itself on the root CLI::App. A handler returns the process
// exit code through `exit_code` (0 ok, 1 runtime failure, 2 bad usage/config).
#pragma once

#include <CLI/CLI.hpp>

namespace hft::cli {

void register_run(CLI::App& app, int& exit_code);     // hft run sim|live|replay
void register_config(CLI::App& app, int& exit_code);  // hft config show|validate|build
void register_kill(CLI::App& app, int& exit_code);    // hft kill on|off|status
void register_data(CLI::App& app, int& exit_code);    // hft data import|export|info (+ gen)
void register_wal(CLI::App& app, int& exit_code);     // hft wal verify|dump|stats

}  // namespace hft::cli
