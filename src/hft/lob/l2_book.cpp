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
      margin_(window_ / 8),
      inner_(window_ - 2 * margin_),
      books_(symbols.size()),
      qty_(symbols.size() * 2 * window_),
      bits_(symbols.size() * 2 * (words_ + 1)),
      far_(symbols.size() * 2) {
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    books_[i].ladder = LadderIndex(symbols.ladder(static_cast<SymbolId>(i)));
    books_[i].band = books_[i].ladder.span_of(Price{1});
    books_[i].trades =
        TradeAccumulator{0, TradeFlowWindow(config.flow_bucket_ns, config.flow_buckets)};
  }
  bind_storage();
  for (auto& f : far_) f.reserve(far_capacity_);
  scratch_.reserve(window_ + far_capacity_);
}

L2Books::L2Books(const L2Books& other)
    : symbols_(other.symbols_),
      n_symbols_(other.n_symbols_),
      window_(other.window_),
      words_(other.words_),
      far_capacity_(other.far_capacity_),
      margin_(other.margin_),
      inner_(other.inner_),
      books_(other.books_),
      qty_(other.qty_),
      bits_(other.bits_),
      far_(other.far_),
      scratch_(other.scratch_),
      recentres_(other.recentres_),
      far_overflows_(other.far_overflows_) {
  for (auto& f : far_) f.reserve(far_capacity_);
  scratch_.reserve(window_ + far_capacity_);
  bind_storage();
}

