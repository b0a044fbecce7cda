#include "hft/strategy/builtin/twap.hpp"

#include <algorithm>

namespace hft::strategy {

TwapParams twap_params(const Params& p, std::size_t symbol_count, std::string* error) {
  constexpr const char* kWho = "twap";
  check_known_params(p, "symbol, side, total_qty, duration_s, slices, aggression_ticks", kWho,
                     error);
  TwapParams out;
  const std::int64_t max_symbol =
      symbol_count == 0 ? 0 : static_cast<std::int64_t>(symbol_count) - 1;
  out.symbol = static_cast<SymbolId>(whole_param(p, "symbol", 0, 0, max_symbol, kWho, error));
  const double side = param_or(p, "side", 1);
  if (side != 1 && side != -1 && error != nullptr)
    *error = "twap: side must be 1 (buy) or -1 (sell)";
  out.side = side < 0 ? Side::kSell : Side::kBuy;
  out.total_qty = whole_param(p, "total_qty", out.total_qty, 1, 1'000'000'000, kWho, error);
  out.duration_s = whole_param(p, "duration_s", out.duration_s, 1, 7 * 86'400, kWho, error);
  out.slices = whole_param(p, "slices", out.slices, 1, 100'000, kWho, error);
  out.aggression_ticks = whole_param(p, "aggression_ticks", 0, 0, 1000, kWho, error);
  return out;
}

Qty Twap::target(std::int64_t slice) const {
  if (slice >= params_.slices) return params_.total_qty;
  return static_cast<Qty>(static_cast<Int128>(params_.total_qty) * slice / params_.slices);
}

void Twap::on_book(Context& ctx, SymbolId symbol, const lob::BookStats& book) {
  if (symbol != params_.symbol || !book.valid()) return;
  if (start_ == 0) {
    start_ = ctx.now();
    const std::int64_t step = params_.duration_s * kNsPerSec / params_.slices;
    // Slice k (1-based) is due at start + (k - 1) * step: the first one at once.
    timers_ = true;
    for (std::int64_t k = 2; k <= params_.slices && timers_; ++k) {
      timers_ = ctx.set_timer(start_ + (k - 1) * step, static_cast<std::uint64_t>(k));
    }
    act(ctx, 1);
    return;
  }
  if (!timers_) {
    // No timers in this engine: the clock on each book decides the slice.
    const std::int64_t step = params_.duration_s * kNsPerSec / params_.slices;
    const std::int64_t slice =
        std::min<std::int64_t>((ctx.now() - start_) / step + 1, params_.slices);
    if (slice > slice_done_) act(ctx, slice);
  }
}

void Twap::on_timer(Context& ctx, std::uint64_t tag) { act(ctx, static_cast<std::int64_t>(tag)); }

void Twap::act(Context& ctx, std::int64_t slice) {
  if (slice > slice_done_) slice_done_ = slice;
  if (working_ != 0) return;
  const Qty want = target(slice_done_) - executed_;
  if (want <= 0) return;
  const lob::BookStats& book = ctx.book(params_.symbol);
  if (!book.valid()) return;
  const TickLadder& ladder = ctx.symbols().ladder(params_.symbol);
  const bool buy = params_.side == Side::kBuy;
  const Price touch = buy ? book.best_ask : book.best_bid;
  const Price px =
      ladder.add_ticks(touch, buy ? params_.aggression_ticks : -params_.aggression_ticks);
  const PlaceResult r = ctx.place(params_.symbol, params_.side, px, want, TimeInForce::kIOC);
  if (r.ok()) working_ = r.id;
}

void Twap::on_fill(Context& /*ctx*/, const ExecReport& report) {
  if (report.client_id != working_) return;
  executed_ += report.qty;
  if (report.leaves == 0) working_ = 0;
}

void Twap::on_order_update(Context& /*ctx*/, const ExecReport& report) {
  if (report.client_id != working_) return;
  if (report.exec_type == ExecType::kCancelled || report.exec_type == ExecType::kRejected) {
    working_ = 0;
  }
}

}  // namespace hft::strategy
