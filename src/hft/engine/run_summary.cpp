#include "hft/engine/run_summary.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hft/engine/hot_path.hpp"

namespace hft::engine {

namespace {
std::string ntd(std::int64_t money) { return format_money(Money{money}); }
}  // namespace

RunSummary collect_summary(const HotPath& hot, const SymbolTable& symbols,
                           const recorder::Recorder* rec, double seconds) {
  const HotPathMetrics& m = hot.metrics();
  RunSummary s;
  s.seconds = seconds;
  s.events = m.md_events.value();
  for (std::size_t i = 0; i < static_cast<std::size_t>(feed::RejectReason::kCount); ++i) {
    s.feed_rejects += hot.normalizer().rejected(static_cast<feed::RejectReason>(i));
  }
  s.orders = m.orders_sent.value();
  s.cancels = m.cancels_sent.value();
  s.fills = m.fills.value();
  for (std::size_t i = 1; i < static_cast<std::size_t>(risk::RejectReason::kCount); ++i) {
    s.risk_rejects += hot.risk().count(static_cast<risk::RejectReason>(i));
  }
  s.strategy_errors = hot.strategy_error().count;
  s.working_orders = hot.working_orders();
  if (rec != nullptr) {
    s.wal_records = rec->records_written();
    s.wal_bytes = rec->bytes_written();
    s.wal_dropped = rec->dropped();
  }
  s.t2o_p50_ns = m.tick_to_order.quantile(0.5);
  s.t2o_p99_ns = m.tick_to_order.quantile(0.99);
  s.t2o_p999_ns = m.tick_to_order.quantile(0.999);
  s.trading_state = risk::to_string(hot.risk().state());
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    const ContractSpec& spec = symbols.spec(id);
    const execution::Position& p = hot.positions().get(id);
    const Price mark = hot.mark(id);
    s.symbols.push_back(SymbolSummary{spec.code, spec.price_scale, spec.multiplier, p.fills,
                                      p.bought, p.sold, p.qty, mark.v, p.cash.v, p.realized.v,
                                      hot.positions().pnl(id, mark).v, p.fees.v, p.taxes.v,
                                      hot.positions().net_pnl(id, mark).v});
  }
  return s;
}

std::string format_summary(const RunSummary& s, const std::string& title) {
  std::string out;
  out += fmt::format("\n{}\n", title);
  out += fmt::format("  {:<22}{:>14}\n", "events", s.events);
  out += fmt::format("  {:<22}{:>14.0f}\n", "events/s", static_cast<double>(s.events) / s.seconds);
  out += fmt::format("  {:<22}{:>14}\n", "feed rejects", s.feed_rejects);
  out += fmt::format("  {:<22}{:>14}\n", "orders sent", s.orders);
  out += fmt::format("  {:<22}{:>14}\n", "cancels sent", s.cancels);
  out += fmt::format("  {:<22}{:>14}\n", "fills", s.fills);
  out += fmt::format("  {:<22}{:>14}\n", "risk rejects", s.risk_rejects);
  if (s.strategy_errors > 0) {
    out += fmt::format("  {:<22}{:>14}\n", "strategy errors", s.strategy_errors);
  }
  out += fmt::format("  {:<22}{:>14}\n", "working at end", s.working_orders);
  out += fmt::format("  {:<22}{:>14}\n", "tick→order p50 (ns)", s.t2o_p50_ns);
  out += fmt::format("  {:<22}{:>14}\n", "tick→order p99 (ns)", s.t2o_p99_ns);
  out += fmt::format("  {:<22}{:>14}\n", "tick→order p99.9 (ns)", s.t2o_p999_ns);
  out += fmt::format("  {:<22}{:>14}\n", "WAL records", s.wal_records);
  out += fmt::format("  {:<22}{:>14}\n", "WAL bytes", s.wal_bytes);
  out += fmt::format("  {:<22}{:>14}\n", "WAL dropped", s.wal_dropped);
  out += fmt::format("  {:<22}{:>14}\n\n", "trading state", s.trading_state);
  out += fmt::format("  {:<8}{:>8}{:>9}{:>9}{:>9}{:>10}{:>14}{:>14}{:>12}{:>12}{:>14}\n", "symbol",
                     "fills", "bought", "sold", "position", "mark", "realized NTD", "gross NTD",
                     "fees NTD", "taxes NTD", "net NTD");
  SymbolSummary total;
  for (const SymbolSummary& y : s.symbols) {
    out += fmt::format("  {:<8}{:>8}{:>9}{:>9}{:>9}{:>10}{:>14}{:>14}{:>12}{:>12}{:>14}\n", y.code,
                       y.fills, y.bought, y.sold, y.position, format_fixed(y.mark, y.price_scale),
                       ntd(y.realized), ntd(y.pnl), ntd(y.fees), ntd(y.taxes), ntd(y.net_pnl));
    total.pnl += y.pnl;
    total.fees += y.fees;
    total.taxes += y.taxes;
    total.net_pnl += y.net_pnl;
  }
  out += fmt::format("  {:<67}{:>14}{:>12}{:>12}{:>14}\n", "total", ntd(total.pnl), ntd(total.fees),
                     ntd(total.taxes), ntd(total.net_pnl));
  return out;
}

