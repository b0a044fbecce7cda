#include "hft/cli/app.hpp"

#include <CLI/CLI.hpp>

namespace hft::cli {

int run(int argc, char** argv) {
  CLI::App app{"hft: low-latency trading for Taiwan markets"};
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return 0;
}

}  // namespace hft::cli
