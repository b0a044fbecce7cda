#include "hft/lob/l2_book.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace hft::lob {

L2Books::L2Books(const SymbolTable& symbols, const L2Config& config)
    : symbols_(symbols),
      n_symbols_(symbols.size()),
      window_(std::max<std::uint32_t>(64, (config.window_ticks + 63) / 64 * 64)),
      words_(window_ / 64),
      far_capacity_(config.far_capacity),
      sides_(symbols.size() * 2),
      qty_(symbols.size() * 2 * window_),
      bits_(symbols.size() * 2 * words_),
      far_(symbols.size() * 2),
      stats_(symbols.size()),
      trades_(symbols.size(),
              TradeAccumulator{0, TradeFlowWindow(config.flow_bucket_ns, config.flow_buckets)}) {
  ladders_.reserve(symbols.size());
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    ladders_.emplace_back(symbols.ladder(static_cast<SymbolId>(i)));
  }
  for (auto& f : far_) f.reserve(far_capacity_);
  scratch_.reserve(window_ + far_capacity_);
}

// ---- level storage -------------------------------------------------------------------------

Qty L2Books::set_far(std::size_t s, std::int64_t idx, Qty qty) {
  SideState& st = sides_[s];
  std::vector<FarLevel>& far = far_[s];
  auto it = std::lower_bound(far.begin(), far.end(), idx,
                             [](const FarLevel& l, std::int64_t i) { return l.idx < i; });
  if (it != far.end() && it->idx == idx) {
    const Qty old = it->qty;
    if (qty > 0) {
      it->qty = qty;
    } else {
      far.erase(it);
      --st.levels;
      --st.far_count;
    }
    return old;
  }
  if (qty == 0) return 0;
  if (far.size() == far.capacity()) ++far_overflows_;  // the insert below allocates
  far.insert(it, FarLevel{idx, qty});
  ++st.levels;
  ++st.far_count;
  return 0;
}

std::int64_t L2Books::find_best(std::size_t s, bool bid, std::int64_t from_slot) const {
  const SideState& st = sides_[s];
  const std::uint64_t* b = bits(s);
  std::int64_t found = kNone;
  const auto w_max = static_cast<std::int64_t>(words_);
  if (bid) {
    // Highest set slot <= from_slot.
    if (from_slot >= static_cast<std::int64_t>(window_)) from_slot = window_ - 1;
    if (from_slot >= 0) {
      std::int64_t w = from_slot >> 6;
      std::uint64_t m = b[w] & (~0ULL >> (63 - (from_slot & 63)));
      for (;;) {
        if (m != 0) {
          found = st.base + w * 64 + 63 - std::countl_zero(m);
          break;
        }
        if (--w < 0) break;
        m = b[w];
      }
    }
    const std::vector<FarLevel>& far = far_[s];
    if (!far.empty() && (found == kNone || far.back().idx > found)) found = far.back().idx;
  } else {
    // Lowest set slot >= from_slot.
    if (from_slot < 0) from_slot = 0;
    if (from_slot < static_cast<std::int64_t>(window_)) {
      std::int64_t w = from_slot >> 6;
      std::uint64_t m = b[w] & (~0ULL << (from_slot & 63));
      for (;;) {
        if (m != 0) {
          found = st.base + w * 64 + std::countr_zero(m);
          break;
        }
        if (++w == w_max) break;
        m = b[w];
      }
    }
    const std::vector<FarLevel>& far = far_[s];
    if (!far.empty() && (found == kNone || far.front().idx < found)) found = far.front().idx;
  }
  return found;
}

void L2Books::recentre(std::size_t s, bool bid, std::int64_t around) {
  (void)bid;
  SideState& st = sides_[s];
  Qty* q = dense(s);
  std::uint64_t* b = bits(s);
  std::vector<FarLevel>& far = far_[s];
  // Every level in ascending tick order: far levels below the window, the window, far above.
  scratch_.clear();
  auto far_it = far.begin();
  for (; far_it != far.end() && far_it->idx < st.base; ++far_it) scratch_.push_back(*far_it);
  for (std::uint32_t w = 0; w < words_; ++w) {
    for (std::uint64_t m = b[w]; m != 0; m &= m - 1) {
      const std::uint32_t slot = w * 64 + static_cast<std::uint32_t>(std::countr_zero(m));
      scratch_.push_back(FarLevel{st.base + slot, q[slot]});
      q[slot] = 0;
    }
    b[w] = 0;
  }
  for (; far_it != far.end(); ++far_it) scratch_.push_back(*far_it);
  far.clear();
  st.base = around - static_cast<std::int64_t>(window_ / 2);
  st.far_count = 0;
  for (const FarLevel& l : scratch_) {
    const std::int64_t slot = l.idx - st.base;
    if (static_cast<std::uint64_t>(slot) < window_) {
      q[slot] = l.qty;
      b[slot >> 6] |= 1ULL << (slot & 63);
    } else {
      if (far.size() == far.capacity()) ++far_overflows_;
      far.push_back(l);
      ++st.far_count;
    }
  }
  ++recentres_;
}

