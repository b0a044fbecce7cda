#include "hft/broker/fee_model.hpp"

namespace hft::broker {

namespace {

Money ppm_of(Money notional, std::int64_t ppm) {
  return Money{static_cast<std::int64_t>(static_cast<Int128>(notional.v) * ppm / 1'000'000)};
}
Money whole_ntd(Money m) { return Money{m.v / Money::kScale * Money::kScale}; }

}  // namespace

FillCost fill_cost(const FeeSchedule& fees, const ContractSpec& spec, Side side, Price price,
                   Qty qty) {
  FillCost c;
  if (qty <= 0) return c;
  const Money value = notional(price, qty, spec.price_scale, spec.multiplier);
  switch (spec.type) {
    case ProductType::kStock:
    case ProductType::kEtf: {
      Money comm = ppm_of(value, fees.stock_commission_ppm * fees.stock_discount_pct / 100);
      comm = whole_ntd(comm);
      if (comm < fees.stock_min_commission) comm = fees.stock_min_commission;
      c.commission = comm;
      if (side == Side::kSell) {
        const std::int64_t ppm =
            spec.type == ProductType::kEtf ? fees.etf_sell_tax_ppm : fees.stock_sell_tax_ppm;
        c.tax = whole_ntd(ppm_of(value, ppm));
      }
      break;
    }
    case ProductType::kIndexFuture:
    case ProductType::kStockFuture:
      c.commission = Money{fees.futures_commission_per_contract.v * qty};
      c.tax = whole_ntd(ppm_of(value, fees.futures_tax_ppm));
      break;
    case ProductType::kIndexOption:
      c.commission = Money{fees.option_commission_per_contract.v * qty};
      c.tax = whole_ntd(ppm_of(value, fees.option_tax_ppm));
      break;
  }
  return c;
}

}  // namespace hft::broker
