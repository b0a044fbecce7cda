// Each subcommand group registers itself on the root CLI::App. A handler returns the process
// exit code through `exit_code` (0 ok, 1 runtime failure, 2 bad usage/config).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace hft::recorder {
struct WalRecord;
}

namespace hft::cli {

void register_run(CLI::App& app, int& exit_code);       // hft run sim|live|replay
void register_config(CLI::App& app, int& exit_code);    // hft config show|validate|build|sync
void register_kill(CLI::App& app, int& exit_code);      // hft kill on|off|status
void register_risk(CLI::App& app, int& exit_code);      // hft risk resume
void register_lease(CLI::App& app, int& exit_code);     // hft lease status|release
void register_data(CLI::App& app, int& exit_code);      // hft data import|export|info (+ gen)
void register_wal(CLI::App& app, int& exit_code);       // hft wal verify|dump|stats
void register_monitor(CLI::App& app, int& exit_code);   // hft monitor (terminal dashboard)
void register_report(CLI::App& app, int& exit_code);    // hft report latency|bench
void register_recorder(CLI::App& app, int& exit_code);  // hft recorder init-db|load|status
void register_backtest(CLI::App& app, int& exit_code);  // hft backtest run
void register_strat(CLI::App& app, int& exit_code);     // hft strat test|list
/// `hft config sync`, added to the `config` group (the broker's contract data,
/// engine/contract_sync).
void register_config_sync(CLI::App& config, int& exit_code);
/// `hft wal export`, added to the `wal` group; `to_jsonl(record, segment)` is `wal dump`'s line.
void register_wal_export(
    CLI::App& wal, int& exit_code,
    std::function<std::string(const recorder::WalRecord&, const std::string&)> to_jsonl);

}  // namespace hft::cli