template <bool kBid>
inline bool L2Books::set_level(std::size_t s, std::int64_t idx, Qty qty) {
  constexpr bool bid = kBid;
  SideState& st = sides_[s];
  if (st.levels == 0) {
    if (qty == 0) return false;
    st.base = idx - static_cast<std::int64_t>(window_ / 2);  // first level: centre the window
  }
  // Inside the top 5 (judged before the change): fewer than 5 levels, or at/before the 5th.
  const bool top5 = st.fifth == kNone || (bid ? idx >= st.fifth : idx <= st.fifth);
  const std::int64_t slot = idx - st.base;
  bool best_changed = false;
  Qty old = 0;
  if (static_cast<std::uint64_t>(slot) < window_) {
    // Branch-free bookkeeping: on a random stream insert / update / remove are unpredictable.
    Qty& q = dense(s)[slot];
    old = q;
    q = qty;
    const bool had = old != 0;
    const bool has = qty != 0;
    bits(s)[slot >> 6] ^= (1ULL << (slot & 63)) & (0 - static_cast<std::uint64_t>(had != has));
    st.levels = st.levels + static_cast<std::uint32_t>(has) - static_cast<std::uint32_t>(had);
    const bool improves = has && (st.best == kNone || (bid ? idx > st.best : idx < st.best));
    st.best = improves ? idx : st.best;
    best_changed = improves;
    if (had && !has && idx == st.best) [[unlikely]] {  // the touch emptied: next level
      const std::int64_t next = scan_dense<kBid, true>(s, slot);
      st.best = next >= 0 ? st.base + next : st.levels == 0 ? kNone : find_best(s, bid, slot);
      best_changed = true;
    }
  } else {
    old = set_far(s, idx, qty);
    // Removing a far level never moves the best: the best is always inside the window.
    if (qty > 0 && (st.best == kNone || (bid ? idx > st.best : idx < st.best))) {
      st.best = idx;
      best_changed = true;
    }
  }
  if (best_changed) {
    if (st.best == kNone) {
      st.best_px = Price{0};
    } else {
      // Keep the best inside the inner 3/4 of the window so improvements and the depth behind
      // the touch stay in dense slots.
      const std::int64_t best_slot = st.best - st.base;
      const auto margin = static_cast<std::int64_t>(window_ / 8);
      if (best_slot < margin || best_slot >= static_cast<std::int64_t>(window_) - margin) {
        recentre(s, bid, st.best);
      }
      st.best_px = ladders_[s >> 1].price_of(st.best);
    }
  }
  if (!top5 || old == qty) return best_changed;
  if (old != 0 && qty != 0) {  // same levels, new quantity
    st.depth5 += qty - old;
    if (idx == st.best) st.best_qty = qty;
    return true;
  }
  // A level appeared or vanished among the best 5 while there were at least 5 levels and the
  // 5th is in the window: the set shifts by one level at the 5th, one bit scan from it.
  // (kNone minus the base would overflow: compute the slot only for a real 5th.)
  const std::int64_t fifth_slot = st.fifth != kNone ? st.fifth - st.base : -1;
  if (static_cast<std::uint64_t>(fifth_slot) < window_) {
    const Qty* q = dense(s);
    if (qty != 0) {
      // Inserted strictly before the old 5th (it held qty): the old 5th drops out and the level
      // before it becomes the 5th; that one is in the window (the new level is).
      const std::int64_t f = scan_dense<kBid, false>(s, fifth_slot);
      st.depth5 += qty - q[fifth_slot];
      st.fifth = st.base + f;
      st.best_qty = q[st.best - st.base];
      return true;
    }
    // Removed at or before the 5th: the 6th level (behind the old 5th) enters.
    const std::int64_t f = scan_dense<kBid, true>(s, fifth_slot);
    if (f >= 0) {
      st.depth5 += q[f] - old;
      st.fifth = st.base + f;
      st.best_qty = q[st.best - st.base];
      return true;
    }
  }
  // Fewer than 5 levels, or the window runs out: re-walk the five from the touch through the
  // bitmap (no far-level searches unless the window runs out).
  walk_top5_dense<kBid>(s);
  return true;
}

