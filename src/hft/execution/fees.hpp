// Taiwan trading costs per fill, in fixed point (shioaji_and_taiwan_markets.md §6; original
// platform §4). Rates are integers in parts per 10^8 (0.1425 % = 142'500).
//
//   stocks/ETFs  commission = floor(value * commission_rate * discount), at least the minimum
//                            (NTD 20), whole NTD, both sides;
//                tax (sells) = floor(value * rate): 0.3 % stocks, 0.15 % on day-trade sells
//                            (Securities Transaction Tax Act Art. 2-2), 0.1 % ETFs; whole NTD.
//   futures      commission = per contract (broker-negotiated, per root), both sides;
//                tax = round(value * 0.002 %) whole NTD, both sides (futures transaction tax).
//   options      commission = per contract; tax = round(premium * 0.1 %) whole NTD, both sides.
// value = price * qty * multiplier. Costs are computed per fill; brokers aggregate per order or
// per day, so a real statement can differ by the rounding of each fill (at most NTD 1 per fill
// per item) and by the per-order minimum.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"

namespace hft::execution {

inline constexpr std::int64_t kRateScale = 100'000'000;  // rates in parts per 10^8

struct FeeSchedule {
  std::int64_t stock_commission_rate = 142'500;            // 0.1425 % before discount
  std::int64_t stock_commission_discount_ppm = 1'000'000;  // 1.0 = no discount; 0.6 = 600'000
  Money stock_commission_min{20 * Money::kScale};          // per fill
  std::int64_t stock_tax_rate = 300'000;                   // 0.3 % of sell value
  std::int64_t stock_daytrade_tax_rate = 150'000;          // 0.15 %
  std::int64_t etf_tax_rate = 100'000;                     // 0.1 %
  std::int64_t futures_tax_rate = 2'000;                   // 0.002 %
  std::int64_t option_tax_rate = 100'000;                  // 0.1 % of premium
  Money futures_commission{50 * Money::kScale};            // per contract, roots not listed
  std::map<std::string, Money> futures_commission_by_root = {
      {"TXF", Money{60 * Money::kScale}},
      {"MXF", Money{30 * Money::kScale}},
      {"TMF", Money{13 * Money::kScale}},
  };
  Money option_commission{25 * Money::kScale};  // per contract
};

struct FillCost {
  Money fee{0};
  Money tax{0};
  Money total() const { return fee + tax; }
};

/// Per-symbol cost parameters resolved from a FeeSchedule once; cost() never allocates.
class FeeModel {
 public:
  FeeModel(const SymbolTable& symbols, const FeeSchedule& schedule);

  /// Costs of one fill. `daytrade_qty` (stocks) is the part of a sell that closes a same-day buy.
  FillCost cost(SymbolId symbol, Side side, Price price, Qty qty, Qty daytrade_qty) const;

 private:
  struct SymbolFees {
    ProductType type = ProductType::kStock;
    std::int64_t scale = 1;
    std::int64_t multiplier = 1;
    std::int64_t commission_rate = 0;  // stocks, effective (after discount)
    Money commission_min{0};
    Money per_contract{0};  // derivatives
    std::int64_t tax_rate = 0;
    std::int64_t daytrade_tax_rate = 0;
  };
  std::vector<SymbolFees> fees_;
};

}  // namespace hft::execution
