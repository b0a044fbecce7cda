#include "hft/execution/fees.hpp"

namespace hft::execution {

namespace {

constexpr std::int64_t kNtd = Money::kScale;

// value * rate / 1e8 in Money units, exact in 128 bits.
Int128 apply_rate(Money value, std::int64_t rate) {
  return static_cast<Int128>(value.v) * rate / kRateScale;
}
// Whole NTD, truncated (stock commission and securities transaction tax).
Money floor_ntd(Int128 m) { return Money{static_cast<std::int64_t>(m / kNtd * kNtd)}; }
// Whole NTD, half up (futures and options transaction tax).
Money round_ntd(Int128 m) { return Money{static_cast<std::int64_t>((m + kNtd / 2) / kNtd * kNtd)}; }

}  // namespace

FeeModel::FeeModel(const SymbolTable& symbols, const FeeSchedule& s) : fees_(symbols.size()) {
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    const ContractSpec& spec = symbols.spec(id);
    SymbolFees& f = fees_[id];
    f.type = spec.type;
    f.scale = spec.price_scale;
    f.multiplier = spec.multiplier;
    switch (spec.type) {
      case ProductType::kStock:
      case ProductType::kEtf:
        f.commission_rate = static_cast<std::int64_t>(static_cast<Int128>(s.stock_commission_rate) *
                                                      s.stock_commission_discount_ppm / 1'000'000);
        f.commission_min = s.stock_commission_min;
        f.tax_rate = spec.type == ProductType::kEtf ? s.etf_tax_rate : s.stock_tax_rate;
        f.daytrade_tax_rate =
            spec.type == ProductType::kEtf ? s.etf_tax_rate : s.stock_daytrade_tax_rate;
        break;
      case ProductType::kIndexFuture:
      case ProductType::kStockFuture: {
        const auto it = s.futures_commission_by_root.find(spec.root);
        f.per_contract =
            it != s.futures_commission_by_root.end() ? it->second : s.futures_commission;
        f.tax_rate = s.futures_tax_rate;
        break;
      }
      case ProductType::kIndexOption:
        f.per_contract = s.option_commission;
        f.tax_rate = s.option_tax_rate;
        break;
    }
  }
}

FillCost FeeModel::cost(SymbolId symbol, Side side, Price price, Qty qty, Qty daytrade_qty) const {
  const SymbolFees& f = fees_[symbol];
  const Money value = notional(price, qty, f.scale, f.multiplier);
  FillCost c;
  if (f.type == ProductType::kStock || f.type == ProductType::kEtf) {
    c.fee = floor_ntd(apply_rate(value, f.commission_rate));
    if (c.fee < f.commission_min) c.fee = f.commission_min;
    if (side == Side::kSell) {
      const Qty dt = daytrade_qty < 0 ? 0 : (daytrade_qty > qty ? qty : daytrade_qty);
      const Money dt_value = notional(price, dt, f.scale, f.multiplier);
      c.tax = floor_ntd(apply_rate(dt_value, f.daytrade_tax_rate) +
                        apply_rate(value - dt_value, f.tax_rate));
    }
    return c;
  }
  c.fee = Money{f.per_contract.v * qty};
  c.tax = round_ntd(apply_rate(value, f.tax_rate));
  return c;
}

}  // namespace hft::execution