template <bool kBid, bool kWorse>
inline std::int64_t L2Books::scan_dense(std::size_t s, std::int64_t from_slot) const {
  // Towards lower slots: bids going worse, asks going better.
  constexpr bool kDown = kBid == kWorse;
  const std::uint64_t* b = bits(s);
  std::int64_t w = from_slot >> 6;
  const int bit = static_cast<int>(from_slot & 63);
  // Strictly beyond from_slot (shifts by 64 avoided: bit 0 / bit 63 give an empty mask).
  std::uint64_t m = kDown ? b[w] & ((1ULL << bit) - 1) : b[w] & ((~0ULL << bit) << 1);
  const auto w_max = static_cast<std::int64_t>(words_);
  for (;;) {
    if (m != 0) return w * 64 + (kDown ? 63 - std::countl_zero(m) : std::countr_zero(m));
    if (kDown ? --w < 0 : ++w == w_max) return -1;
    m = b[w];
  }
}

template <bool kBid>
inline void L2Books::walk_top5_dense(std::size_t s) {
  SideState& st = sides_[s];
  if (st.best == kNone) {
    st.depth5 = 0;
    st.best_qty = 0;
    st.fifth = kNone;
    return;
  }
  const Qty* q = dense(s);
  const std::uint64_t* b = bits(s);
  const std::int64_t best_slot = st.best - st.base;
  std::int64_t w = best_slot >> 6;
  std::uint64_t m =
      kBid ? b[w] & (~0ULL >> (63 - (best_slot & 63))) : b[w] & (~0ULL << (best_slot & 63));
  const auto w_max = static_cast<std::int64_t>(words_);
  Qty depth = 0;
  int n = 0;
  std::int64_t last = best_slot;
  for (;;) {
    while (m != 0) {
      const int bit = kBid ? 63 - std::countl_zero(m) : std::countr_zero(m);
      last = w * 64 + bit;
      depth += q[last];
      if (++n == kBookDepth) {
        st.depth5 = depth;
        st.best_qty = q[best_slot];
        st.fifth = st.base + last;
        return;
      }
      m = kBid ? m & ~(1ULL << bit) : m & (m - 1);
    }
    if (kBid ? --w < 0 : ++w == w_max) break;
    m = b[w];
  }
  walk_top5(s, kBid);  // the window ran out: far levels (or fewer than 5 levels) decide
}

void L2Books::clear_side(std::size_t s) {
  SideState& st = sides_[s];
  Qty* q = dense(s);
  std::uint64_t* b = bits(s);
  for (std::uint32_t w = 0; w < words_; ++w) {
    for (std::uint64_t m = b[w]; m != 0; m &= m - 1) q[w * 64 + std::countr_zero(m)] = 0;
    b[w] = 0;
  }
  far_[s].clear();
  st.best = kNone;
  st.best_px = Price{0};
  st.best_qty = 0;
  st.fifth = kNone;
  st.depth5 = 0;
  st.levels = 0;
  st.far_count = 0;
}

template <class Fn>
void L2Books::for_each_level(std::size_t s, bool bid, Fn&& fn) const {
  const SideState& st = sides_[s];
  if (st.levels == 0) return;
  const Qty* q = dense(s);
  const std::uint64_t* b = bits(s);
  // The best is in the window, so every far level lies on the worse side of it.
  if (bid) {
    std::int64_t w = (st.best - st.base) >> 6;
    std::uint64_t m = b[w] & (~0ULL >> (63 - ((st.best - st.base) & 63)));
    for (;;) {
      while (m != 0) {
        const int top = 63 - std::countl_zero(m);
        const std::int64_t slot = w * 64 + top;
        if (!fn(st.base + slot, q[slot])) return;
        m &= ~(1ULL << top);
      }
      if (--w < 0) break;
      m = b[w];
    }
    const std::vector<FarLevel>& far = far_[s];
    for (auto it = far.rbegin(); it != far.rend(); ++it) {
      if (!fn(it->idx, it->qty)) return;
    }
  } else {
    std::int64_t w = (st.best - st.base) >> 6;
    std::uint64_t m = b[w] & (~0ULL << ((st.best - st.base) & 63));
    const auto w_max = static_cast<std::int64_t>(words_);
    for (;;) {
      while (m != 0) {
        const std::int64_t slot = w * 64 + std::countr_zero(m);
        if (!fn(st.base + slot, q[slot])) return;
        m &= m - 1;
      }
      if (++w == w_max) break;
      m = b[w];
    }
    for (const FarLevel& l : far_[s]) {
      if (!fn(l.idx, l.qty)) return;
    }
  }
}

// ---- statistics ----------------------------------------------------------------------------

