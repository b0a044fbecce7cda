// Example strategy built as a shared library: "book pressure".
//
// When the 5-level depth leans to one side by more than `threshold`, it joins the heavy side of
// the touch with one passive ROD order (expecting the price to move away from it), and cancels
// that order `max_wait_ms` later if it has not filled. It flattens any position with an IOC at
// the touch once the pressure is gone. Shows: parameters, timers, custom series, place/cancel,
// positions, and the export macro.
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "hft/strategy/plugin.hpp"

namespace {

using namespace hft;
using namespace hft::strategy;

class BookPressure final : public Strategy {
 public:
  explicit BookPressure(const Params& p) {
    std::string err;
    check_known_params(p, "threshold, qty, max_wait_ms", "book_pressure", &err);
    threshold_ = param_or(p, "threshold", 0.4);
    qty_ = whole_param(p, "qty", 1, 1, 100, "book_pressure", &err);
    max_wait_ns_ = whole_param(p, "max_wait_ms", 500, 1, 60'000, "book_pressure", &err) * 1'000'000;
    if (!(threshold_ > 0 && threshold_ < 1)) err = "book_pressure: threshold must be in (0, 1)";
    if (!err.empty()) throw std::invalid_argument(err);  // the loader reports it
  }

  void on_start(Context& ctx) override {
    working_.assign(ctx.symbols().size(), 0);
    pressure_series_ = ctx.series("pressure");
  }

  void on_book(Context& ctx, SymbolId s, const lob::BookStats& book) override {
    if (!book.valid()) return;
    const double pressure = book.imbalance_l5;
    if (s == 0) ctx.record(pressure_series_, pressure);
    const Qty pos = ctx.position(s);
    if (pos != 0 && std::abs(pressure) < threshold_ / 2) {
      // The pressure is gone: flatten at the touch.
      const Side side = pos > 0 ? Side::kSell : Side::kBuy;
      ctx.place(s, side, side == Side::kSell ? book.best_bid : book.best_ask, pos > 0 ? pos : -pos,
                TimeInForce::kIOC);
      return;
    }
    if (working_[s] != 0 || pos != 0 || std::abs(pressure) < threshold_) return;
    const Side side = pressure > 0 ? Side::kBuy : Side::kSell;
    const PlaceResult r =
        ctx.place(s, side, side == Side::kBuy ? book.best_bid : book.best_ask, qty_);
    if (!r.ok()) return;
    working_[s] = r.id;
    ctx.set_timer(ctx.now() + max_wait_ns_, r.id);  // tag = the order to give up on
  }

  void on_timer(Context& ctx, std::uint64_t tag) override {
    for (ClientOrderId& id : working_) {
      if (id == tag) ctx.cancel(id);
    }
  }

  void on_fill(Context&, const ExecReport& r) override {
    if (r.leaves == 0) forget(r.client_id);
  }
  void on_order_update(Context&, const ExecReport& r) override {
    if (r.exec_type == ExecType::kCancelled || r.exec_type == ExecType::kRejected) {
      forget(r.client_id);
    }
  }

 private:
  void forget(ClientOrderId id) {
    for (ClientOrderId& w : working_) {
      if (w == id) w = 0;
    }
  }

  double threshold_ = 0.4;
  Qty qty_ = 1;
  std::int64_t max_wait_ns_ = 0;
  std::vector<ClientOrderId> working_;
  std::uint32_t pressure_series_ = 0;
};

}  // namespace

HFT_EXPORT_STRATEGY(BookPressure)
