// The `hft` command: every subcommand lives in src/hft/cli.
#include "hft/cli/app.hpp"

int main(int argc, char** argv) { return hft::cli::run(argc, argv); }
