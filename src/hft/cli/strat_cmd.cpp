// hft strat test STRATEGY --scenario FILE.yaml [--scenario ...] [--param k=v ...] [--config F] [-v]
// hft strat list
// Runs scripted market scenarios (backtest/scenario.hpp) against a built-in strategy or a
// strategy library and compares the orders, fills and positions with what the file expects.
// Fills are charged the fees.* of the layered config, as in `hft backtest run` and `hft run sim`.
// Exit codes: 0 every scenario passed; 1 a scenario failed; 2 bad usage or an unreadable file.
#include <cstdio>
#include <string>
#include <vector>

#include "hft/backtest/params.hpp"
#include "hft/backtest/scenario.hpp"
#include "hft/cli/commands.hpp"
#include "hft/cli/run_symbols.hpp"

namespace hft::cli {
namespace {

struct StratTestArgs {
  std::string strategy;
  std::vector<std::string> scenarios;
  std::vector<std::string> params;
  std::string config_file;
  bool verbose = false;
};

int run_strat_test(const StratTestArgs& a) {
  execution::FeeSchedule fees;  // costs as `hft run sim` charges them (fees.*)
  if (!load_run_fees(a.config_file, fees)) return 2;
  int failed = 0;
  for (const std::string& path : a.scenarios) {
    backtest::Scenario sc;
    std::string err = backtest::load_scenario(path, sc);
    sc.config.fees = fees;
    for (const std::string& kv : a.params) {
      if (err.empty()) err = backtest::apply_param_override(kv, sc.config.params);
    }
    if (!err.empty()) {
      std::fprintf(stderr, "hft strat test: %s\n", err.c_str());
      return 2;
    }
    SymbolTable symbols;
    err = backtest::make_symbols(sc.input, symbols);
    auto strat = err.empty()
                     ? backtest::create_strategy(a.strategy, sc.config.params, symbols, &err)
                     : nullptr;
    if (!strat) {
      std::fprintf(stderr, "hft strat test: %s: %s\n", path.c_str(), err.c_str());
      return 2;
    }
    std::string report;
    const std::vector<std::string> failures = backtest::run_scenario(sc, *strat, &report);
    std::printf("%s  %s (%s)\n", failures.empty() ? "PASS" : "FAIL", sc.name.c_str(), path.c_str());
    for (const std::string& f : failures) std::printf("    %s\n", f.c_str());
    if (!failures.empty() || a.verbose) std::printf("%s", report.c_str());
    failed += failures.empty() ? 0 : 1;
  }
  std::printf("%zu scenario(s), %d failed\n", a.scenarios.size(), failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace

void register_strat(CLI::App& app, int& exit_code) {
  auto* strat = app.add_subcommand("strat", "Strategy tools: scenario tests, built-in list");
  strat->require_subcommand(1);
  auto args = std::make_shared<StratTestArgs>();
  auto* test = strat->add_subcommand("test", "Run scripted market scenarios against a strategy");
  test->add_option("strategy", args->strategy, "Built-in name or strategy library (.so)")
      ->required();
  test->add_option("--scenario", args->scenarios, "Scenario YAML file (repeatable)")->required();
  test->add_option("--param", args->params, "Parameter override key=value (repeatable)");
  test->add_option("--config", args->config_file,
                   "Extra YAML config file over the layers of $HFT_CONFIG_DIR (default ./config); "
                   "fills are charged its costs (fees.*), as hft run sim does");
  test->add_flag("-v,--verbose", args->verbose, "Print orders and fills of passing scenarios");
  test->callback([args, &exit_code] { exit_code = run_strat_test(*args); });
  auto* list = strat->add_subcommand("list", "List the built-in strategies");
  list->callback([&exit_code] {
    std::printf("%s\n", strategy::builtin_names());
    exit_code = 0;
  });
}

}  // namespace hft::cli
