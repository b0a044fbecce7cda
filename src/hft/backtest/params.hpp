// Strategy parameters from a YAML file and from `--param key=value` overrides.
#pragma once

#include <memory>
#include <string>

#include "hft/strategy/strategy.hpp"

namespace hft::backtest {

/// Reads `path`: a mapping of name → number, either at the top level or under `params:`
/// (so a strategy's section of a larger config works too). "" or "path: key 'x': ...".
std::string load_params_yaml(const std::string& path, strategy::Params& out);

/// Applies one "key=value" override (value a number). "" or what is wrong with it.
std::string apply_param_override(const std::string& kv, strategy::Params& out);

}  // namespace hft::backtest

namespace hft::backtest {

/// A built-in strategy by name, or a shared library when `name_or_path` ends in ".so" or holds
/// a '/'. nullptr and *error when neither works.
std::unique_ptr<strategy::Strategy> create_strategy(const std::string& name_or_path,
                                                    const strategy::Params& params,
                                                    const SymbolTable& symbols, std::string* error);

}  // namespace hft::backtest
