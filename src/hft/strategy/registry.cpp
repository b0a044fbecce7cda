#include <cmath>

#include "hft/strategy/builtin/imbalance_taker.hpp"
#include "hft/strategy/builtin/market_maker.hpp"
#include "hft/strategy/builtin/twap.hpp"
#include "hft/strategy/strategy.hpp"

namespace hft::strategy {

namespace {

/// Does nothing: the baseline for benchmarks and for measuring the engine alone.
class Noop final : public Strategy {};

}  // namespace

const char* builtin_names() { return "market_maker, imbalance_taker, twap, noop"; }

double param_or(const Params& p, const std::string& name, double fallback) {
  const auto it = p.find(name);
  return it == p.end() ? fallback : it->second;
}

std::int64_t whole_param(const Params& p, const std::string& name, std::int64_t fallback,
                         std::int64_t lo, std::int64_t hi, const char* who, std::string* error) {
  const auto it = p.find(name);
  if (it == p.end()) return fallback;
  const double v = it->second;
  // Checked before the cast: converting NaN, inf or 1e300 to int64 is undefined behaviour.
  const bool ok = std::isfinite(v) && v == std::floor(v) && v >= static_cast<double>(lo) &&
                  v <= static_cast<double>(hi);
  if (!ok) {
    if (error != nullptr) {
      *error = std::string(who) + ": parameter '" + name + "' must be a whole number in [" +
               std::to_string(lo) + ", " + std::to_string(hi) + "]";
    }
    return fallback;
  }
  return static_cast<std::int64_t>(v);
}

void check_known_params(const Params& p, std::string_view known, const char* who,
                        std::string* error) {
  for (const auto& kv : p) {
    bool found = false;
    std::string_view rest = known;
    while (!rest.empty() && !found) {
      const std::size_t comma = rest.find(',');
      std::string_view k = rest.substr(0, comma);
      while (!k.empty() && k.front() == ' ') k.remove_prefix(1);
      found = k == kv.first;
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    if (!found && error != nullptr) {
      *error = std::string(who) + ": unknown parameter '" + kv.first +
               "' (known: " + std::string(known) + ")";
    }
  }
}

std::unique_ptr<Strategy> make_builtin(const std::string& name, const Params& params,
                                       const SymbolTable& symbols, std::string* error) {
  std::string problem;
  std::unique_ptr<Strategy> s;
  if (name == "market_maker") {
    const MarketMakerParams p = market_maker_params(params, &problem);
    if (problem.empty()) s = std::make_unique<MarketMaker>(p, symbols.size());
  } else if (name == "imbalance_taker") {
    const ImbalanceTakerParams p = imbalance_taker_params(params, &problem);
    if (problem.empty()) s = std::make_unique<ImbalanceTaker>(p, symbols.size());
  } else if (name == "twap") {
    const TwapParams p = twap_params(params, symbols.size(), &problem);
    if (problem.empty()) s = std::make_unique<Twap>(p);
  } else if (name == "noop") {
    s = std::make_unique<Noop>();
  } else {
    problem = "unknown strategy '" + name + "' (built-in: " + builtin_names() + ")";
  }
  if (!problem.empty() && error != nullptr) *error = problem;
  return problem.empty() ? std::move(s) : nullptr;
}

}  // namespace hft::strategy
