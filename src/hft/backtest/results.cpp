#include "hft/backtest/results.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hft/broker/tw_rules.hpp"

namespace hft::backtest {

namespace {

double ntd(Money m) { return static_cast<double>(m.v) / static_cast<double>(Money::kScale); }

Percentiles percentiles(std::vector<std::int64_t> v) {
  Percentiles p;
  p.count = v.size();
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    const std::size_t i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    return static_cast<double>(v[std::min(i, v.size() - 1)]) / 1000.0;
  };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.max = static_cast<double>(v.back()) / 1000.0;
  return p;
}

nlohmann::json to_json(const Percentiles& p) {
  return {{"p50", p.p50}, {"p90", p.p90}, {"p99", p.p99}, {"max", p.max}, {"count", p.count}};
}

const char* side_str(Side s) { return s == Side::kBuy ? "B" : "S"; }
const char* tif_str(TimeInForce t) {
  switch (t) {
    case TimeInForce::kROD: return "ROD";
    case TimeInForce::kIOC: return "IOC";
    case TimeInForce::kFOK: return "FOK";
  }
  return "?";
}
const char* status_str(const OrderRecord& o) {
  if (o.last == ExecType::kRejected) return "Failed";
  if (o.filled >= o.qty) return "Filled";
  if (o.last == ExecType::kCancelled) return o.filled > 0 ? "PartFilled+Cancelled" : "Cancelled";
  if (o.filled > 0) return "PartFilled";
  if (o.acked) return "Submitted";
  return "PendingSubmit";
}

bool make_dirs(const std::string& dir) {
  std::string cur;
  for (std::size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      if (!cur.empty()) ::mkdir(cur.c_str(), 0755);
    }
    if (i < dir.size()) cur += dir[i];
  }
  struct stat st {};
  return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string px(const Backtest& bt, SymbolId s, Price p) {
  return format_fixed(p.v, bt.symbols().spec(s).price_scale);
}

}  // namespace

Summary summarize(const Backtest& bt, const BacktestConfig& /*config*/) {
  Summary s;
  s.gross_pnl = ntd(bt.gross_pnl());
  s.commissions = ntd(bt.commissions());
  s.taxes = ntd(bt.taxes());
  s.net_pnl = s.gross_pnl - s.commissions - s.taxes;
  const broker::VenueStats& v = bt.venue_stats();
  s.fills = bt.fills().size();
  s.maker_fills = v.maker_fills;
  s.taker_fills = v.taker_fills;
  s.orders = bt.orders().size();
  s.cancels = bt.cancels_sent();
  s.replaces = bt.replaces_sent();
  s.avg_queue_wait_ms = v.queue_waits == 0 ? 0
                                           : static_cast<double>(v.queue_wait_ns) /
                                                 static_cast<double>(v.queue_waits) / 1e6;
  Qty reached = 0, filled = 0;
  std::vector<std::int64_t> entry, round_trip;
  for (const OrderRecord& o : bt.orders()) {
    if (o.last == ExecType::kRejected) ++s.rejects;
    if (o.arrived_ts != 0) {
      entry.push_back(o.arrived_ts - o.sent_ts);
      round_trip.push_back(o.ack_ts - o.sent_ts);
      if (o.last != ExecType::kRejected) reached += o.qty;
    }
    filled += o.filled;
  }
  s.fill_ratio = reached > 0 ? static_cast<double>(filled) / static_cast<double>(reached) : 0;
  s.entry_latency_us = percentiles(std::move(entry));
  s.round_trip_us = percentiles(std::move(round_trip));
  Money turnover{0};
  for (const FillRecord& f : bt.fills()) {
    const ContractSpec& spec = bt.symbols().spec(f.symbol);
    turnover += notional(f.price, f.qty, spec.price_scale, spec.multiplier);
    (f.side == Side::kBuy ? s.bought : s.sold) += f.qty;
  }
  s.turnover = ntd(turnover);
  // Ratios from net PnL changes between regular sample buckets (accumulated during the run).
  const RiskAccumulator& r = bt.risk();
  s.max_drawdown = r.max_drawdown;
  s.returns = r.n;
  if (r.n >= 2) {
    const double n = static_cast<double>(r.n);
    const double sd = std::sqrt(r.m2 / (n - 1));
    const double dsd = std::sqrt(r.down2 / n);
    const double per_day = n / static_cast<double>(std::max<std::uint64_t>(1, r.days));
    s.periods_per_year = per_day * 252.0;
    const double ann = std::sqrt(s.periods_per_year);
    s.sharpe = sd > 0 ? r.mean / sd * ann : 0;
    s.sortino = dsd > 0 ? r.mean / dsd * ann : 0;
  }
  return s;
}

std::string chartjs_path() {
  const char* env = std::getenv("HFT_CHARTJS");
  if (env != nullptr && *env != '\0') return env;
  return "/usr/share/javascript/chart.js/chart.min.js";
}

