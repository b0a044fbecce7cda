// Randomized cross-check of the risk gate against a deliberately simple reference checker
// written here from the rules in docs/risk.md: no incremental state, no precomputed bounds —
// every quantity is recomputed from plain lists on every order (ticks are counted one by one,
// throttles count timestamps, exposure sums every working order). Millions of random orders and
// market states; the gate may never accept an order the reference rejects (and, since both
// implement the same rules, should agree the other way too).
#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <vector>

#include "hft/risk/risk_gate.hpp"

namespace hft::risk {
namespace {

struct RefOrder {
  SymbolId symbol;
  Side side;
  Price price;
  Qty leaves;
};

struct Reference {
  const SymbolTable& symbols;
  SymbolLimits l;
  AccountLimits a;
  std::vector<Qty> position;
  std::vector<Price> mark, reference;
  std::vector<Timestamp> last_md;
  std::vector<RefOrder> working;
  std::vector<std::deque<Timestamp>> sym_orders;
  std::deque<Timestamp> acct_orders;
  struct Last {
    Timestamp ts = 0;
    Price px{0};
    Qty qty = 0;
  };
  std::vector<std::array<Last, 2>> last;
  bool halted = false, reduce_only = false;

  Reference(const SymbolTable& t, SymbolLimits lim, AccountLimits acc)
      : symbols(t),
        l(lim),
        a(acc),
        position(t.size()),
        mark(t.size()),
        reference(t.size()),
        last_md(t.size()),
        sym_orders(t.size()),
        last(t.size()) {}

  Money value(SymbolId s, Price p, Qty q) const {
    const ContractSpec& c = symbols.spec(s);
    return Money{static_cast<std::int64_t>(static_cast<Int128>(p.v) * q * c.multiplier *
                                           Money::kScale / c.price_scale)};
  }
  static std::int64_t count_recent(const std::deque<Timestamp>& d, Timestamp now, Timestamp w) {
    std::int64_t n = 0;
    for (Timestamp t : d) n += t > now - w;
    return n;
  }
  std::int64_t ticks_apart(SymbolId s, Price x, Price y) const {
    const TickLadder& lad = symbols.ladder(s);
    Price lo = x < y ? x : y;
    const Price hi = x < y ? y : x;
    std::int64_t n = 0;
    while (lo < hi) {
      lo = lad.next_tick(lo);
      ++n;
    }
    return n;
  }

