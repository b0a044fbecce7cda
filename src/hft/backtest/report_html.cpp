// The HTML report: one file, Chart.js (libjs-chart.js, MIT licence) inlined so it opens
// offline, the run's data inlined as JSON. Four charts: equity (net and gross), drawdown,
// position, and the chart symbol's price with our buys and sells. When every chart has drawn,
// the page writes `<div id="charts-ready">N</div>` so a headless browser can check it.
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hft/backtest/results.hpp"
#include "hft/report/html_page.hpp"

namespace hft::backtest {

namespace {

using report::escape_html;
using report::fill;
using report::html_page;
using report::script_safe;

constexpr std::size_t kMaxPoints = 4000;  // per series: keeps the page light in any browser

double ntd(Money m) { return static_cast<double>(m.v) / static_cast<double>(Money::kScale); }
double ms(Timestamp t) { return static_cast<double>(t / 1'000'000); }

constexpr const char* kCss =
    R"CSS(body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:20px;margin:0 0 4px} .sub{color:#666;font-size:13px;margin-bottom:16px}
table.kv{border-collapse:collapse;font-size:13px;margin-bottom:18px}
table.kv td{padding:3px 12px 3px 0} table.kv td.v{font-variant-numeric:tabular-nums;text-align:right}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:18px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px}
.card h2{font-size:14px;margin:0 0 8px} canvas{width:100%;height:260px} #charts-ready{display:none}
)CSS";

constexpr const char* kBody = R"HTML(<h1>Backtest report</h1><div class="sub">@TITLE@</div>
<table class="kv">@SUMMARY@</table>
<div class="grid">
<div class="card"><h2>Equity (NTD)</h2><canvas id="equity"></canvas></div>
<div class="card"><h2>Drawdown (NTD)</h2><canvas id="drawdown"></canvas></div>
<div class="card"><h2>Position (@SYMBOL@)</h2><canvas id="position"></canvas></div>
<div class="card"><h2>Price and fills (@SYMBOL@)</h2><canvas id="price"></canvas></div>
</div>
<script>/* Chart.js — MIT licence, https://www.chartjs.org (Debian libjs-chart.js) */
@CHARTJS@
</script>
<script>
const D = @DATA@;
const fmt = ms => { const d = new Date(ms + 8 * 3600e3); return d.toISOString().substr(11, 8); };
const xAxis = { type: 'linear', ticks: { callback: v => fmt(v), maxTicksLimit: 8 } };
const base = (extra) => Object.assign({ animation: false, responsive: true, parsing: false,
  normalized: true, plugins: { legend: { display: true } }, scales: { x: xAxis } }, extra || {});
const xy = (t, v) => t.map((x, i) => ({ x: x, y: v[i] }));
let ready = 0;
const done = () => { ready++; if (ready === 4) { const e = document.createElement('div');
  e.id = 'charts-ready'; e.textContent = String(ready); document.body.appendChild(e); } };
const mk = (id, cfg) => { cfg.options.animation = false; cfg.plugins = [{ id: 'ready', afterRender: (c) => { if (!c.$ready) { c.$ready = true; done(); } } }];
  return new Chart(document.getElementById(id), cfg); };
mk('equity', { type: 'line', data: { datasets: [
  { label: 'net', data: xy(D.t, D.net), borderColor: '#1f77b4', pointRadius: 0, borderWidth: 1.5 },
  { label: 'gross', data: xy(D.t, D.gross), borderColor: '#aaa', pointRadius: 0, borderWidth: 1 } ] },
  options: base() });
mk('drawdown', { type: 'line', data: { datasets: [
  { label: 'drawdown', data: xy(D.t, D.dd), borderColor: '#d62728', backgroundColor: 'rgba(214,39,40,.15)', fill: true, pointRadius: 0, borderWidth: 1 } ] },
  options: base() });
mk('position', { type: 'line', data: { datasets: [
  { label: 'position', data: xy(D.t, D.pos), borderColor: '#2ca02c', stepped: true, pointRadius: 0, borderWidth: 1.5 } ] },
  options: base() });
mk('price', { type: 'line', data: { datasets: [
  { label: 'mark', data: xy(D.t, D.mark), borderColor: '#555', pointRadius: 0, borderWidth: 1 },
  { type: 'scatter', label: 'buy fills', data: xy(D.bt, D.bp), backgroundColor: '#2ca02c', pointStyle: 'triangle', pointRadius: 5 },
  { type: 'scatter', label: 'sell fills', data: xy(D.st, D.sp), backgroundColor: '#d62728', pointStyle: 'triangle', rotation: 180, pointRadius: 5 } ] },
  options: base() });
</script>
)HTML";

}  // namespace