std::string write_results(const Backtest& bt, const BacktestConfig& config, const RunInfo& info,
                          const std::string& dir) {
  if (!make_dirs(dir)) return dir + ": cannot create the output directory";
  const Summary s = summarize(bt, config);
  const broker::VenueStats& v = bt.venue_stats();
  nlohmann::json j;
  j["pnl"] = {{"gross", s.gross_pnl}, {"commissions", s.commissions},
              {"taxes", s.taxes},     {"fees_total", s.commissions + s.taxes},
              {"net", s.net_pnl},     {"currency", "NTD"}};
  j["risk"] = {{"sharpe", s.sharpe},
               {"sortino", s.sortino},
               {"max_drawdown", s.max_drawdown},
               {"sample_interval_s", static_cast<double>(config.sample_ns) / 1e9},
               {"return_samples", s.returns},
               {"periods_per_year", s.periods_per_year}};
  j["trading"] = {{"orders", s.orders},
                  {"fills", s.fills},
                  {"maker_fills", s.maker_fills},
                  {"taker_fills", s.taker_fills},
                  {"auction_fills", v.auction_fills},
                  {"cancels", s.cancels},
                  {"replaces", s.replaces},
                  {"rejects", s.rejects},
                  {"bought", s.bought},
                  {"sold", s.sold},
                  {"turnover", s.turnover},
                  {"fill_ratio", s.fill_ratio},
                  {"avg_queue_wait_ms", s.avg_queue_wait_ms},
                  {"queue_waits", v.queue_waits}};
  j["latency_us"] = {{"entry", to_json(s.entry_latency_us)},
                     {"round_trip", to_json(s.round_trip_us)}};
  nlohmann::json pos = nlohmann::json::object();
  for (SymbolId id = 0; id < bt.symbols().size(); ++id) {
    const execution::Position& p = bt.positions().get(id);
    pos[bt.symbols().spec(id).code] = {{"position", p.qty},
                                       {"bought", p.bought},
                                       {"sold", p.sold},
                                       {"pnl", ntd(bt.positions().pnl(id, bt.mark(id)))}};
  }
  j["symbols"] = pos;
  j["run"] = {{"data", info.data},
              {"strategy", info.strategy},
              {"queue_model", info.queue_model},
              {"latency_model", info.latency_model},
              {"seed", config.seed},
              {"records", bt.records()},
              {"first_ts_ns", bt.first_ts()},
              {"last_ts_ns", bt.last_ts()},
              {"params", config.params}};
  {
    std::ofstream f(dir + "/stats.json");
    f << j.dump(2) << "\n";
    if (!f) return dir + "/stats.json: write failed";
  }
  {
    std::ofstream f(dir + "/orders.csv");
    f << "id,symbol,side,type,tif,price,qty,sent_ts_ns,venue_ts_ns,ack_ts_ns,done_ts_ns,status,"
         "filled,avg_fill_price,cancels,replaces,reject_reason,op_code\n";
    for (const OrderRecord& o : bt.orders()) {
      const ContractSpec& spec = bt.symbols().spec(o.symbol);
      std::string avg;
      if (o.filled > 0) {
        // fill notional / (filled * multiplier) in price units, exact to the price scale.
        const Int128 num = static_cast<Int128>(o.fill_notional.v) * spec.price_scale;
        const Int128 den = static_cast<Int128>(o.filled) * spec.multiplier * Money::kScale;
        avg = format_fixed(static_cast<std::int64_t>(num / den), spec.price_scale);
      }
      const auto why = static_cast<broker::VenueReject>(o.reject_reason);
      f << o.id << ',' << spec.code << ',' << side_str(o.side) << ','
        << (o.type == OrderType::kMarket ? "MKT" : "LMT") << ',' << tif_str(o.tif) << ','
        << (o.type == OrderType::kMarket ? "" : px(bt, o.symbol, o.price)) << ',' << o.qty << ','
        << o.sent_ts << ',' << o.arrived_ts << ',' << o.ack_ts << ',' << o.done_ts << ','
        << status_str(o) << ',' << o.filled << ',' << avg << ',' << o.cancels << ',' << o.replaces
        << ',' << (o.reject_reason != 0 ? broker::to_string(why) : "") << ','
        << (o.reject_reason != 0 ? broker::broker_rejection(why).op_code : "") << '\n';
    }
    if (!f) return dir + "/orders.csv: write failed";
  }
  {
    std::ofstream f(dir + "/fills.csv");
    f << "local_ts_ns,exch_ts_ns,order_id,symbol,side,price,qty,liquidity,commission,tax,"
         "position_after\n";
    for (const FillRecord& x : bt.fills()) {
      f << x.local_ts << ',' << x.exch_ts << ',' << x.id << ',' << bt.symbols().spec(x.symbol).code
        << ',' << side_str(x.side) << ',' << px(bt, x.symbol, x.price) << ',' << x.qty << ','
        << (x.maker ? "maker" : "taker") << ',' << format_money(x.commission) << ','
        << format_money(x.tax) << ',' << x.position_after << '\n';
    }
    if (!f) return dir + "/fills.csv: write failed";
  }
  {
    std::ofstream f(dir + "/equity.csv");
    f << "ts_ns,gross,costs,net,position,mark\n";
    for (const Sample& x : bt.samples()) {
      f << x.ts << ',' << format_money(x.gross) << ',' << format_money(x.costs) << ','
        << format_money(x.gross - x.costs) << ',' << x.position << ','
        << (bt.symbols().size() > 0 ? px(bt, 0, x.mark) : "") << '\n';
    }
    if (!f) return dir + "/equity.csv: write failed";
  }
  if (!bt.custom().empty()) {
    std::ofstream f(dir + "/custom.csv");
    f << "series,ts_ns,value\n";
    char buf[64];
    for (const CustomSeries& c : bt.custom()) {
      for (const auto& [ts, value] : c.points) {
        std::snprintf(buf, sizeof buf, "%.17g", value);
        f << c.name << ',' << ts << ',' << buf << '\n';
      }
    }
  }
  return write_html_report(bt, s, info, dir + "/report.html");
}

}  // namespace hft::backtest
