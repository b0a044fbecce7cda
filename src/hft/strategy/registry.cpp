#include "hft/strategy/builtin/market_maker.hpp"
#include "hft/strategy/strategy.hpp"

namespace hft::strategy {

std::unique_ptr<Strategy> make_builtin(const std::string& name, const Params& params,
                                       const SymbolTable& symbols, std::string* error) {
  if (name == "market_maker") {
    std::string problem;
    const MarketMakerParams p = market_maker_params(params, &problem);
    if (!problem.empty()) {
      if (error != nullptr) *error = problem;
      return nullptr;
    }
    return std::make_unique<MarketMaker>(p, symbols.size());
  }
  if (error != nullptr) *error = "unknown strategy '" + name + "' (built-in: market_maker)";
  return nullptr;
}

}  // namespace hft::strategy
