#include "hft/feed/gen/day_generator.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "hft/feed/sim_market.hpp"

namespace hft::feed::gen {
namespace {

enum class PhaseKind : std::uint8_t { kIndicative, kContinuous };

/// A stretch of one session: indicative books (pre-open / pre-close, trial matches not printed)
/// or continuous trading; `auction_at_end` prints the call-auction trade when it ends.
struct Phase {
  PhaseKind kind;
  Timestamp start;
  Timestamp end;
  bool auction_at_end;
};

double product_rate_factor(const ContractSpec& s) {
  switch (s.type) {
    case ProductType::kIndexFuture: return s.root == "TXF" ? 1.0 : (s.root == "MXF" ? 0.8 : 0.5);
    case ProductType::kStock: return 0.6;
    case ProductType::kEtf: return 0.4;
    default: return 0.3;
  }
}

}  // namespace

/// One symbol's book and order-flow model; produces its atomic updates in time order.
class SymbolModel {
 public:
  SymbolModel(std::uint16_t index, ContractSpec spec, const DayGenParams& p, std::uint64_t seed)
      : index_(index),
        spec_(std::move(spec)),
        ladder_(spec_.ladder()),
        m_(p.model),
        simtrade_(p.simtrade),
        rng_(seed) {
    const bool stock = spec_.type == ProductType::kStock || spec_.type == ProductType::kEtf;
    futures_ = !stock;
    // Reference (previous close): the product's typical level, moved up to ±3 % by the seed.
    const Price typical = default_reference_price(spec_);
    ref_ = ladder_.round_down(
        Price{typical.v + static_cast<std::int64_t>(static_cast<double>(typical.v) * 0.03 *
                                                    (2 * rng_.uniform() - 1))});
    limits_ = daily_limits(ref_, spec_, ladder_);
    fair_ = static_cast<double>(ref_.v);
    // Per-second volatility of the fair value from a 5-hour day's volatility.
    sigma_ = static_cast<double>(ref_.v) * m_.daily_vol_pct / 100.0 / std::sqrt(5 * 3600.0);
    rate_ = m_.base_rate * product_rate_factor(spec_);
    mean_level_qty_ = futures_ ? (spec_.root == "TXF" ? 8.0 : 15.0) : 40.0;
    mean_trade_qty_ = futures_ ? 2.0 : 6.0;
    const auto d = [&](int h, int mi, int day_offset = 0) {
      return taipei_to_utc(p.year, p.month, p.day, h, mi) + day_offset * kNsPerDay;
    };
    const bool day = p.session != SessionChoice::kNight;
    const bool night = p.session != SessionChoice::kDay;
    if (futures_) {
      if (day) {
        phases_.push_back({PhaseKind::kIndicative, d(8, 30), d(8, 45), true});
        phases_.push_back({PhaseKind::kContinuous, d(8, 45), d(13, 45), false});
      }
      if (night) {
        phases_.push_back({PhaseKind::kIndicative, d(14, 50), d(15, 0), true});
        phases_.push_back({PhaseKind::kContinuous, d(15, 0), d(5, 0, 1), false});
      }
    } else if (day) {
      phases_.push_back({PhaseKind::kIndicative, d(8, 30), d(9, 0), true});
      phases_.push_back({PhaseKind::kContinuous, d(9, 0), d(13, 25), false});
      phases_.push_back({PhaseKind::kIndicative, d(13, 25), d(13, 30), true});
    }
    if (!phases_.empty()) enter(0);
  }

  bool empty() const { return phases_.empty(); }
  Timestamp first_ts() const { return phases_.front().start; }
  Timestamp last_ts() const { return phases_.back().end; }
  const ContractSpec& spec() const { return spec_; }
  Price reference() const { return ref_; }
  PriceLimits limits() const { return limits_; }

  /// Exchange time of the next update; false when the symbol is done.
  bool peek(Timestamp* t) {
    if (phase_ >= phases_.size()) return false;
    *t = next_ts_;
    return true;
  }

