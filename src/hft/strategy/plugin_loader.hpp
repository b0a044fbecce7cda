// Loads a strategy from a shared library built with plugin.hpp (HFT_EXPORT_STRATEGY).
#pragma once

#include <memory>
#include <string>

#include "hft/strategy/strategy.hpp"

namespace hft::strategy {

/// dlopen()s `path`, checks its ABI stamp and creates the strategy with `params`. The returned
/// strategy keeps the library loaded until it is destroyed. nullptr and *error (what failed:
/// the file, a missing symbol, the ABI stamp, or the factory refusing the parameters).
std::unique_ptr<Strategy> load_strategy_library(const std::string& path, const Params& params,
                                                std::string* error);

}  // namespace hft::strategy