void L2Books::walk_top5(std::size_t s, bool bid) {
  SideState& st = sides_[s];
  Qty depth = 0;
  int n = 0;
  std::int64_t last = kNone;
  Qty first = 0;
  for_each_level(s, bid, [&](std::int64_t idx, Qty q) {
    if (n == 0) first = q;
    depth += q;
    last = idx;
    return ++n < kBookDepth;
  });
  st.depth5 = depth;
  st.best_qty = first;
  st.fifth = n == kBookDepth ? last : kNone;
}

template <L2Books::Refresh kWhich>
inline void L2Books::refresh(SymbolId id, const EventHeader& h, bool top_changed) {
  BookStats& s = stats_[id];
  const std::size_t bs = side_index(id, Side::kBuy);
  const SideState& bid = sides_[bs];
  const SideState& ask = sides_[bs + 1];
  // Only the side that changed is copied: its SideState fields were just stored one by one, and
  // copying both sides let the compiler load them in 16-byte pairs, which cannot be forwarded
  // from two 8-byte stores (a store-forwarding stall on every update).
  constexpr bool kCopyBid = kWhich != Refresh::kAsk;
  constexpr bool kCopyAsk = kWhich != Refresh::kBid;
  if constexpr (kCopyBid) s.bid_levels = bid.levels;
  if constexpr (kCopyAsk) s.ask_levels = ask.levels;
  s.last_update = h.local_ts;
  ++s.book_updates;
  s.trade_flow = trades_[id].flow.advance(stats_time(h));
  if (top_changed) {  // behind the 5th level nothing the features read has moved
    if constexpr (kCopyBid) {
      s.best_bid = bid.best_px;
      s.bid_qty = bid.best_qty;
      s.bid_depth = bid.depth5;
    }
    if constexpr (kCopyAsk) {
      s.best_ask = ask.best_px;
      s.ask_qty = ask.best_qty;
      s.ask_depth = ask.depth5;
    }
    // Tick numbers make the spread in ticks a subtraction, exact across band boundaries.
    derive_features(s, s.valid() ? ask.best - bid.best : 0);
  }
  if ((h.flags & kFlagLastInBatch) != 0) count_cross(s);
}

// ---- events --------------------------------------------------------------------------------

L2Reject L2Books::apply(const BookLevelEvent& ev) {
  const SymbolId id = ev.h.symbol;
  if (id >= n_symbols_) return L2Reject::kUnknownSymbol;
  const LadderIndex& lx = ladders_[id];
  const std::int64_t idx = lx.index_of(ev.price);
  if (idx <= 0) {
    ++stats_[id].rejected;
    return L2Reject::kBadPrice;
  }
  if (ev.qty < 0) {
    ++stats_[id].rejected;
    return L2Reject::kBadQty;
  }
  const bool bid = ev.side == Side::kBuy;
  const std::size_t s = side_index(id, ev.side);
  // One dispatch on the side; inside, every side test is a compile-time constant.
  if (bid) {
    refresh<Refresh::kBid>(id, ev.h, set_level<true>(s, idx, ev.qty));
  } else {
    refresh<Refresh::kAsk>(id, ev.h, set_level<false>(s, idx, ev.qty));
  }
  return L2Reject::kNone;
}

L2Reject L2Books::apply(const BookClearEvent& ev) {
  const SymbolId id = ev.h.symbol;
  if (id >= n_symbols_) return L2Reject::kUnknownSymbol;
  if (ev.side != ClearSide::kAsk) clear_side(side_index(id, Side::kBuy));
  if (ev.side != ClearSide::kBid) clear_side(side_index(id, Side::kSell));
  ++stats_[id].clears;
  refresh<Refresh::kBoth>(id, ev.h, true);
  return L2Reject::kNone;
}

L2Reject L2Books::apply(const TradeEvent& ev) {
  const SymbolId id = ev.h.symbol;
  if (id >= n_symbols_) return L2Reject::kUnknownSymbol;
  record_trade(stats_[id], trades_[id], ev);
  return L2Reject::kNone;
}

// ---- queries -------------------------------------------------------------------------------

std::size_t L2Books::levels(SymbolId id, Side side, std::span<L2Level> out) const {
  if (id >= stats_.size() || out.empty()) return 0;
  const LadderIndex& lx = ladders_[id];
  std::size_t n = 0;
  for_each_level(side_index(id, side), side == Side::kBuy, [&](std::int64_t idx, Qty q) {
    out[n++] = L2Level{lx.price_of(idx), q};
    return n < out.size();
  });
  return n;
}