  /// Appends the next update's rows (all stamped with one exch/local time) and advances.
  void take(std::vector<Row>& rows) {
    const Phase& ph = phases_[phase_];
    const Timestamp t = next_ts_;
    const std::size_t first = rows.size();
    if (pending_auction_) {
      auction(rows, ph);
    } else if (ph.kind == PhaseKind::kIndicative) {
      indicative(rows);
    } else if (t >= next_resync_) {
      snapshot(rows);
      next_resync_ = t + static_cast<Timestamp>(m_.resync_every_s * 1e9);
    } else {
      arrival(rows, t);
      next_arrival_ = hawkes_next(t, ph);
    }
    stamp(rows, first, t);
    schedule();
  }

 private:
  // ---- time ----
  void enter(std::size_t i) {
    phase_ = i;
    if (i >= phases_.size()) return;
    const Phase& ph = phases_[i];
    pending_auction_ = false;
    if (ph.kind == PhaseKind::kIndicative) {
      trial_ = last_price().v > 0 ? last_price() : ref_;
      next_ts_ = ph.start;
    } else {
      build_book(last_trade_.v > 0 ? last_trade_ : ref_);
      excitation_ = 0;
      last_arrival_ = ph.start;
      next_resync_ = ph.start;  // the session opens with a full snapshot
      next_arrival_ = hawkes_next(ph.start, ph);
      next_ts_ = ph.start;
    }
  }

  void schedule() {
    const Phase& ph = phases_[phase_];
    if (pending_auction_) {  // the auction print was just emitted
      enter(phase_ + 1);
      return;
    }
    if (ph.kind == PhaseKind::kIndicative) {
      const Timestamp next = next_ts_ + static_cast<Timestamp>(m_.indicative_every_s * 1e9);
      if (next >= ph.end) {
        if (ph.auction_at_end) {
          pending_auction_ = true;
          next_ts_ = ph.end;
        } else {
          enter(phase_ + 1);
        }
      } else {
        next_ts_ = next;
      }
      return;
    }
    const Timestamp next = std::min(next_arrival_, next_resync_);
    if (next >= ph.end) {
      enter(phase_ + 1);
    } else {
      next_ts_ = next;
    }
  }

  /// Baseline intensity: U-shaped over the session.
  double baseline(Timestamp t, const Phase& ph) const {
    const double since_open = static_cast<double>(t - ph.start) / 1e9;
    const double to_close = static_cast<double>(ph.end - t) / 1e9;
    const double night = ph.end - ph.start > 6 * kNsPerHour ? 0.35 : 1.0;
    return rate_ * night *
           (1.0 + m_.open_boost * std::exp(-since_open / m_.open_close_tau_s) +
            m_.close_boost * std::exp(-to_close / m_.open_close_tau_s));
  }

  /// Next arrival of the Hawkes process after t (Ogata thinning); excitation jumps by
  /// branching * decay at each arrival, so each arrival triggers `branching` others on average.
  Timestamp hawkes_next(Timestamp t, const Phase& ph) {
    const double bound_base = rate_ * (1.0 + m_.open_boost + m_.close_boost);
    double now = 0;  // seconds after t
    for (;;) {
      const double bound = bound_base + excitation_;
      const double w = -std::log(1.0 - rng_.uniform()) / bound;
      now += w;
      excitation_ *= std::exp(-m_.decay * w);
      const auto cand = t + static_cast<Timestamp>(now * 1e9) + 1;
      if (cand >= ph.end) return ph.end;
      if (rng_.uniform() * bound <= baseline(cand, ph) + excitation_) {
        excitation_ += m_.branching * m_.decay;
        return cand;
      }
    }
  }

  void stamp(std::vector<Row>& rows, std::size_t first, Timestamp t) {
    const double u = rng_.uniform();
    Timestamp local = t + m_.latency_ns_min +
                      static_cast<Timestamp>(
                          static_cast<double>(m_.latency_ns_max - m_.latency_ns_min) * u * u * u);
    // Distinct, increasing local times per symbol keep separate updates apart in the CSV.
    if (local <= last_local_) local = last_local_ + 1;
    last_local_ = local;
    for (std::size_t i = first; i < rows.size(); ++i) {
      rows[i].exch_ts = t;
      rows[i].local_ts = local;
      rows[i].symbol = index_;
    }
  }