  bool accepts(const OrderRequest& o, Timestamp now) const {
    const SymbolId s = o.symbol;
    const ContractSpec& c = symbols.spec(s);
    if (halted) return false;
    if (o.qty <= 0 || o.qty > l.max_order_qty) return false;
    const SessionPhase ph = session_at(c.type, now).phase;
    if (ph == SessionPhase::kClosed) return false;
    if (o.tif != TimeInForce::kROD && ph != SessionPhase::kContinuous) return false;
    if (!symbols.ladder(s).is_on_tick(o.price)) return false;
    if (mark[s].v <= 0) return false;
    if (now - last_md[s] > l.stale_feed_ns) return false;
    // Daily limits: ±10 % of the session's first mark, snapped inward onto the ladder.
    const TickLadder& lad = symbols.ladder(s);
    const Price up = lad.round_down(Price{reference[s].v * 11 / 10});
    const Price down = lad.round_up(Price{(reference[s].v * 9 + 9) / 10});
    if (o.price > up || o.price < down) return false;
    if (ticks_apart(s, mark[s], o.price) > l.price_collar_ticks) return false;
    const std::int64_t diff = o.price.v > mark[s].v ? o.price.v - mark[s].v : mark[s].v - o.price.v;
    if (static_cast<Int128>(diff) * 10'000 > static_cast<Int128>(mark[s].v) * l.price_collar_bp) {
      return false;
    }
    const Money n = value(s, o.price, o.qty);
    if (n > l.max_order_notional) return false;
    std::int64_t open = 0;
    Qty wb = 0, ws = 0;
    for (const RefOrder& w : working) {
      if (w.symbol != s) continue;
      ++open;
      (w.side == Side::kBuy ? wb : ws) += w.leaves;
      // Self-trade: crossing any of our own resting orders on the other side.
      if (w.side != o.side && (o.side == Side::kBuy ? o.price >= w.price : o.price <= w.price)) {
        return false;
      }
    }
    if (open >= l.max_open_orders) return false;
    const Qty p = position[s];
    const bool buy = o.side == Side::kBuy;
    if (buy ? p + wb + o.qty > l.max_position : ws + o.qty - p > l.max_position) return false;
    const bool reduces = buy ? (p < 0 && wb + o.qty <= -p) : (p > 0 && ws + o.qty <= p);
    if (reduce_only && !reduces) return false;
    Money gross{0}, net{0};
    for (SymbolId k = 0; k < symbols.size(); ++k) {
      const Money pv = value(k, mark[k], position[k]);
      gross += pv.v < 0 ? -pv : pv;
      net += pv;
    }
    for (const RefOrder& w : working) {
      const Money wv = value(w.symbol, w.price, w.leaves);
      gross += wv;
      net += w.side == Side::kBuy ? wv : -wv;
    }
    if (!reduces && gross + n > a.max_gross_notional) return false;
    const Money after = buy ? net + n : net - n;
    const std::int64_t abs_after = after.v < 0 ? -after.v : after.v;
    if (abs_after > a.max_net_notional.v && abs_after > (net.v < 0 ? -net.v : net.v)) return false;
    const Last& prev = last[s][static_cast<std::size_t>(o.side)];
    if (prev.ts != 0 && now - prev.ts < l.duplicate_window_ns && prev.px == o.price &&
        prev.qty == o.qty) {
      return false;
    }
    if (count_recent(sym_orders[s], now, a.throttle_window_ns) >= l.max_orders_per_window) {
      return false;
    }
    if (count_recent(acct_orders, now, a.throttle_window_ns) >= a.max_orders_per_window) {
      return false;
    }
    return true;
  }
};

TEST(RiskGateRandomized, NeverAcceptsAnOrderTheReferenceRejects) {
  SymbolTable symbols;
  const SymbolId txf = *symbols.add(*builtin_contract("TXFD6"));
  const SymbolId tsmc = *symbols.add(*builtin_contract("2330"));
  SymbolLimits l;
  l.max_order_qty = 10;
  l.max_position = 12;
  l.price_collar_ticks = 15;
  l.price_collar_bp = 60;  // 0.6 %
  l.max_order_notional = Money{20'000'000LL * Money::kScale};
  l.max_open_orders = 6;
  l.max_orders_per_window = 8;
  l.duplicate_window_ns = 5'000'000;
  l.stale_feed_ns = 400'000'000;
  l.daily_limit_check = true;
  l.session_check = true;
  l.self_trade_check = true;
  AccountLimits a;
  a.max_gross_notional = Money{60'000'000LL * Money::kScale};
  a.max_net_notional = Money{30'000'000LL * Money::kScale};
  a.max_orders_per_window = 12;
  a.throttle_window_ns = 200'000'000;
  RiskGate gate(symbols, l, a);
  Reference ref(symbols, l, a);

  std::mt19937_64 rng(20260304);
  const auto uni = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  // Start before the pre-open and walk through it into continuous trading (futures at 08:45,
  // stocks at 09:00).
  Timestamp now = taipei_to_utc(2026, 3, 4, 8, 29, 30);
  std::uint64_t accepted = 0, gate_only = 0, ref_only = 0, orders = 0;
  constexpr int kSteps = 3'000'000;  // ~1.7 M orders
  for (int step = 0; step < kSteps; ++step) {
    now += uni(0, 1'400'000);  // up to 1.4 ms a step: 08:29:30 to past 09:04
    for (auto* d : {&ref.sym_orders[0], &ref.sym_orders[1], &ref.acct_orders}) {
      while (!d->empty() && d->front() <= now - a.throttle_window_ns) d->pop_front();
    }
    const std::int64_t dice = uni(0, 99);
    const SymbolId s = uni(0, 1) == 0 ? txf : tsmc;
    const TickLadder& lad = symbols.ladder(s);
    if (dice < 30) {  // market update: a one-tick book around a drifting centre
      const std::int64_t centre = s == txf ? 20000 : 58500;
      const std::int64_t spread = s == txf ? 400 : 2000;
      const Price bid = lad.round_down(Price{centre + uni(-spread, spread)});
      lob::BookStats b;
      b.best_bid = bid;
      b.best_ask = lad.next_tick(bid);
      b.mid_x2 = b.best_bid.v + b.best_ask.v;
      if (uni(0, 9) == 0) {  // sometimes a one-sided book: the last trade is the mark
        b.best_ask = Price{0};
        b.last_trade = bid;
      }
      gate.on_market(s, b, now);
      const Price m = b.valid() ? lad.round_down(Price{b.mid_x2 / 2}) : b.last_trade;
      ref.last_md[s] = now;
      ref.mark[s] = m;
      if (ref.reference[s].v == 0) ref.reference[s] = m;
    } else if (dice < 88) {  // an order
      OrderRequest o;
      o.symbol = s;
      o.side = uni(0, 1) ? Side::kBuy : Side::kSell;
      const Price base = ref.mark[s].v > 0 ? ref.mark[s] : Price{s == txf ? 20000 : 58500};
      o.price = lad.add_ticks(base, uni(-25, 25));
      if (uni(0, 19) == 0) o.price.v += 1;  // off the ladder now and then (stocks)
      o.qty = uni(-1, 12);
      o.tif = uni(0, 9) == 0 ? TimeInForce::kIOC : TimeInForce::kROD;
      const bool g = gate.check(o, now) == RejectReason::kNone;
      const bool r = ref.accepts(o, now);
      ++orders;
      gate_only += g && !r;
      ref_only += r && !g;
      if (g && r) {
        ++accepted;
        gate.on_order_sent(o, now);
        ref.working.push_back({s, o.side, o.price, o.qty});
        ref.sym_orders[s].push_back(now);
        ref.acct_orders.push_back(now);
        ref.last[s][static_cast<std::size_t>(o.side)] = {now, o.price, o.qty};
      }
      ASSERT_FALSE(g && !r) << "step " << step << ": gate accepted what the reference rejects";
    } else if (dice < 94 && !ref.working.empty()) {  // a (partial) fill
      const std::size_t i =
          static_cast<std::size_t>(uni(0, static_cast<std::int64_t>(ref.working.size()) - 1));
      RefOrder& w = ref.working[i];
      const Qty q = uni(1, w.leaves);
      ref.position[w.symbol] += w.side == Side::kBuy ? q : -q;
      gate.on_fill(w.symbol, w.side, w.price, q, ref.position[w.symbol]);
      w.leaves -= q;
      if (w.leaves == 0) {
        gate.on_order_done(w.symbol, w.side, w.price, 0);
        ref.working.erase(ref.working.begin() + static_cast<std::ptrdiff_t>(i));
      }
    } else if (dice < 99 && !ref.working.empty()) {  // cancelled
      const std::size_t i =
          static_cast<std::size_t>(uni(0, static_cast<std::int64_t>(ref.working.size()) - 1));
      const RefOrder w = ref.working[i];
      gate.on_order_done(w.symbol, w.side, w.price, w.leaves);
      ref.working.erase(ref.working.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (dice == 99) {  // trading state flips now and then
      const std::int64_t st = uni(0, 9);
      if (st == 0) {
        gate.set_state(TradingState::kHalted);
        ref.halted = true;
      } else if (st < 4) {
        gate.set_state(TradingState::kReduceOnly);
        ref.reduce_only = true;
      } else {
        gate.set_state(TradingState::kActive);
        ref.halted = ref.reduce_only = false;
      }
    }
  }
  EXPECT_EQ(gate_only, 0u);
  EXPECT_EQ(ref_only, 0u);
  // The run exercised both outcomes in quantity.
  EXPECT_GT(accepted, 10'000u);
  EXPECT_GT(orders - accepted, 100'000u);
  RecordProperty("orders", std::to_string(orders));
  RecordProperty("accepted", std::to_string(accepted));
}

}  // namespace
}  // namespace hft::risk