std::string summary_to_json(const RunSummary& s) {
  nlohmann::json j;
  j["seconds"] = s.seconds;
  j["events"] = s.events;
  j["feed_rejects"] = s.feed_rejects;
  j["orders"] = s.orders;
  j["cancels"] = s.cancels;
  j["fills"] = s.fills;
  j["risk_rejects"] = s.risk_rejects;
  j["strategy_errors"] = s.strategy_errors;
  j["working_orders"] = s.working_orders;
  j["wal_records"] = s.wal_records;
  j["wal_bytes"] = s.wal_bytes;
  j["wal_dropped"] = s.wal_dropped;
  j["tick_to_order_ns"] = {{"p50", s.t2o_p50_ns}, {"p99", s.t2o_p99_ns}, {"p999", s.t2o_p999_ns}};
  j["trading_state"] = s.trading_state;
  j["money_scale"] = Money::kScale;
  for (const SymbolSummary& y : s.symbols) {
    j["symbols"].push_back({{"code", y.code},
                            {"price_scale", y.price_scale},
                            {"multiplier", y.multiplier},
                            {"fills", y.fills},
                            {"bought", y.bought},
                            {"sold", y.sold},
                            {"position", y.position},
                            {"mark", y.mark},
                            {"cash", y.cash},
                            {"realized", y.realized},
                            {"pnl", y.pnl},
                            {"fees", y.fees},
                            {"taxes", y.taxes},
                            {"net_pnl", y.net_pnl}});
  }
  return j.dump(2);
}

bool write_text_file(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text << '\n';
  return static_cast<bool>(f);
}

ProgressLine::ProgressLine() : tty_(isatty(STDERR_FILENO) != 0) {}

void ProgressLine::print(double elapsed_s, std::uint64_t events_per_s, const HotPathMetrics& m,
                         std::size_t symbols) const {
  double pos = 0, pnl = 0;
  for (std::size_t i = 0; i < symbols; ++i) {
    pos += m.position[i]->value();
    pnl += m.pnl[i]->value();
  }
  std::fprintf(stderr,
               "%s[%5.1fs] %8llu ev/s  orders %llu  fills %llu  pos %+.0f  pnl %+.0f NTD  t2o p50 "
               "%lld ns p99 %lld ns%s",
               tty_ ? "\r" : "", elapsed_s, static_cast<unsigned long long>(events_per_s),
               static_cast<unsigned long long>(m.orders_sent.value()),
               static_cast<unsigned long long>(m.fills.value()), pos, pnl,
               static_cast<long long>(m.tick_to_order.quantile(0.5)),
               static_cast<long long>(m.tick_to_order.quantile(0.99)), tty_ ? "   " : "\n");
}

void ProgressLine::finish() const {
  if (tty_) std::fprintf(stderr, "\n");
}

}  // namespace hft::engine