  // ---- prices and sizes ----
  Price tick_up(Price p, std::int64_t n = 1) const { return ladder_.add_ticks(p, n); }
  Price tick_down(Price p, std::int64_t n = 1) const { return ladder_.add_ticks(p, -n); }
  bool in_limits(Price p) const { return p >= limits_.down && p <= limits_.up; }
  Price clamp(Price p) const { return std::clamp(p, limits_.down, limits_.up); }
  Price last_price() const { return last_trade_; }
  std::int64_t geometric(double mean) {  // >= 1
    const double p = 1.0 / mean;
    return 1 + static_cast<std::int64_t>(std::log(1.0 - rng_.uniform()) / std::log(1.0 - p));
  }
  Qty level_qty() {
    return std::max<Qty>(
        1, static_cast<Qty>(std::exp(std::log(mean_level_qty_) - 0.3 + 0.8 * rng_.normal())));
  }
  Price bb() const { return bids_.empty() ? Price{0} : Price{bids_.begin()->first}; }
  Price ba() const { return asks_.empty() ? Price{0} : Price{asks_.begin()->first}; }
  double tick_size() const {
    return static_cast<double>(ladder_.tick_at(Price{static_cast<std::int64_t>(fair_)}));
  }

  // ---- rows ----
  static void push(std::vector<Row>& rows, char type, char side, std::int64_t px, Qty qty) {
    Row r;
    r.type = type;
    r.side = side;
    r.price = px;
    r.qty = qty;
    rows.push_back(r);
  }
  void set_bid(std::vector<Row>& rows, Price p, Qty q) {
    q == 0 ? (void)bids_.erase(p.v) : (void)(bids_[p.v] = q);
    push(rows, 'b', 'B', p.v, q);
  }
  void set_ask(std::vector<Row>& rows, Price p, Qty q) {
    q == 0 ? (void)asks_.erase(p.v) : (void)(asks_[p.v] = q);
    push(rows, 'b', 'S', p.v, q);
  }

  /// A fresh book around `centre`: bids at and below it, asks above, max_levels/2 each.
  void build_book(Price centre) {
    bids_.clear();
    asks_.clear();
    centre = clamp(centre);
    const int n = std::max(5, m_.max_levels / 2);
    for (int i = 0; i < n; ++i) {
      const Price b = tick_down(centre, i);
      const Price a = tick_up(centre, i + 1);
      if (b.v > 0 && in_limits(b)) bids_[b.v] = level_qty();
      if (in_limits(a)) asks_[a.v] = level_qty();
    }
  }

  void snapshot(std::vector<Row>& rows) {
    push(rows, 'c', '-', 0, 0);
    for (const auto& [p, q] : bids_) push(rows, 'b', 'B', p, q);
    for (const auto& [p, q] : asks_) push(rows, 'b', 'S', p, q);
  }

  /// Pre-open / pre-close: the trial match as a `simtrade` row (Shioaji's simtrade=True tick;
  /// reference §6: the exchange discloses trial prices in real time; never a trade), then the
  /// disclosed indicative book around the trial-match price.
  void indicative(std::vector<Row>& rows) {
    const double step = sigma_ * std::sqrt(m_.indicative_every_s) * rng_.normal();
    trial_ = clamp(ladder_.round_down(
        Price{std::max<std::int64_t>(1, trial_.v + static_cast<std::int64_t>(step))}));
    if (trial_.v <= 0) trial_ = limits_.down;
    if (simtrade_) push(rows, 's', '-', trial_.v, auction_volume());
    build_book(trial_);
    snapshot(rows);
  }

  Qty auction_volume() { return geometric(mean_level_qty_ * 25); }

  void auction(std::vector<Row>& rows, const Phase&) {
    const Qty volume = auction_volume();
    last_trade_ = trial_;
    fair_ = static_cast<double>(trial_.v);
    push(rows, 't', '-', trial_.v, volume);
  }