Qty L2Books::qty_at(SymbolId id, Side side, Price price) const {
  if (id >= n_symbols_) return 0;
  const std::int64_t idx = ladders_[id].index_of(price);
  if (idx <= 0) return 0;
  const std::size_t s = side_index(id, side);
  const std::int64_t slot = idx - sides_[s].base;
  if (static_cast<std::uint64_t>(slot) < window_) return dense(s)[slot];
  const std::vector<FarLevel>& far = far_[s];
  auto it = std::lower_bound(far.begin(), far.end(), idx,
                             [](const FarLevel& l, std::int64_t i) { return l.idx < i; });
  return it != far.end() && it->idx == idx ? it->qty : 0;
}

// ---- snapshot / restore --------------------------------------------------------------------

void L2Books::save(SymbolId id, std::vector<std::byte>& out) const {
  out.clear();
  if (id >= n_symbols_) return;
  L2ImageHeader h;
  h.header_size = sizeof(L2ImageHeader);
  const std::string& code = symbols_.spec(id).code;
  std::memcpy(h.code, code.data(), std::min(code.size(), sizeof(h.code) - 1));
  h.price_scale = symbols_.spec(id).price_scale;
  const std::size_t bs = side_index(id, Side::kBuy);
  h.bid_levels = sides_[bs].levels;
  h.ask_levels = sides_[bs + 1].levels;
  h.stats = stats_[id];
  h.trades = trades_[id];
  out.resize(sizeof(h) + (h.bid_levels + h.ask_levels) * sizeof(L2Level));
  std::memcpy(out.data(), &h, sizeof(h));
  std::size_t off = sizeof(h);
  const LadderIndex& lx = ladders_[id];
  for (const bool bid : {true, false}) {
    for_each_level(bid ? bs : bs + 1, bid, [&](std::int64_t idx, Qty q) {
      const L2Level l{lx.price_of(idx), q};
      std::memcpy(out.data() + off, &l, sizeof(l));
      off += sizeof(l);
      return true;
    });
  }
}

std::string L2Books::restore(SymbolId id, std::span<const std::byte> blob) {
  if (id >= n_symbols_) return "unknown symbol id " + std::to_string(id);
  L2ImageHeader h;
  if (blob.size() < sizeof(h))
    return "book image too short (" + std::to_string(blob.size()) + " bytes)";
  std::memcpy(&h, blob.data(), sizeof(h));
  if (h.magic != L2ImageHeader::kMagic) return "not an L2 book image (bad magic)";
  if (h.version != L2ImageHeader::kVersion || h.header_size != sizeof(h)) {
    return "unsupported L2 book image version " + std::to_string(h.version);
  }
  const ContractSpec& spec = symbols_.spec(id);
  if (std::strncmp(h.code, spec.code.c_str(), sizeof(h.code)) != 0 ||
      (spec.code.size() >= sizeof(h.code))) {
    h.code[sizeof(h.code) - 1] = '\0';
    return "book image is for symbol " + std::string(h.code) + ", not " + spec.code;
  }
  if (h.price_scale != spec.price_scale) return "book image price scale differs from the symbol's";
  const std::uint64_t n = std::uint64_t{h.bid_levels} + h.ask_levels;
  if (blob.size() != sizeof(h) + n * sizeof(L2Level))
    return "book image size does not match its level counts";
  std::vector<L2Level> levels(n);
  std::memcpy(levels.data(), blob.data() + sizeof(h), n * sizeof(L2Level));
  const LadderIndex& lx = ladders_[id];
  for (std::uint64_t i = 0; i < n; ++i) {
    const bool bid = i < h.bid_levels;
    const bool first = i == 0 || i == h.bid_levels;
    if (lx.index_of(levels[i].price) <= 0)
      return "level " + std::to_string(i) + ": price off the ladder";
    if (levels[i].qty <= 0) return "level " + std::to_string(i) + ": qty must be > 0";
    if (!first &&
        (bid ? levels[i].price >= levels[i - 1].price : levels[i].price <= levels[i - 1].price)) {
      return "level " + std::to_string(i) + ": levels not in best-first order";
    }
  }
  const std::size_t bs = side_index(id, Side::kBuy);
  clear_side(bs);
  clear_side(bs + 1);
  for (std::uint64_t i = 0; i < n; ++i) {
    const bool bid = i < h.bid_levels;
    const std::int64_t idx = lx.index_of(levels[i].price);
    bid ? (void)set_level<true>(bs, idx, levels[i].qty)
        : (void)set_level<false>(bs + 1, idx, levels[i].qty);
  }
  stats_[id] = h.stats;
  trades_[id] = h.trades;
  return {};
}

}  // namespace hft::lob