std::string write_html_report(const Backtest& bt, const Summary& s, const RunInfo& info,
                              const std::string& path) {
  const std::string lib = chartjs_path();
  std::ifstream js(lib, std::ios::binary);
  if (!js) {
    return lib +
           ": Chart.js not found (install libjs-chart.js: scripts/setup.sh, or set "
           "HFT_CHARTJS to a chart.min.js)";
  }
  std::stringstream chart;
  chart << js.rdbuf();
  const double scale =
      bt.symbols().size() > 0 ? static_cast<double>(bt.symbols().spec(0).price_scale) : 1.0;
  nlohmann::json d;
  std::vector<double> t, net, gross, dd, pos, mark;
  const auto& smp = bt.samples();
  const std::size_t stride = std::max<std::size_t>(1, (smp.size() + kMaxPoints - 1) / kMaxPoints);
  double peak = 0;
  double worst = 0;  // deepest drawdown inside the current stride (kept so spikes survive)
  for (std::size_t i = 0; i < smp.size(); ++i) {
    const double n = ntd(smp[i].gross - smp[i].costs);
    peak = std::max(peak, n);
    worst = std::max(worst, peak - n);
    if (i % stride != 0 && i + 1 != smp.size()) continue;
    t.push_back(ms(smp[i].ts));
    net.push_back(n);
    gross.push_back(ntd(smp[i].gross));
    dd.push_back(-worst);
    worst = 0;
    pos.push_back(static_cast<double>(smp[i].position));
    mark.push_back(static_cast<double>(smp[i].mark.v) / scale);
  }
  std::vector<double> bt_, bp, st, sp;
  const auto& fills = bt.fills();
  const std::size_t fstride =
      std::max<std::size_t>(1, (fills.size() + kMaxPoints - 1) / kMaxPoints);
  for (std::size_t i = 0; i < fills.size(); i += fstride) {
    const FillRecord& f = fills[i];
    if (f.symbol != 0) continue;
    (f.side == Side::kBuy ? bt_ : st).push_back(ms(f.local_ts));
    (f.side == Side::kBuy ? bp : sp).push_back(static_cast<double>(f.price.v) / scale);
  }
  d["t"] = t;
  d["net"] = net;
  d["gross"] = gross;
  d["dd"] = dd;
  d["pos"] = pos;
  d["mark"] = mark;
  d["bt"] = bt_;
  d["bp"] = bp;
  d["st"] = st;
  d["sp"] = sp;
  std::ostringstream kv;
  auto row = [&](const char* k, const std::string& v) {
    kv << "<tr><td>" << k << "</td><td class=\"v\">" << escape_html(v) << "</td></tr>";
  };
  char buf[64];
  auto num = [&](double v, const char* f = "%.2f") {
    std::snprintf(buf, sizeof buf, f, v);
    return std::string(buf);
  };
  row("net PnL (NTD)", num(s.net_pnl));
  row("gross PnL (NTD)", num(s.gross_pnl));
  row("commissions / taxes (NTD)", num(s.commissions) + " / " + num(s.taxes));
  row("Sharpe / Sortino (annualised)", num(s.sharpe, "%.3f") + " / " + num(s.sortino, "%.3f"));
  row("max drawdown (NTD)", num(s.max_drawdown));
  row("orders / fills / cancels / rejects",
      std::to_string(s.orders) + " / " + std::to_string(s.fills) + " / " +
          std::to_string(s.cancels) + " / " + std::to_string(s.rejects));
  row("fill ratio", num(s.fill_ratio, "%.4f"));
  row("turnover (NTD)", num(s.turnover, "%.0f"));
  row("avg queue wait (ms)", num(s.avg_queue_wait_ms, "%.3f"));
  row("round trip p50 / p99 (µs)",
      num(s.round_trip_us.p50, "%.1f") + " / " + num(s.round_trip_us.p99, "%.1f"));
  row("records", std::to_string(bt.records()));
  const std::string title = info.strategy + " on " + info.data;
  std::string page = html_page("hft backtest — " + title, kCss, kBody);
  const std::string symbol = bt.symbols().size() > 0 ? bt.symbols().spec(0).code : "-";
  fill(page, "@TITLE@", escape_html(title));
  fill(page, "@SYMBOL@", escape_html(symbol));
  fill(page, "@SUMMARY@", kv.str());
  fill(page, "@DATA@", script_safe(d.dump()));
  // Last: the library text itself may contain '@' sequences.
  const std::size_t at = page.find("@CHARTJS@");
  page.replace(at, 9, script_safe(chart.str()));
  std::ofstream out(path, std::ios::binary);
  out << page;
  if (!out) return path + ": write failed";
  return "";
}

}  // namespace hft::backtest