  // ---- continuous trading ----
  void arrival(std::vector<Row>& rows, Timestamp t) {
    const double dt = static_cast<double>(t - last_arrival_) / 1e9;
    last_arrival_ = t;
    fair_ += sigma_ * std::sqrt(std::max(dt, 1e-6)) * rng_.normal();
    fair_ =
        std::clamp(fair_, static_cast<double>(limits_.down.v), static_cast<double>(limits_.up.v));

    if (bids_.empty() || asks_.empty()) {
      refill(rows);
      return;
    }
    const double mid = static_cast<double>(bb().v + ba().v) / 2;
    const double lean = (fair_ - mid) / tick_size();  // > 0: the market wants to go up
    const std::int64_t spread = ladder_.ticks_between(bb(), ba());
    const double u = rng_.uniform();
    if (spread > 1 && u < 0.55) {  // someone improves the touch inside the spread
      const bool buy = rng_.uniform() < 1.0 / (1.0 + std::exp(-lean));
      if (buy) {
        set_bid(rows, tick_up(bb()), level_qty());
      } else {
        set_ask(rows, tick_down(ba()), level_qty());
      }
    } else if (u < m_.p_trade + 0.1) {
      trade(rows, rng_.uniform() < 1.0 / (1.0 + std::exp(-1.5 * lean)));
    } else if (u < m_.p_trade + 0.1 + m_.p_cancel) {
      cancel(rows, rng_.uniform() < 0.5);
    } else {
      add(rows, rng_.uniform() < 1.0 / (1.0 + std::exp(-0.5 * lean)));
    }
    refill(rows);
    trim(rows);
  }

  /// A marketable order: prints at the opposite touch and depletes it, sometimes sweeping
  /// several levels.
  void trade(std::vector<Row>& rows, bool buy) {
    Qty want = geometric(mean_trade_qty_);
    const Qty touch_qty = buy ? asks_.begin()->second : bids_.begin()->second;
    if (rng_.uniform() < m_.p_sweep) want = touch_qty + geometric(mean_level_qty_ * 1.5);
    for (int level = 0; level < 4 && want > 0; ++level) {
      if (buy ? asks_.empty() : bids_.empty()) break;
      const Price px{buy ? asks_.begin()->first : bids_.begin()->first};
      const Qty avail = buy ? asks_.begin()->second : bids_.begin()->second;
      const Qty fill = std::min(want, avail);
      push(rows, 't', buy ? 'B' : 'S', px.v, fill);
      last_trade_ = px;
      want -= fill;
      if (buy) {
        set_ask(rows, px, avail - fill);
      } else {
        set_bid(rows, px, avail - fill);
      }
    }
  }

  void cancel(std::vector<Row>& rows, bool bid) {
    auto pick = [&](auto& side) -> std::pair<std::int64_t, Qty> {
      std::int64_t k = geometric(2.5) - 1;
      k = std::min<std::int64_t>(k, static_cast<std::int64_t>(side.size()) - 1);
      auto it = side.begin();
      std::advance(it, k);
      return {it->first, it->second};
    };
    const auto [px, q] = bid ? pick(bids_) : pick(asks_);
    const Qty left = rng_.uniform() < 0.4 ? 0 : rng_.range(0, q - 1);
    if (bid) {
      set_bid(rows, Price{px}, left);
    } else {
      set_ask(rows, Price{px}, left);
    }
  }

  void add(std::vector<Row>& rows, bool bid) {
    const std::int64_t d = std::min<std::int64_t>(geometric(2.2) - 1, 15);
    const Price px = bid ? tick_down(bb(), d) : tick_up(ba(), d);
    if (px.v <= 0 || !in_limits(px)) return;
    if (bid) {
      const auto it = bids_.find(px.v);
      set_bid(rows, px, (it == bids_.end() ? 0 : it->second) + level_qty());
    } else {
      const auto it = asks_.find(px.v);
      set_ask(rows, px, (it == asks_.end() ? 0 : it->second) + level_qty());
    }
  }

  /// Keeps at least 5 levels a side (queues refill behind a depleted touch).
  void refill(std::vector<Row>& rows) {
    if (bids_.empty()) {
      const Price p =
          asks_.empty() ? clamp(last_price().v > 0 ? last_price() : ref_) : tick_down(ba());
      if (p.v > 0 && in_limits(p)) set_bid(rows, p, level_qty());
    }
    if (asks_.empty()) {
      const Price p = tick_up(bb());
      if (in_limits(p)) set_ask(rows, p, level_qty());
    }
    for (int i = 0; i < 10 && !bids_.empty() && bids_.size() < 5; ++i) {
      const Price p = tick_down(Price{std::prev(bids_.end())->first});
      if (p.v <= 0 || !in_limits(p)) break;
      set_bid(rows, p, level_qty());
    }
    for (int i = 0; i < 10 && !asks_.empty() && asks_.size() < 5; ++i) {
      const Price p = tick_up(Price{std::prev(asks_.end())->first});
      if (!in_limits(p)) break;
      set_ask(rows, p, level_qty());
    }
  }