void L2Books::bind_storage() {
  for (std::size_t s = 0; s < n_symbols_ * 2; ++s) {
    side_state(s).q = &qty_[s * window_];
    side_state(s).b = &bits_[s * (words_ + 1)];
  }
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
  SideState& st = side_state(s);
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
  SideState& st = side_state(s);
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

inline void L2Books::store_dense(SideState& sd, std::int64_t slot, Qty qty) {
  // Branch-free: on a random stream insert / update / remove are unpredictable. The side's
  // fields are read once, before the stores to the window and bitmap.
  std::uint64_t* const b = sd.b;
  const std::uint64_t summary = sd.summary;
  const std::uint32_t levels = sd.levels;
  sd.q[slot] = qty;
  const auto w = static_cast<std::size_t>(slot) >> 6;
  const std::uint64_t old_word = b[w];
  const std::uint64_t bit = 1ULL << (slot & 63);
  // Masks, not `?:`: g++ turns the select into a branch here.
  const std::uint64_t word = (old_word & ~bit) | (bit & (0 - static_cast<std::uint64_t>(qty != 0)));
  b[w] = word;
  sd.summary = (summary & ~(1ULL << w)) | (static_cast<std::uint64_t>(word != 0) << w);
  // The level count moves by what the word gained or lost (one bit or none).
  sd.levels = levels + static_cast<std::uint32_t>(std::popcount(word)) -
              static_cast<std::uint32_t>(std::popcount(old_word));
}

void L2Books::store(std::size_t s, std::int64_t key, Qty qty) {
  SideState& st = side_state(s);
  if (st.levels == 0) {
    if (qty == 0) return;
    st.base = key - static_cast<std::int64_t>(window_ / 2);  // first level: centre the window
  }
  const std::int64_t slot = key - st.base;
  if (static_cast<std::uint64_t>(slot) < window_) {
    store_dense(st, slot, qty);
  } else {
    set_far(s, key, qty);
    // A level better than the window is the new best: the window moves to it.
    if (qty != 0 && key < st.base) recentre(s, key);
  }
}

inline bool L2Books::fast_top(SideState& sd, Top& top) const {
  const std::uint64_t summary = sd.summary;
  if (summary == 0) [[unlikely]]
    return false;  // window empty
  // The best is the lowest set bit: summary word, then bitmap word.
  const std::uint64_t* const b = sd.b;
  const auto w0 = static_cast<std::size_t>(std::countr_zero(summary));
  const std::uint64_t word = b[w0];
  const auto best_slot = static_cast<std::int64_t>(w0 * 64 + std::countr_zero(word));
  // The best stays inside the inner 3/4 of the window (else settle() recentres), so
  // improvements and the depth behind the touch stay in dense slots.
  if (static_cast<std::uint64_t>(best_slot - margin_) >= inner_) [[unlikely]]
    return false;
  sd.best = sd.base + best_slot;  // also what settle() relies on when fewer than 5 levels follow
  // The best 5 levels are the 5 lowest set bits from the best slot on: 64 slots from two aligned
  // words (the padding word keeps the second in bounds). Aligned like the store to the word just
  // updated, so the loads are forwarded from it (an unaligned load across it would stall).
  // (shrd: the two words as one 128-bit value shifted right by the best's bit.)
  std::uint64_t m =
      static_cast<std::uint64_t>(((static_cast<U128>(b[w0 + 1]) << 64) | word) >> (best_slot & 63));
  if (std::popcount(m) < kBookDepth) [[unlikely]]
    return false;
  const Qty* t = sd.q + best_slot;
  top = Top{t[0], t[0]};
  for (int i = 1; i < kBookDepth; ++i) {
    m &= m - 1;
    top.depth5 += t[std::countr_zero(m)];
  }
  return true;
}

L2Books::Top L2Books::settle(std::size_t s) {
  SideState& st = side_state(s);
  if (st.levels == 0) return Top{};
  if (st.summary == 0) recentre(s, far_[s].back().key);  // only far levels: the nearest is best
  const int w0 = std::countr_zero(st.summary);
  const std::int64_t best_slot = w0 * 64 + std::countr_zero(bits(s)[w0]);
  if (static_cast<std::uint64_t>(best_slot - margin_) >= inner_) {
    recentre(s, st.base + best_slot);
  }
  Top top;
  if (!fast_top(st, top)) top = walk_top5(s);  // fewer than 5 levels in 64 slots
  return top;
}

void L2Books::clear_side(std::size_t s) {
  SideState& st = side_state(s);
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
  const SideState& st = side_state(s);
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

void L2Books::refresh_side(BookStats& st, std::size_t s, bool ask, Top top) const {
  const SideState& side = side_state(s);
  const Price px =
      side.levels == 0 ? Price{0} : books_[s >> 1].ladder.price_of(ask ? side.best : -side.best);
  (ask ? st.best_ask : st.best_bid) = px;
  (ask ? st.ask_qty : st.bid_qty) = top.best_qty;
  (ask ? st.ask_depth : st.bid_depth) = top.depth5;
  (ask ? st.ask_levels : st.bid_levels) = side.levels;
  // Keys make the spread in ticks a sum (ask key + bid key), exact across band boundaries.
  const Book& bk = books_[s >> 1];
  derive_features(st, st.valid() ? bk.side[1].best + bk.side[0].best : 0);
}

void L2Books::finish(BookStats& st, SymbolId id, const EventHeader& h) {
  st.last_update = h.local_ts;
  ++st.book_updates;
  st.trade_flow = books_[id].trades.flow.advance(stats_time(h));
  if ((h.flags & kFlagLastInBatch) != 0) count_cross(st);
}

L2Reject L2Books::apply_off_band(Book& bk, const BookLevelEvent& ev) {
  if (ev.price.v <= 0) {
    ++bk.stats.rejected;
    return L2Reject::kBadPrice;
  }
  bk.band = bk.ladder.span_of(ev.price);  // holds the price now: apply() takes it through
  return apply(ev);
}

std::int64_t L2Books::tick_index(SymbolId id, Price p) const {
  const std::int64_t idx = books_[id].ladder.index_of(p);
  return idx <= kMaxIndex ? idx : -1;
}

// ---- events --------------------------------------------------------------------------------

inline L2Reject L2Books::publish(Book& bk, bool ask, Price px, Top top, const EventHeader& h) {
  BookStats& st = bk.stats;
  std::size_t off = ask ? kAskOffset : 0;
  // Hidden from the optimiser, which would otherwise specialise the stores for the two values
  // behind a branch on the side again.
  asm("" : "+r"(off));
  at_offset(st.best_bid, off) = px;
  at_offset(st.bid_qty, off) = top.best_qty;
  at_offset(st.bid_depth, off) = top.depth5;
  at_offset(st.bid_levels, off / (kAskOffset / kAskLevelsOffset)) = bk.side[ask].levels;
  // Both sides as locals (this side's are forwarded from the stores just made), so validity,
  // features and the crossed/locked test share them instead of reloading after each store.
  const Price bid = st.best_bid;
  const Price ask_px = st.best_ask;
  const bool valid = bid.v > 0 && ask_px.v > 0;
  if (valid) [[likely]] {
    // Keys make the spread in ticks a sum (ask key + bid key), exact across band boundaries.
    derive_features(st, bid, ask_px, st.bid_qty, st.ask_qty, st.bid_depth, st.ask_depth,
                    bk.side[1].best + bk.side[0].best);
    // Crossed or locked books are rare: a branch, not two conditional increments.
    if ((h.flags & kFlagLastInBatch) != 0 && bid >= ask_px) [[unlikely]]
      ++(bid > ask_px ? st.crossed : st.locked);
  } else {
    clear_features(st);
  }
  st.last_update = h.local_ts;
  ++st.book_updates;
  const Timestamp ts = stats_time(h);
  if (bk.trades.flow.expires(ts)) [[unlikely]]
    return roll_flow(bk, ts);
  st.trade_flow = bk.trades.flow.sum();
  return L2Reject::kNone;
}

L2Reject L2Books::roll_flow(Book& bk, Timestamp ts) {
  bk.stats.trade_flow = bk.trades.flow.advance(ts);
  return L2Reject::kNone;
}

L2Reject L2Books::apply_cold(std::size_t s, std::int64_t key, Qty qty, const EventHeader& h) {
  store(s, key, qty);
  return settle_publish(s, h);
}

L2Reject L2Books::settle_publish(std::size_t s, const EventHeader& h) {
  const Top top = settle(s);
  Book& bk = books_[s >> 1];
  const bool ask = (s & 1) != 0;
  const SideState& sd = bk.side[ask];
  const Price px = sd.levels == 0 ? Price{0} : bk.ladder.price_of(ask ? sd.best : -sd.best);
  return publish(bk, ask, px, top, h);
}

L2Reject L2Books::apply(const BookLevelEvent& ev) {
  const SymbolId id = ev.h.symbol;
  if (id >= n_symbols_) return L2Reject::kUnknownSymbol;
  Book& bk = books_[id];
  if (!bk.band.has_price(ev.price.v)) [[unlikely]]
    return apply_off_band(bk, ev);
  const std::int64_t idx = bk.band.index_of(ev.price.v);
  // Tick numbers 1 ..= kMaxIndex (index_of gives -1 for a price off the ladder or <= 0).
  if (static_cast<std::uint64_t>(idx - 1) >= static_cast<std::uint64_t>(kMaxIndex)) {
    ++bk.stats.rejected;
    return L2Reject::kBadPrice;
  }
  if (ev.qty < 0) {
    ++bk.stats.rejected;
    return L2Reject::kBadQty;
  }
  // No dispatch on the side: it selects the arrays and the statistics fields.
  const bool ask = ev.side != Side::kBuy;
  SideState& sd = bk.side[ask];
  // 0 for an ask, -1 for a bid: the key (idx or -idx) as (idx ^ sign) - sign, no select.
  const std::int64_t sign = static_cast<std::int64_t>(ask) - 1;
  const std::int64_t key = (idx ^ sign) - sign;
  const std::int64_t slot = key - sd.base;
  // The common case inline and without calls; the rest (first level, far levels, recentring,
  // fewer than 5 levels in 64 slots, a price outside the cached ladder band, a trade-flow
  // bucket expiring) are tail calls out of line: the common path makes no call.
  if (sd.levels == 0 || static_cast<std::uint64_t>(slot) >= window_) [[unlikely]]
    return apply_cold(static_cast<std::size_t>(id) * 2 + ask, key, ev.qty, ev.h);
  store_dense(sd, slot, ev.qty);
  Top top;
  if (!fast_top(sd, top)) [[unlikely]]
    return settle_publish(static_cast<std::size_t>(id) * 2 + ask, ev.h);
  // fast_top found 5 levels, so the side is not empty.
  return publish(bk, ask, price_of(bk, (sd.best ^ sign) - sign), top, ev.h);
}

L2Reject L2Books::apply(const BookClearEvent& ev) {
  const SymbolId id = ev.h.symbol;
  if (id >= n_symbols_) return L2Reject::kUnknownSymbol;
  BookStats& st = books_[id].stats;
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
  record_trade(books_[id].stats, books_[id].trades, ev);
  return L2Reject::kNone;
}

// ---- queries -------------------------------------------------------------------------------

std::size_t L2Books::levels(SymbolId id, Side side, std::span<L2Level> out) const {
  if (id >= n_symbols_ || out.empty()) return 0;
  const LadderIndex& lx = books_[id].ladder;
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
  const std::int64_t slot = key - side_state(s).base;
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
  h.bid_levels = side_state(bs).levels;
  h.ask_levels = side_state(bs + 1).levels;
  h.stats = books_[id].stats;
  h.trades = books_[id].trades;
  out.resize(sizeof(h) + (h.bid_levels + h.ask_levels) * sizeof(L2Level));
  std::memcpy(out.data(), &h, sizeof(h));
  std::size_t off = sizeof(h);
  const LadderIndex& lx = books_[id].ladder;
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
  books_[id].stats = h.stats;
  books_[id].trades = h.trades;
  return {};
}

}  // namespace hft::lob
