// Contract specifications: what a symbol is, how its prices are scaled and ticked, what one
// unit is worth, and its daily price limits. Facts from shioaji_and_taiwan_markets.md §2, §6.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hft/core/fixed_point.hpp"
#include "hft/core/tick_ladder.hpp"

namespace hft {

enum class ProductType : std::uint8_t { kStock, kEtf, kIndexFuture, kStockFuture, kIndexOption };
enum class Exchange : std::uint8_t { kTSE, kOTC, kTAIFEX };

const char* to_string(ProductType t);
const char* to_string(Exchange e);
std::optional<ProductType> product_type_from_string(std::string_view s);
std::optional<Exchange> exchange_from_string(std::string_view s);

/// Rule that applies to a product type (stock futures tick like stocks, etc.).
TickRule tick_rule_for(ProductType t);

struct ContractSpec {
  std::string code;  // broker code: "2330", "TXFD6", "TXO18000R3"
  std::string name;  // display name
  std::string root;  // product root: "TXF", "TXO"; the code itself for stocks
  ProductType type = ProductType::kStock;
  Exchange exchange = Exchange::kTSE;
  std::int64_t price_scale = 100;  // price units per 1 NTD (or index point)
  std::int64_t multiplier = 1000;  // NTD per 1.0 of price per unit of Qty (TXF 200, stock lot 1000)
  std::int64_t lot_size = 1000;    // shares per board lot (stocks); 1 for derivatives
  std::int64_t limit_pct_bp = 1000;  // daily price limit in basis points of the reference (10 %)

  TickLadder ladder() const;  // aborts on a spec that validate() rejects
  /// Empty when the spec is usable, otherwise what is wrong with it.
  std::string validate() const;
};

struct PriceLimits {
  Price down;  // lowest valid price (rounded up onto the ladder)
  Price up;    // highest valid price (rounded down onto the ladder)
};

/// Daily limits from the reference price: ref ± limit_pct_bp, snapped inward onto the ladder.
PriceLimits daily_limits(Price reference, const ContractSpec& spec, const TickLadder& ladder);

/// Built-in table of common products (TXF/MXF/TMF month and continuous codes, TXO options,
/// top TWSE stocks and ETFs). nullopt for codes it does not know.
std::optional<ContractSpec> builtin_contract(std::string_view code);

/// Codes the built-in table knows by name (stocks, ETFs) and the futures/option roots, for help
/// text.
std::vector<std::string> builtin_examples();

}  // namespace hft