  void trim(std::vector<Row>& rows) {
    while (static_cast<int>(bids_.size()) > m_.max_levels) {
      set_bid(rows, Price{std::prev(bids_.end())->first}, 0);
    }
    while (static_cast<int>(asks_.size()) > m_.max_levels) {
      set_ask(rows, Price{std::prev(asks_.end())->first}, 0);
    }
  }

  std::uint16_t index_;
  ContractSpec spec_;
  TickLadder ladder_;
  ModelParams m_;
  bool simtrade_;
  Rng rng_;
  bool futures_ = true;
  Price ref_;
  PriceLimits limits_;
  double fair_ = 0;
  double sigma_ = 0;
  double rate_ = 1;
  double mean_level_qty_ = 8;
  double mean_trade_qty_ = 2;
  std::map<std::int64_t, Qty, std::greater<>> bids_;
  std::map<std::int64_t, Qty> asks_;
  Price last_trade_{0};
  Price trial_{0};
  std::vector<Phase> phases_;
  std::size_t phase_ = 0;
  bool pending_auction_ = false;
  Timestamp next_ts_ = 0;
  Timestamp next_arrival_ = 0;
  Timestamp next_resync_ = 0;
  Timestamp last_arrival_ = 0;
  Timestamp last_local_ = 0;
  double excitation_ = 0;
};

// ---- DayGenerator ------------------------------------------------------------------------

const char* DayGenerator::kCsvHeader = "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty";

DayGenerator::~DayGenerator() = default;

std::unique_ptr<DayGenerator> DayGenerator::make(const DayGenParams& params, std::string* error) {
  auto fail = [&](std::string msg) {
    if (error != nullptr) *error = std::move(msg);
    return nullptr;
  };
  if (params.symbols.empty()) return fail("no symbols given");
  if (params.symbols.size() > 1000) return fail("at most 1000 symbols");
  if (params.month < 1 || params.month > 12 || params.day < 1 || params.day > 31) {
    return fail("invalid date");
  }
  const Timestamp noon = taipei_to_utc(params.year, params.month, params.day, 12, 0);
  if (taipei_day(noon) != days_from_civil(params.year, params.month, params.day)) {
    return fail("invalid date");
  }
  const int wd = taipei_weekday(noon);
  if (wd == 0 || wd == 6)
    return fail("not a trading day (weekend): sessions open Monday to Friday");
  if (!(params.model.branching >= 0 && params.model.branching < 1)) {
    return fail("Hawkes branching ratio must be in [0, 1)");
  }
  std::unique_ptr<DayGenerator> g(new DayGenerator());
  g->params_ = params;
  bool any = false;
  for (std::size_t i = 0; i < params.symbols.size(); ++i) {
    auto spec = builtin_contract(params.symbols[i]);
    if (!spec)
      return fail("unknown symbol '" + params.symbols[i] + "' (not in the built-in table)");
    if (spec->type != ProductType::kIndexFuture && spec->type != ProductType::kStock &&
        spec->type != ProductType::kEtf) {
      return fail("symbol '" + params.symbols[i] +
                  "': only index futures, stocks and ETFs are generated");
    }
    // Each symbol its own stream: seed and position mixed through splitmix64.
    Rng mix(params.seed ^ (0x9E3779B97F4A7C15ULL * (i + 1)));
    auto m =
        std::make_unique<SymbolModel>(static_cast<std::uint16_t>(i), *spec, params, mix.next());
    if (!m->empty()) {
      any = true;
      g->start_ = g->start_ == 0 ? m->first_ts() : std::min(g->start_, m->first_ts());
      g->end_ = std::max(g->end_, m->last_ts());
    }
    g->models_.push_back(std::move(m));
  }
  if (!any) return fail("no session to generate (stocks have no night session)");
  return g;
}

const ContractSpec& DayGenerator::spec(std::uint16_t symbol) const {
  return models_[symbol]->spec();
}
std::size_t DayGenerator::symbols() const { return models_.size(); }
Price DayGenerator::reference(std::uint16_t symbol) const { return models_[symbol]->reference(); }
PriceLimits DayGenerator::limits(std::uint16_t symbol) const { return models_[symbol]->limits(); }

bool DayGenerator::next_batch(std::vector<Row>& rows) {
  rows.clear();
  if (params_.max_rows > 0 && rows_ >= static_cast<std::uint64_t>(params_.max_rows)) return false;
  // The symbol whose next update comes first (ties: the lower index), a k-way merge. Exchange
  // order and local order agree per symbol; across symbols rows are sorted by local time below.
  std::size_t best = models_.size();
  Timestamp best_t = 0;
  for (std::size_t i = 0; i < models_.size(); ++i) {
    Timestamp t = 0;
    if (models_[i]->peek(&t) && (best == models_.size() || t < best_t)) {
      best = i;
      best_t = t;
    }
  }
  if (best == models_.size()) return false;
  models_[best]->take(rows);
  rows_ += rows.size();
  return true;
}

void DayGenerator::format_row(const Row& r, std::string& out) const {
  char buf[160];
  char px[32];
  char* p = buf;
  p += std::snprintf(p, 48, "%lld,%lld,", static_cast<long long>(r.local_ts),
                     static_cast<long long>(r.exch_ts));
  const std::string& code = models_[r.symbol]->spec().code;
  out.append(buf, static_cast<std::size_t>(p - buf));
  out.append(code);
  switch (r.type) {
    case 'c': out.append(",clear,"); break;
    case 't': out.append(",trade,"); break;
    case 's': out.append(",simtrade,"); break;
    default: out.append(",book,"); break;
  }
  out.push_back(r.side);
  out.push_back(',');
  if (r.type != 'c') {
    const std::size_t n = format_fixed(r.price, models_[r.symbol]->spec().price_scale, px);
    out.append(px, n);
    out.push_back(',');
    out.append(std::to_string(r.qty));
  } else {
    out.push_back(',');
  }
  out.push_back('\n');
}

bool DayGenerator::write_csv(std::FILE* out,
                             const std::function<void(std::uint64_t, Timestamp)>& progress) {
  // Updates are produced in exchange-time order; local time adds a random latency, so a
  // bounded reorder buffer sorts them by local time (ties keep generation order). Latency is
  // at most latency_ns_max, so anything older than the newest exchange time minus that bound
  // can be released.
  struct Pending {
    Timestamp local;
    std::uint64_t order;
    std::vector<Row> rows;
  };
  auto later = [](const Pending& a, const Pending& b) {
    return a.local != b.local ? a.local > b.local : a.order > b.order;
  };
  std::vector<Pending> heap;
  std::string buf;
  buf.reserve(1 << 20);
  buf.append(kCsvHeader);
  buf.push_back('\n');
  std::uint64_t order = 0;
  std::uint64_t written = 0;
  std::uint64_t next_progress = 1 << 18;
  std::vector<Row> rows;
  const Timestamp horizon = params_.model.latency_ns_max + 1;
  auto flush_until = [&](Timestamp limit) -> bool {
    while (!heap.empty() && heap.front().local < limit) {
      std::pop_heap(heap.begin(), heap.end(), later);
      for (const Row& r : heap.back().rows) format_row(r, buf);
      written += heap.back().rows.size();
      heap.pop_back();
      if (buf.size() > (1 << 20) - 4096) {
        if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) return false;
        buf.clear();
      }
    }
    return true;
  };
  while (next_batch(rows)) {
    const Timestamp exch = rows.front().exch_ts;
    heap.push_back(Pending{rows.front().local_ts, order++, rows});
    std::push_heap(heap.begin(), heap.end(), later);
    if (!flush_until(exch - horizon)) return false;
    if (progress && written >= next_progress) {
      progress(written, exch);
      next_progress += 1 << 18;
    }
  }
  if (!flush_until(INT64_MAX)) return false;
  if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) return false;
  if (progress) progress(written, end_);
  return std::fflush(out) == 0;
}

}  // namespace hft::feed::gen
