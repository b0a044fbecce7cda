// A recording Context for strategy specifications: books set by the test, every order the
// strategy sends kept in `orders`, timers kept in `timers`, positions set by the test.
#pragma once

#include <vector>

#include "hft/strategy/strategy.hpp"

namespace hft::strategy::testing {

struct SentOrder {
  ClientOrderId id;
  SymbolId symbol;
  Side side;
  Price price;
  Qty qty;
  TimeInForce tif;
};

class RecordingContext final : public Context {
 public:
  explicit RecordingContext(const SymbolTable& symbols)
      : symbols_(symbols), books_(symbols.size()), pos_(symbols.size()) {}

  PlaceResult place(SymbolId s, Side side, Price price, Qty qty, TimeInForce tif) override {
    orders.push_back({next_id_, s, side, price, qty, tif});
    return PlaceResult{next_id_++, 0};
  }
  bool cancel(ClientOrderId id) override {
    cancels.push_back(id);
    return true;
  }
  Qty position(SymbolId s) const override { return pos_[s]; }
  const lob::BookStats& book(SymbolId s) const override { return books_[s]; }
  const SymbolTable& symbols() const override { return symbols_; }
  Timestamp now() const override { return clock; }
  bool set_timer(Timestamp at, std::uint64_t tag) override {
    if (!timers_supported) return false;
    timers.push_back({at, tag});
    return true;
  }

  lob::BookStats& book_of(SymbolId s) { return books_[s]; }
  void set_position(SymbolId s, Qty q) { pos_[s] = q; }
  void set_touch(SymbolId s, std::int64_t bid, Qty bq, std::int64_t ask, Qty aq) {
    lob::BookStats& b = books_[s];
    b.best_bid = Price{bid};
    b.best_ask = Price{ask};
    b.bid_qty = bq;
    b.ask_qty = aq;
    b.bid_depth = bq;
    b.ask_depth = aq;
    lob::derive_features(b, 1);
  }
  ExecReport report(ClientOrderId id, ExecType t, Qty qty, Qty leaves, SymbolId s = 0) const {
    ExecReport r{};
    r.h.symbol = s;
    r.client_id = id;
    r.exec_type = t;
    r.qty = qty;
    r.leaves = leaves;
    return r;
  }

  struct Timer {
    Timestamp at;
    std::uint64_t tag;
  };
  std::vector<SentOrder> orders;
  std::vector<ClientOrderId> cancels;
  std::vector<Timer> timers;
  Timestamp clock = 1'000'000'000;
  bool timers_supported = true;

 private:
  const SymbolTable& symbols_;
  std::vector<lob::BookStats> books_;
  std::vector<Qty> pos_;
  ClientOrderId next_id_ = 1;
};

inline SymbolTable txf_only() {
  SymbolTable t;
  t.add(*builtin_contract("TXFD6"));
  return t;
}

}  // namespace hft::strategy::testing
