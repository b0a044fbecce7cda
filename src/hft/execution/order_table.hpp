// Working orders of this engine, in a fixed-capacity open-addressing table keyed by client
// order id. Pre-allocated; insert/find/erase never allocate.
#pragma once

#include <cstdint>
#include <vector>

#include "hft/events/events.hpp"
#include "hft/execution/order_state.hpp"

namespace hft::execution {

/// One order of this engine that is not finished yet (finished orders leave the table).
struct WorkingOrder {
  ClientOrderId id = 0;  // 0 = empty slot
  SymbolId symbol = 0;
  Side side = Side::kBuy;
  OrderState state = OrderState::kPendingNew;
  std::uint16_t strategy_id = 0;
  Price price{0};  // limit (for a market order: the worst price the risk gate booked it at)
  Qty qty = 0;
  Qty leaves = 0;
  Timestamp sent_ts = 0;
  Qty filled = 0;
  bool acked = false;
  bool market = false;  // a market order: nothing to replace
  // Working at the broker from before the run, adopted at start (strategy 0): its reports are
  // booked but never reach a strategy, and the end-of-run close-out leaves it alone.
  bool adopted = false;
  // The engine's closing order of `hft risk flatten`: booked, never given to the strategy.
  bool flatten = false;
};

class OrderTable {
 public:
  /// Room for at least `max_orders` working orders (table kept at most half full).
  explicit OrderTable(std::size_t max_orders);

  /// Nullptr when full (the caller rejects the order).
  WorkingOrder* insert(const WorkingOrder& order);
  WorkingOrder* find(ClientOrderId id);
  void erase(ClientOrderId id);
  std::size_t size() const { return size_; }
  std::size_t max_orders() const { return max_orders_; }

  template <class F>
  void for_each(F&& f) {
    for (auto& o : slots_) {
      if (o.id != 0) f(o);
    }
  }

 private:
  std::size_t slot_of(ClientOrderId id) const {
    return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ULL) >> 20) & mask_;
  }

  std::vector<WorkingOrder> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::size_t max_orders_ = 0;
};

}  // namespace hft::execution
