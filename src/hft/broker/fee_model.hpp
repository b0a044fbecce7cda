// Taiwan trading costs per fill (shioaji_and_taiwan_markets.md §6), in Money (1/10000 NTD):
//   stocks/ETFs: commission 0.1425 % of notional each side times the broker's discount, at least
//                `stock_min_commission` per fill when any is due; securities transaction tax on
//                sells 0.3 % (stocks) / 0.1 % (ETFs); both truncated to whole NTD as brokers bill.
//   futures:     a negotiated commission per contract per side; futures transaction tax
//                0.002 % of contract value per side.
//   options:     commission per contract; tax 0.1 % of premium per side.
// Rates are parts per million of notional.
#pragma once

#include <cstdint>

#include "hft/core/contract.hpp"
#include "hft/events/events.hpp"

namespace hft::broker {

struct FeeSchedule {
  std::int64_t stock_commission_ppm = 1425;  // 0.1425 %
  std::int64_t stock_discount_pct = 100;     // 100 = no discount; 28 = "2.8 折"
  Money stock_min_commission{20 * Money::kScale};
  std::int64_t stock_sell_tax_ppm = 3000;  // 0.3 %
  std::int64_t etf_sell_tax_ppm = 1000;    // 0.1 %
  Money futures_commission_per_contract{50 * Money::kScale};
  std::int64_t futures_tax_ppm = 20;  // 0.002 %
  Money option_commission_per_contract{25 * Money::kScale};
  std::int64_t option_tax_ppm = 1000;  // 0.1 % of premium
};

struct FillCost {
  Money commission{0};
  Money tax{0};
  Money total() const { return commission + tax; }
};

/// Cost of one fill of `qty` units at `price`.
FillCost fill_cost(const FeeSchedule& fees, const ContractSpec& spec, Side side, Price price,
                   Qty qty);

}  // namespace hft::broker
