// Entry point of the `hft` command line.
#pragma once

namespace hft::cli {

/// Parses arguments and runs the subcommand. Exit codes: 0 ok, 1 runtime failure,
/// 2 bad usage or bad configuration.
int run(int argc, char** argv);

}  // namespace hft::cli
