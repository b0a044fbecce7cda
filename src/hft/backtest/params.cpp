#include "hft/backtest/params.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>

namespace hft::backtest {

namespace {

bool parse_number(const std::string& s, double& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size() && std::isfinite(out);
}

}  // namespace

std::string load_params_yaml(const std::string& path, strategy::Params& out) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return path + ": " + e.what();
  }
  YAML::Node map = root["params"] ? root["params"] : root;
  if (!map.IsMap()) return path + ": expected a mapping of parameter name to number";
  for (const auto& kv : map) {
    const std::string key = kv.first.as<std::string>();
    if (!kv.second.IsScalar()) return path + ": key '" + key + "': expected a number";
    double v = 0;
    const std::string text = kv.second.as<std::string>();
    if (text == "true" || text == "false") {
      v = text == "true" ? 1 : 0;
    } else if (!parse_number(text, v)) {
      return path + ":" + std::to_string(kv.second.Mark().line + 1) + ": key '" + key +
             "': expected a number, got '" + text + "'";
    }
    out[key] = v;
  }
  return "";
}

std::string apply_param_override(const std::string& kv, strategy::Params& out) {
  const auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) return "--param '" + kv + "': expected key=value";
  double v = 0;
  const std::string value = kv.substr(eq + 1);
  if (!parse_number(value, v)) {
    return "--param '" + kv + "': value '" + value + "' is not a number";
  }
  out[kv.substr(0, eq)] = v;
  return "";
}

}  // namespace hft::backtest

#include "hft/strategy/plugin_loader.hpp"

namespace hft::backtest {

std::unique_ptr<strategy::Strategy> create_strategy(const std::string& name_or_path,
                                                    const strategy::Params& params,
                                                    const SymbolTable& symbols,
                                                    std::string* error) {
  const bool library =
      name_or_path.find('/') != std::string::npos ||
      (name_or_path.size() > 3 && name_or_path.compare(name_or_path.size() - 3, 3, ".so") == 0);
  if (library) return strategy::load_strategy_library(name_or_path, params, error);
  return strategy::make_builtin(name_or_path, params, symbols, error);
}

}  // namespace hft::backtest
