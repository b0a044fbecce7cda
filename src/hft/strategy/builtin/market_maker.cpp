#include "hft/strategy/builtin/market_maker.hpp"

#include <algorithm>
#include <cmath>

namespace hft::strategy {

MarketMakerParams market_maker_params(const Params& p, std::string* error) {
  MarketMakerParams out;
  for (const auto& [key, value] : p) {
    // Checked before the cast: converting NaN, inf or 1e300 to int64 is undefined behaviour.
    const bool whole_number =
        std::isfinite(value) && value == std::floor(value) && value >= 0 && value < 9.0e18;
    const std::int64_t whole = whole_number ? static_cast<std::int64_t>(value) : 0;
    if (key == "quote_qty")
      out.quote_qty = whole;
    else if (key == "edge_ticks")
      out.edge_ticks = whole;
    else if (key == "skew_ticks_per_unit")
      out.skew_ticks_per_unit = whole;
    else if (key == "max_position")
      out.max_position = whole;
    else if (key == "requote_ticks")
      out.requote_ticks = whole;
    else if (key == "reject_backoff_ms")
      out.reject_backoff_ms = whole;
    else if (key == "cover_costs" && (value == 0 || value == 1))
      out.cover_costs = value == 1;
    else if (key == "cover_costs") {
      if (error != nullptr) *error = "market_maker: parameter 'cover_costs' must be 0 or 1";
      continue;
    } else {
      if (error != nullptr) {
        *error =
            "market_maker: unknown parameter '" + key +
            "' (known: quote_qty, edge_ticks, skew_ticks_per_unit, max_position, requote_ticks, "
            "reject_backoff_ms, cover_costs)";
      }
      continue;
    }
    if (!whole_number) {
      if (error != nullptr)
        *error = "market_maker: parameter '" + key + "' must be a whole number >= 0";
    }
  }
  if (out.quote_qty <= 0 && error != nullptr) *error = "market_maker: quote_qty must be >= 1";
  constexpr std::int64_t kDayMs = 86'400'000;
  if (out.reject_backoff_ms > kDayMs) {
    if (error != nullptr) *error = "market_maker: reject_backoff_ms must be <= 86400000 (a day)";
    out.reject_backoff_ms = kDayMs;
  }
  if (out.requote_ticks <= 0) out.requote_ticks = 1;
  return out;
}

std::int64_t MarketMaker::cost_ticks(const Context& ctx, SymbolId symbol,
                                     const lob::BookStats& book) const {
  const Qty q = params_.quote_qty;
  const std::int64_t costs = ctx.fill_cost(symbol, Side::kBuy, book.best_bid, q).v +
                             ctx.fill_cost(symbol, Side::kSell, book.best_ask, q).v;
  if (costs <= 0) return 0;
  // What one tick at the touch is worth for a quote, and what the spread already earns.
  const ContractSpec& spec = ctx.symbols().spec(symbol);
  const Price tick{ctx.symbols().ladder(symbol).next_tick(book.best_bid).v - book.best_bid.v};
  const std::int64_t tick_value = notional(tick, q, spec.price_scale, spec.multiplier).v;
  if (tick_value <= 0) return 0;
  const std::int64_t short_by = costs - std::max<std::int64_t>(book.spread_ticks, 0) * tick_value;
  if (short_by <= 0) return 0;
  return (short_by + 2 * tick_value - 1) / (2 * tick_value);  // each side takes half, rounded up
}

void MarketMaker::on_book(Context& ctx, SymbolId symbol, const lob::BookStats& book) {
  if (!book.valid()) return;
  SymbolQuotes& sq = quotes_[symbol];
  if (params_.cover_costs && ctx.now() >= sq.cost_due) {  // costs move slowly with the price
    sq.cost_ticks = cost_ticks(ctx, symbol, book);
    sq.cost_due = ctx.now() + kCostRefreshNs;
  }
  const TickLadder& ladder = ctx.symbols().ladder(symbol);
  const Qty pos = ctx.position(symbol);
  const std::int64_t skew = pos * params_.skew_ticks_per_unit;
  const std::int64_t edge = params_.edge_ticks + sq.cost_ticks;
  const Price bid = ladder.add_ticks(book.best_bid, -edge - skew);
  const Price ask = ladder.add_ticks(book.best_ask, edge - skew);
  requote(ctx, symbol, Side::kBuy, bid, pos);
  requote(ctx, symbol, Side::kSell, ask, pos);
}

void MarketMaker::requote(Context& ctx, SymbolId symbol, Side side, Price target, Qty position) {
  Quote& q = side == Side::kBuy ? quotes_[symbol].bid : quotes_[symbol].ask;
  const Qty signed_pos = side == Side::kBuy ? position : -position;
  if (q.id != 0) {
    const TickLadder& ladder = ctx.symbols().ladder(symbol);
    const bool moved = std::abs(ladder.ticks_between(q.price, target)) >= params_.requote_ticks;
    const bool within = signed_pos + open_qty(symbol, side) <= params_.max_position;
    if (within && !moved) return;
    ctx.cancel(q.id);  // still counted in open_qty until the cancel is confirmed
    q = Quote{};
  }
  std::vector<Open>& open = open_[symbol];
  const bool room = signed_pos + open_qty(symbol, side) + params_.quote_qty <= params_.max_position;
  if (!room || target.v <= 0 || ctx.now() < q.retry_at || open.size() == kMaxOpen) return;
  const PlaceResult r = ctx.place(symbol, side, target, params_.quote_qty);
  if (r.ok()) {
    q = Quote{r.id, target, 0};
    open.push_back(Open{r.id, side, params_.quote_qty});
  } else {
    q.retry_at = ctx.now() + params_.reject_backoff_ms * 1'000'000;
  }
}

Qty MarketMaker::open_qty(SymbolId symbol, Side side) const {
  Qty sum = 0;
  for (const Open& o : open_[symbol]) {
    if (o.side == side) sum += o.leaves;
  }
  return sum;
}

void MarketMaker::track(const ExecReport& report, bool done) {
  if (report.h.symbol >= open_.size()) return;
  std::vector<Open>& open = open_[report.h.symbol];
  for (std::size_t i = 0; i < open.size(); ++i) {
    if (open[i].id != report.client_id) continue;
    open[i].leaves = done ? 0 : report.leaves;
    if (open[i].leaves <= 0) {
      open[i] = open.back();
      open.pop_back();
    }
    return;
  }
}

bool MarketMaker::forget(const ExecReport& report) {
  if (report.h.symbol >= quotes_.size()) return false;
  SymbolQuotes& sq = quotes_[report.h.symbol];
  const bool quoted = sq.bid.id == report.client_id || sq.ask.id == report.client_id;
  if (sq.bid.id == report.client_id) sq.bid = Quote{};
  if (sq.ask.id == report.client_id) sq.ask = Quote{};
  return quoted;
}

void MarketMaker::on_fill(Context& /*ctx*/, const ExecReport& report) {
  track(report, false);
  if (report.leaves == 0) forget(report);
}

void MarketMaker::on_order_update(Context& /*ctx*/, const ExecReport& report) {
  // A reject of the working quote refuses the order itself; any other reject refuses a cancel
  // (quotes are forgotten when cancelled), and the order is as open as the report says.
  const bool gone = report.exec_type == ExecType::kCancelled ||
                    (report.exec_type == ExecType::kRejected && forget(report));
  if (report.exec_type == ExecType::kCancelled) forget(report);
  track(report, gone);
}

}  // namespace hft::strategy
