// Risk limits, resolved once at start-up from the configuration (risk.* and the per-symbol
// overrides risk.symbols.<CODE>.<key>) into flat per-symbol structs. In every limit 0 means
// "check off", except max_order_qty where 0 means "the exchange's per-order cap".
// Money limits are in Money units (1/10000 NTD).
#pragma once

#include <cstdint>

#include "hft/core/contract.hpp"
#include "hft/core/fixed_point.hpp"
#include "hft/core/taiwan_time.hpp"

namespace hft::risk {

/// The exchange's largest order per product (TAIFEX per-order caps, shioaji_and_taiwan_markets.md
/// §9.1: futures 100, options 200, stock futures 499 contracts; TWSE board-lot orders 499 lots).
constexpr std::int64_t exchange_max_order_qty(ProductType t) {
  switch (t) {
    case ProductType::kIndexFuture: return 100;
    case ProductType::kIndexOption: return 200;
    case ProductType::kStockFuture: return 499;
    case ProductType::kStock:
    case ProductType::kEtf: return 499;
  }
  return 100;
}

struct SymbolLimits {
  std::int64_t max_order_qty = 10;           // units per order (capped by the exchange cap)
  std::int64_t max_position = 20;            // |position + working on that side|; 0 = off
  std::int64_t price_collar_ticks = 20;      // from the reference (mid, else last); 0 = off
  std::int64_t price_collar_bp = 0;          // percent collar in basis points; 0 = off
  Money max_order_notional{0};               // 0 = off
  std::int64_t max_open_orders = 0;          // working orders on the symbol; 0 = off
  std::uint32_t max_orders_per_window = 0;   // 0 = off
  std::uint32_t max_cancels_per_window = 0;  // 0 = off
  Timestamp duplicate_window_ns = 0;         // 0 = off
  Timestamp stale_feed_ns = 0;               // per-order feed age check; 0 = off
  Money max_daily_loss{0};        // symbol's daily loss after costs → reduce-only on it; 0 = off
  bool daily_limit_check = true;  // ±limit_pct_bp of the reference, or the exchange's limits
  bool session_check = false;     // no orders outside sessions; MKT/IOC/FOK only continuous
  bool self_trade_check = true;   // never cross our own resting orders
  bool restricted = false;        // no new orders at all
  bool allow_odd_lot = true;      // intraday odd-lot orders (stocks, limit ROD, 1..lot-1 shares)
};

struct AccountLimits {
  Money max_gross_notional{0};  // Σ |position| * mark + working notional, both sides; 0 = off
  Money max_net_notional{0};    // |Σ signed position * mark + signed working|; 0 = off
  Money loss_reduce_only{0};    // daily loss (realised + unrealised, after fees) → REDUCE_ONLY
  Money loss_halt{0};           // daily loss → HALTED
  std::uint32_t max_orders_per_window = 0;
  std::uint32_t max_cancels_per_window = 0;
  Timestamp throttle_window_ns = kNsPerSec;  // window of every order/cancel throttle
  Timestamp stale_feed_ns = 0;  // no market data at all for this long → REDUCE_ONLY; 0 = off
};

}  // namespace hft::risk
