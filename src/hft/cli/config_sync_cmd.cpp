// hft config sync: the broker's contract data for the configured symbols (engine/contract_sync),
// a table of what it says and of where our specs differ, and a JSON snapshot of it.
// Exit codes: 0 every contract found and agreeing; 1 a contract missing or differing (the
// snapshot is still written), or the snapshot cannot be written; 2 bad configuration, or the
// bridge could not log in or answer.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "hft/cli/commands.hpp"
#include "hft/cli/duration.hpp"
#include "hft/cli/run_symbols.hpp"
#include "hft/core/clock.hpp"
#include "hft/engine/contract_sync.hpp"
#include "hft/engine/run_summary.hpp"
#include "hft/engine/sim_runner.hpp"

namespace hft::cli {
namespace {

struct SyncArgs {
  std::string config_file;
  std::string symbols;
  std::string out;
  std::string timeout = "60s";
};

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

int sync(const SyncArgs& a) {
  const std::optional<double> timeout_s = parse_duration_seconds(a.timeout);
  if (!timeout_s || *timeout_s <= 0) {
    std::fprintf(stderr, "hft config sync: --timeout '%s': expected a duration such as 60s\n",
                 a.timeout.c_str());
    return 2;
  }
  config::Config cfg;
  if (!load_run_config("live", a.config_file, a.symbols, cfg)) return 2;
  if (cfg.shioaji.api_key.empty() || cfg.shioaji.secret_key.empty()) {
    std::fprintf(stderr,
                 "hft config sync: Shioaji credentials missing: set SHIOAJI_API_KEY and "
                 "SHIOAJI_SECRET_KEY (environment or a 0600 --config file)\n");
    return 2;
  }
  SymbolTable symbols;
  std::string error;
  if (!engine::build_symbols(cfg, symbols, &error)) {
    std::fprintf(stderr, "hft config sync: %s\n", error.c_str());
    return 2;
  }
  std::fprintf(stderr, "hft config sync: asking Shioaji (%s) for %zu contract(s)...\n",
               cfg.shioaji.simulation ? "simulation" : "production", symbols.size());
  const engine::ContractSync got =
      engine::fetch_contracts(cfg, symbols, static_cast<std::int64_t>(*timeout_s * 1000));
  if (!got.error.empty()) {
    std::fprintf(stderr, "hft config sync: %s\n", got.error.c_str());
    return 2;
  }

  std::printf("%-8s %-8s %-7s %-10s %-19s %-11s %s\n", "symbol", "contract", "exch", "reference",
              "limits", "delivery", "our spec");
  std::size_t differing = 0;
  std::string details;
  for (const engine::BrokerContract& c : got.contracts) {
    const std::optional<SymbolId> id = symbols.find(c.code);
    const std::vector<engine::SpecDifference> diffs =
        id ? engine::compare_contract(symbols.spec(*id), c) : std::vector<engine::SpecDifference>{};
    differing += diffs.empty() ? 0 : 1;
    for (const engine::SpecDifference& d : diffs) {
      details += "  " + c.code + ": " + d.field + " — ours " + d.ours + ", the broker's " +
                 d.broker + "\n";
    }
    const std::string limits = c.limit_down.empty() ? "-" : c.limit_down + ".." + c.limit_up;
    std::printf("%-8s %-8s %-7s %-10s %-19s %-11s %s\n", c.code.c_str(),
                (c.target_code.empty() ? c.code : c.target_code).c_str(),
                or_dash(c.exchange).c_str(), or_dash(c.reference).c_str(), limits.c_str(),
                or_dash(c.delivery_date).c_str(), diffs.empty() ? "agrees" : "DIFFERS");
  }
  for (const std::string& code : got.missing) {
    std::printf("%-8s %-8s %-7s %-10s %-19s %-11s %s\n", code.c_str(), "-", "-", "-", "-", "-",
                "MISSING at the broker");
  }
  if (!details.empty()) {
    std::printf(
        "\ndifferences (the engine sizes, prices and limit-checks orders with our spec: fix it "
        "in symbols.list, e.g. `2330 lot_size=1000`, then `hft config build`):\n%s",
        details.c_str());
  }
  if (!got.missing.empty()) {
    std::printf(
        "\n%zu code(s) unknown to the broker: an expired contract month or a typo in "
        "`symbols`; a live run would refuse to start\n",
        got.missing.size());
  }

  const std::string out = a.out.empty() ? config_dir() + "/contracts.json" : a.out;
  if (!engine::write_text_file(
          out, engine::contracts_json(got, symbols, cfg.shioaji.simulation, wall_ns()))) {
    std::fprintf(stderr, "hft config sync: cannot write '%s'\n", out.c_str());
    return 1;
  }
  std::printf("\n%zu contract(s), %zu differing, %zu missing; snapshot written to %s\n",
              got.contracts.size(), differing, got.missing.size(), out.c_str());
  return differing == 0 && got.missing.empty() ? 0 : 1;
}

}  // namespace

void register_config_sync(CLI::App& config, int& exit_code) {
  auto args = std::make_shared<SyncArgs>();
  CLI::App* cmd = config.add_subcommand(
      "sync",
      "Fetch the broker's contract data for the configured symbols through the Shioaji bridge "
      "and check our specs against it (exchange, lot size, multiplier, price scale, limits)");
  cmd->add_option("--symbols", args->symbols, "comma-separated codes (default: `symbols`)");
  cmd->add_option("--config", args->config_file, "YAML file applied on top of the layers");
  cmd->add_option("--out", args->out, "snapshot file (default: <config dir>/contracts.json)");
  cmd->add_option("--timeout", args->timeout, "how long to wait for the broker (default 60s)");
  cmd->footer(
      "Uses the live configuration (shioaji.*, SHIOAJI_API_KEY / SHIOAJI_SECRET_KEY); logs in, "
      "places no order, subscribes nothing.\n"
      "Exit codes: 0 all found and agreeing, 1 missing or differing (snapshot still written), "
      "2 configuration or bridge error.");
  cmd->callback([args, &exit_code] { exit_code = sync(*args); });
}

}  // namespace hft::cli
