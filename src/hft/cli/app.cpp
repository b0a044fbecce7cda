#include "hft/cli/app.hpp"

#include <cstdio>
#include <exception>

#include "hft/cli/commands.hpp"

namespace hft::cli {

int run(int argc, char** argv) {
  CLI::App app{"hft — low-latency trading for Taiwan markets (TWSE/TPEx, TAIFEX) via Shioaji"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "hft 0.1.0");
  int exit_code = 0;
  register_run(app, exit_code);
  register_config(app, exit_code);
  register_wal(app, exit_code);
  register_recorder(app, exit_code);
  register_kill(app, exit_code);
  register_risk(app, exit_code);
  register_lease(app, exit_code);
  register_monitor(app, exit_code);
  register_report(app, exit_code);
  register_data(app, exit_code);
  register_backtest(app, exit_code);
  register_strat(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error exits 2 after CLI11's message.
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    // Last line of defence: a clear message instead of std::terminate and a core dump.
    std::fprintf(stderr, "hft: error: %s\n", e.what());
    return 1;
  }
  return exit_code;
}

}  // namespace hft::cli
