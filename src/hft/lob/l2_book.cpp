#include "hft/lob/l2_book.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstring>

namespace hft::lob {

L2Books::L2Books(const SymbolTable& symbols, const L2Config& config)
    : symbols_(symbols),
      n_symbols_(symbols.size()),
      window_((std::clamp<std::uint32_t>(config.window_ticks, 64, kMaxWindow) + 63) / 64 * 64),
      words_(window_ / 64),
      far_capacity_(config.far_capacity),
      sides_(symbols.size() * 2),
      qty_(symbols.size() * 2 * window_),
      bits_(symbols.size() * 2 * (words_ + 1)),
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

namespace {

// A bid field's ask counterpart lies at a fixed distance in BookStats: an update addresses its
// side's fields with one offset instead of a branch (g++ compiles `*(ask ? &x : &y) = v` for
// four fields into a branch around two store sequences, which mispredicts on a random side).
constexpr std::size_t kAskOffset = offsetof(BookStats, best_ask) - offsetof(BookStats, best_bid);
static_assert(offsetof(BookStats, ask_qty) - offsetof(BookStats, bid_qty) == kAskOffset &&
              offsetof(BookStats, ask_depth) - offsetof(BookStats, bid_depth) == kAskOffset);
constexpr std::size_t kAskLevelsOffset =
    offsetof(BookStats, ask_levels) - offsetof(BookStats, bid_levels);
static_assert(kAskOffset % kAskLevelsOffset == 0);

template <class T>
[[gnu::always_inline]] inline T& at_offset(T& bid_field, std::size_t offset) {
  return *reinterpret_cast<T*>(reinterpret_cast<std::uintptr_t>(&bid_field) + offset);
}

}  // namespace

// ---- level storage -------------------------------------------------------------------------

void L2Books::set_far(std::size_t s, std::int64_t key, Qty qty) {
  SideState& st = sides_[s];
  std::vector<FarLevel>& far = far_[s];
  auto it = std::lower_bound(far.begin(), far.end(), key,
                             [](const FarLevel& l, std::int64_t k) { return l.key > k; });
  if (it != far.end() && it->key == key) {
    if (qty > 0) {
      it->qty = qty;
    } else {
      far.erase(it);
      --st.levels;
    }
    return;
  }
  if (qty == 0) return;
  if (far.size() == far.capacity()) ++far_overflows_;  // the insert below allocates
  far.insert(it, FarLevel{key, qty});
  ++st.levels;
}

void L2Books::recentre(std::size_t s, std::int64_t around) {
  SideState& st = sides_[s];
  Qty* q = dense(s);
  std::uint64_t* b = bits(s);
  std::vector<FarLevel>& far = far_[s];
  // Every level in ascending key order: a far level better than the window (only a new best can
  // be there), the window, the far levels behind it.
  scratch_.clear();
  auto far_it = far.rbegin();
  for (; far_it != far.rend() && far_it->key < st.base; ++far_it) scratch_.push_back(*far_it);
  for (std::uint32_t w = 0; w < words_; ++w) {
    for (std::uint64_t m = b[w]; m != 0; m &= m - 1) {
      const std::uint32_t slot = w * 64 + static_cast<std::uint32_t>(std::countr_zero(m));
      scratch_.push_back(FarLevel{st.base + slot, q[slot]});
      q[slot] = 0;
    }
    b[w] = 0;
  }
  for (; far_it != far.rend(); ++far_it) scratch_.push_back(*far_it);
  far.clear();
  st.base = around - static_cast<std::int64_t>(window_ / 2);
  st.summary = 0;
  // Worst first, so the far array comes out sorted by key descending.
  for (auto l = scratch_.rbegin(); l != scratch_.rend(); ++l) {
    const std::int64_t slot = l->key - st.base;
    if (static_cast<std::uint64_t>(slot) < window_) {
      q[slot] = l->qty;
      b[slot >> 6] |= 1ULL << (slot & 63);
      st.summary |= 1ULL << (slot >> 6);
    } else {
      if (far.size() == far.capacity()) ++far_overflows_;
      far.push_back(*l);
    }
  }
  ++recentres_;
}

inline void L2Books::store_dense(std::size_t s, std::int64_t slot, Qty qty) {
  // Branch-free: on a random stream insert / update / remove are unpredictable.
  SideState& st = sides_[s];
  Qty& q = dense(s)[slot];
  const bool had = q != 0;
  const bool has = qty != 0;
  q = qty;
  std::uint64_t* b = bits(s);
  const auto w = static_cast<std::size_t>(slot >> 6);
  const std::uint64_t word =
      b[w] ^ ((1ULL << (slot & 63)) & (0 - static_cast<std::uint64_t>(had != has)));
  b[w] = word;
  st.summary = (st.summary & ~(1ULL << w)) | (static_cast<std::uint64_t>(word != 0) << w);
  st.levels = st.levels + static_cast<std::uint32_t>(has) - static_cast<std::uint32_t>(had);
}

void L2Books::store(std::size_t s, std::int64_t key, Qty qty) {
  SideState& st = sides_[s];
  if (st.levels == 0) {
    if (qty == 0) return;
    st.base = key - static_cast<std::int64_t>(window_ / 2);  // first level: centre the window
  }
  const std::int64_t slot = key - st.base;
  if (static_cast<std::uint64_t>(slot) < window_) {
    store_dense(s, slot, qty);
  } else {
    set_far(s, key, qty);
    // A level better than the window is the new best: the window moves to it.
    if (qty != 0 && key < st.base) recentre(s, key);
  }
}

inline bool L2Books::fast_top(std::size_t s, Top& top) {
  SideState& st = sides_[s];
  if (st.summary == 0) [[unlikely]]
    return false;  // window empty
  // The best is the lowest set bit: summary word, then bitmap word.
  const std::uint64_t* b = bits(s);
  const int w0 = std::countr_zero(st.summary);
  const std::int64_t best_slot = w0 * 64 + std::countr_zero(b[w0]);
  // The best stays inside the inner 3/4 of the window (else settle() recentres), so
  // improvements and the depth behind the touch stay in dense slots.
  const auto margin = static_cast<std::int64_t>(window_ / 8);
  if (best_slot < margin || best_slot >= static_cast<std::int64_t>(window_) - margin) [[unlikely]]
    return false;
  st.best = st.base + best_slot;
  // The best 5 levels are the 5 lowest set bits from the best slot on: 64 slots from two aligned
  // words (the padding word keeps the second in bounds). Aligned like the store to the word just
  // updated, so the loads are forwarded from it (an unaligned load across it would stall).
  const auto bw = static_cast<std::size_t>(best_slot >> 6);
  const auto sh = static_cast<int>(best_slot & 63);
  std::uint64_t m = (b[bw] >> sh) | ((b[bw + 1] << 1) << (63 - sh));
  if (std::popcount(m) < kBookDepth) [[unlikely]]
    return false;
  const Qty* t = dense(s) + best_slot;
  top = Top{t[0], t[0]};
  for (int i = 1; i < kBookDepth; ++i) {
    m &= m - 1;
    top.depth5 += t[std::countr_zero(m)];
  }
  return true;
}

L2Books::Top L2Books::settle(std::size_t s) {
  SideState& st = sides_[s];
  if (st.levels == 0) return Top{};
  if (st.summary == 0) recentre(s, far_[s].back().key);  // only far levels: the nearest is best
  const int w0 = std::countr_zero(st.summary);
  const std::int64_t best_slot = w0 * 64 + std::countr_zero(bits(s)[w0]);
  const auto margin = static_cast<std::int64_t>(window_ / 8);
  if (best_slot < margin || best_slot >= static_cast<std::int64_t>(window_) - margin) {
    recentre(s, st.base + best_slot);
  }
  Top top;
  if (!fast_top(s, top)) top = walk_top5(s);  // fewer than 5 levels in 64 slots
  return top;
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
  st.summary = 0;
  st.levels = 0;
}

template <class Fn>
void L2Books::for_each_level(std::size_t s, Fn&& fn) const {
  const SideState& st = sides_[s];
  if (st.levels == 0) return;
  const Qty* q = dense(s);
  const std::uint64_t* b = bits(s);
  // The best is in the window, so every far level lies behind it.
  const std::int64_t best_slot = st.best - st.base;
  std::int64_t w = best_slot >> 6;
  std::uint64_t m = b[w] & (~0ULL << (best_slot & 63));
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
  const std::vector<FarLevel>& far = far_[s];
  for (auto it = far.rbegin(); it != far.rend(); ++it) {
    if (!fn(it->key, it->qty)) return;
  }
}

// ---- statistics ----------------------------------------------------------------------------

L2Books::Top L2Books::walk_top5(std::size_t s) const {
  Top top;
  int n = 0;
  for_each_level(s, [&](std::int64_t, Qty q) {
    if (n == 0) top.best_qty = q;
    top.depth5 += q;
    return ++n < kBookDepth;
  });
  return top;
}

inline void L2Books::refresh_side(BookStats& st, std::size_t s, bool ask, Top top) const {
  const SideState& side = sides_[s];
  const Price px =
      side.levels == 0 ? Price{0} : ladders_[s >> 1].price_of(ask ? side.best : -side.best);
  std::size_t off = ask ? kAskOffset : 0;
  // Hidden from the optimiser, which would otherwise specialise the stores for the two values
  // behind a branch on the side again.
  asm("" : "+r"(off));
  at_offset(st.best_bid, off) = px;
  at_offset(st.bid_qty, off) = top.best_qty;
  at_offset(st.bid_depth, off) = top.depth5;
  at_offset(st.bid_levels, off / (kAskOffset / kAskLevelsOffset)) = side.levels;
  // Keys make the spread in ticks a sum (ask key + bid key), exact across band boundaries.
  const std::size_t bs = s & ~std::size_t{1};
  derive_features(st, st.valid() ? sides_[bs + 1].best + sides_[bs].best : 0);
}

void L2Books::finish(BookStats& st, SymbolId id, const EventHeader& h) {
  st.last_update = h.local_ts;
  ++st.book_updates;
  st.trade_flow = trades_[id].flow.advance(stats_time(h));
  if ((h.flags & kFlagLastInBatch) != 0) count_cross(st);
}

std::int64_t L2Books::tick_index(SymbolId id, Price p) const {
  const std::int64_t idx = ladders_[id].index_of(p);
  return idx <= kMaxIndex ? idx : -1;
}

// ---- events --------------------------------------------------------------------------------

L2Reject L2Books::apply(const BookLevelEvent& ev) {
  const SymbolId id = ev.h.symbol;
  if (id >= n_symbols_) return L2Reject::kUnknownSymbol;
  BookStats& st = stats_[id];
  const std::int64_t idx = tick_index(id, ev.price);
  if (idx <= 0) {
    ++st.rejected;
    return L2Reject::kBadPrice;
  }
  if (ev.qty < 0) {
    ++st.rejected;
    return L2Reject::kBadQty;
  }
  // No dispatch on the side: it selects the arrays and the statistics fields.
  const bool ask = ev.side != Side::kBuy;
  const std::size_t s = static_cast<std::size_t>(id) * 2 + static_cast<std::size_t>(ask);
  const std::int64_t key = key_of(!ask, idx);
  const SideState& side = sides_[s];
  const std::int64_t slot = key - side.base;
  Top top;
  // The common case inline and without calls; the rest (first level, far levels, recentring,
  // fewer than 5 levels in 64 slots) out of line.
  if (side.levels == 0 || static_cast<std::uint64_t>(slot) >= window_) [[unlikely]] {
    store(s, key, ev.qty);
    top = settle(s);
  } else {
    store_dense(s, slot, ev.qty);
    if (!fast_top(s, top)) [[unlikely]]
      top = settle(s);
  }
  refresh_side(st, s, ask, top);
  finish(st, id, ev.h);
  return L2Reject::kNone;
}

L2Reject L2Books::apply(const BookClearEvent& ev) {
  const SymbolId id = ev.h.symbol;
  if (id >= n_symbols_) return L2Reject::kUnknownSymbol;
  BookStats& st = stats_[id];
  const std::size_t bs = side_index(id, Side::kBuy);
  if (ev.side != ClearSide::kAsk) {
    clear_side(bs);
    refresh_side(st, bs, false, Top{});
  }
  if (ev.side != ClearSide::kBid) {
    clear_side(bs + 1);
    refresh_side(st, bs + 1, true, Top{});
  }
  ++st.clears;
  finish(st, id, ev.h);
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
  const bool bid = side == Side::kBuy;
  std::size_t n = 0;
  for_each_level(side_index(id, side), [&](std::int64_t key, Qty q) {
    out[n++] = L2Level{lx.price_of(key_of(bid, key)), q};
    return n < out.size();
  });
  return n;
}

Qty L2Books::qty_at(SymbolId id, Side side, Price price) const {
  if (id >= n_symbols_) return 0;
  const std::int64_t idx = tick_index(id, price);
  if (idx <= 0) return 0;
  const std::size_t s = side_index(id, side);
  const std::int64_t key = key_of(side == Side::kBuy, idx);
  const std::int64_t slot = key - sides_[s].base;
  if (static_cast<std::uint64_t>(slot) < window_) return dense(s)[slot];
  const std::vector<FarLevel>& far = far_[s];
  auto it = std::lower_bound(far.begin(), far.end(), key,
                             [](const FarLevel& l, std::int64_t k) { return l.key > k; });
  return it != far.end() && it->key == key ? it->qty : 0;
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
    for_each_level(bid ? bs : bs + 1, [&](std::int64_t key, Qty q) {
      const L2Level l{lx.price_of(key_of(bid, key)), q};
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
  for (std::uint64_t i = 0; i < n; ++i) {
    const bool bid = i < h.bid_levels;
    const bool first = i == 0 || i == h.bid_levels;
    if (tick_index(id, levels[i].price) <= 0)
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
    store(bid ? bs : bs + 1, key_of(bid, tick_index(id, levels[i].price)), levels[i].qty);
  }
  (void)settle(bs);
  (void)settle(bs + 1);
  stats_[id] = h.stats;
  trades_[id] = h.trades;
  return {};
}

}  // namespace hft::lob
