#include "hft/strategy/builtin/imbalance_taker.hpp"

#include <cmath>

namespace hft::strategy {

ImbalanceTakerParams imbalance_taker_params(const Params& p, std::string* error) {
  constexpr const char* kWho = "imbalance_taker";
  check_known_params(p, "threshold, exit_threshold, qty, max_position, cooldown_ms, use_depth",
                     kWho, error);
  ImbalanceTakerParams out;
  out.threshold = param_or(p, "threshold", out.threshold);
  out.exit_threshold = param_or(p, "exit_threshold", out.exit_threshold);
  if (!(out.threshold > 0 && out.threshold <= 1) && error != nullptr) {
    *error = "imbalance_taker: threshold must be in (0, 1]";
  }
  if (!(out.exit_threshold >= 0 && out.exit_threshold <= 1) && error != nullptr) {
    *error = "imbalance_taker: exit_threshold must be in [0, 1]";
  }
  out.qty = whole_param(p, "qty", out.qty, 1, 1'000'000, kWho, error);
  out.max_position = whole_param(p, "max_position", out.max_position, 1, 1'000'000, kWho, error);
  out.cooldown_ms = whole_param(p, "cooldown_ms", out.cooldown_ms, 0, 86'400'000, kWho, error);
  out.use_depth = whole_param(p, "use_depth", 0, 0, 1, kWho, error) == 1;
  return out;
}

void ImbalanceTaker::on_book(Context& ctx, SymbolId symbol, const lob::BookStats& book) {
  SymbolState& st = state_[symbol];
  if (!book.valid() || st.working != 0 || ctx.now() < st.quiet_until) return;
  const double imb = params_.use_depth ? book.imbalance_l5 : book.imbalance_l1;
  const Qty pos = ctx.position(symbol);
  Side side;
  Qty qty = params_.qty;
  if (imb >= params_.threshold && pos + qty <= params_.max_position) {
    side = Side::kBuy;
  } else if (imb <= -params_.threshold && -pos + qty <= params_.max_position) {
    side = Side::kSell;
  } else if (pos > 0 && imb <= -params_.exit_threshold) {
    side = Side::kSell;  // the book turned against a long: get out
    qty = pos < qty ? pos : qty;
  } else if (pos < 0 && imb >= params_.exit_threshold) {
    side = Side::kBuy;
    qty = -pos < qty ? -pos : qty;
  } else {
    return;
  }
  // Cross at the touch only: an IOC never walks into levels the signal did not look at.
  const Price px = side == Side::kBuy ? book.best_ask : book.best_bid;
  const PlaceResult r = ctx.place(symbol, side, px, qty, TimeInForce::kIOC);
  if (r.ok()) st.working = r.id;
}

void ImbalanceTaker::done(Context& ctx, const ExecReport& report) {
  SymbolState& st = state_[report.h.symbol];
  if (st.working != report.client_id) return;
  st.working = 0;
  st.quiet_until = ctx.now() + params_.cooldown_ms * 1'000'000;
}

void ImbalanceTaker::on_fill(Context& ctx, const ExecReport& report) {
  if (report.leaves == 0) done(ctx, report);
}

void ImbalanceTaker::on_order_update(Context& ctx, const ExecReport& report) {
  if (report.exec_type == ExecType::kCancelled || report.exec_type == ExecType::kRejected) {
    done(ctx, report);
  }
}

}  // namespace hft::strategy
