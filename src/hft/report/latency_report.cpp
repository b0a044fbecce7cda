#include "hft/report/latency_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string_view>

#include "hft/events/events.hpp"
#include "hft/recorder/clickhouse/http_client.hpp"
#include "hft/report/html_page.hpp"

namespace hft::report {

namespace {

constexpr std::int64_t kNsPerSec = 1'000'000'000;
constexpr std::int64_t kTaiwanOffsetS = 8 * 3600;  // UTC+8, no DST
constexpr std::int64_t kDayS = 86'400;

bool is_market_data(EventType t) {
  return t == EventType::kBookSnapshot || t == EventType::kTrade || t == EventType::kBookLevel ||
         t == EventType::kBookClear;
}

std::int64_t taiwan_second_of_day(std::int64_t utc_ns) {
  const std::int64_t s = utc_ns / kNsPerSec + kTaiwanOffsetS;
  return ((s % kDayS) + kDayS) % kDayS;
}

std::string hms(std::int64_t second_of_day) {
  return fmt::format("{:02d}:{:02d}:{:02d}", second_of_day / 3600, second_of_day / 60 % 60,
                     second_of_day % 60);
}

std::string utc_text(std::int64_t ns) {
  if (ns == 0) return "-";
  const std::time_t secs = static_cast<std::time_t>(ns / kNsPerSec);
  std::tm t{};
  gmtime_r(&secs, &t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &t);
  return std::string(buf) + " UTC";
}

std::string class_label(std::size_t row) {
  auto unit = [](std::int64_t ns) {
    if (ns < 1'000) return fmt::format("{} ns", ns);
    if (ns < 1'000'000) return fmt::format("{} us", ns / 1'000);
    if (ns < kNsPerSec) return fmt::format("{} ms", ns / 1'000'000);
    return fmt::format("{} s", ns / kNsPerSec);
  };
  if (row == 0) return "< " + unit(kLatencyEdgesNs[0]);
  if (row >= kLatencyEdgesNs.size()) return ">= " + unit(kLatencyEdgesNs.back());
  return unit(kLatencyEdgesNs[row - 1]);
}

std::string latency_text(std::int64_t ns) {
  if (ns < 1'000) return fmt::format("{} ns", ns);
  if (ns < 1'000'000) return fmt::format("{:.3g} us", static_cast<double>(ns) / 1e3);
  if (ns < kNsPerSec) return fmt::format("{:.3g} ms", static_cast<double>(ns) / 1e6);
  return fmt::format("{:.3g} s", static_cast<double>(ns) / 1e9);
}

/// Heatmap columns: the smallest "nice" bin width that keeps the chart to <= 120 columns.
std::int64_t bin_width_s(std::int64_t span_s) {
  for (std::int64_t w : {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600}) {
    if (span_s / w < 120) return w;
  }
  return 3600;
}

std::string percentile_cells(const obs::Histogram& h) {
  if (h.count() == 0) return "<td>-</td><td>-</td><td>-</td><td>-</td><td>-</td>";
  std::string out;
  for (double q : {0.5, 0.9, 0.99, 0.999, 1.0}) {
    out += "<td>" + latency_text(h.quantile(q)) + "</td>";
  }
  return out;
}

}  // namespace

std::size_t latency_class(std::int64_t ns) {
  return static_cast<std::size_t>(
      std::upper_bound(kLatencyEdgesNs.begin(), kLatencyEdgesNs.end(), ns) -
      kLatencyEdgesNs.begin());
}

SymbolLatency& LatencyData::symbol(std::uint32_t id) {
  for (auto& s : symbols) {
    if (s->id == id) return *s;
  }
  auto s = std::make_unique<SymbolLatency>();
  s->id = id;
  s->name = id < names.size() ? names[id] : fmt::format("#{}", id);
  symbols.push_back(std::move(s));
  return *symbols.back();
}

void LatencyData::add(const recorder::WalRecord& rec) {
  ++records;
  const EventHeader h = rec.header();
  if (is_market_data(rec.type)) {
    add_market_data(h.symbol, h.local_ts, h.exch_ts);
    return;
  }
  if (rec.type != EventType::kOrder) return;
  OrderEvent o{};
  if (!rec.as(o) || o.action != OrderAction::kNew) return;
  add_new_order(h.symbol, h.local_ts);
}

void LatencyData::add_market_data(std::uint32_t id, std::int64_t local_ts, std::int64_t exch_ts) {
  ++md_records;
  SymbolLatency& s = symbol(id);
  ++s.md_records;
  const std::int64_t lat = local_ts - exch_ts;
  if (lat < 0) ++s.feed_negative;
  s.feed.record(lat);
  s.feed_by_second[taiwan_second_of_day(local_ts)][latency_class(lat)] += 1;
  s.last_md_local_ts = local_ts;
  if (first_local_ts == 0 || local_ts < first_local_ts) first_local_ts = local_ts;
  last_local_ts = std::max(last_local_ts, local_ts);
}

void LatencyData::add_new_order(std::uint32_t id, std::int64_t local_ts) {
  ++orders;
  SymbolLatency& s = symbol(id);
  if (s.last_md_local_ts == 0) {
    ++orders_without_tick;
    return;
  }
  const std::int64_t t2o = local_ts - s.last_md_local_ts;
  s.tick_to_order.record(t2o);
  s.t2o_classes[latency_class(t2o)] += 1;
}

namespace {
void sort_symbols(LatencyData& data) {
  std::sort(data.symbols.begin(), data.symbols.end(),
            [](const auto& a, const auto& b) { return a->id < b->id; });
}

/// Splits ClickHouse TabSeparated text into rows of fields (the report's columns are numbers
/// and symbol codes: no escapes to undo).
std::vector<std::vector<std::string_view>> tsv_rows(std::string_view body) {
  std::vector<std::vector<std::string_view>> rows;
  while (!body.empty()) {
    const std::size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view{} : body.substr(nl + 1);
    auto& row = rows.emplace_back();
    for (std::size_t tab; (tab = line.find('\t')) != std::string_view::npos;) {
      row.push_back(line.substr(0, tab));
      line = line.substr(tab + 1);
    }
    row.push_back(line);
  }
  return rows;
}

bool to_int(std::string_view s, std::int64_t& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}
}  // namespace

std::string collect_latency(const std::string& dir, LatencyData& data) {
  recorder::WalReader reader(dir);
  if (std::string err = reader.open(); !err.empty()) return err;
  data.source = "WAL " + dir;
  for (recorder::WalRecord rec; reader.next(rec);) data.add(rec);
  for (const auto& issue : reader.issues()) data.issues.push_back(issue.to_string());
  sort_symbols(data);
  return "";
}

std::string collect_latency_clickhouse(const std::string& url, const std::string& database,
                                       LatencyData& data, std::size_t page_rows) {
  recorder::clickhouse::HttpClient http(url);
  const std::string where = "ClickHouse " + url + " database " + database;
  const std::string& db = database;
  auto failed = [&](const recorder::clickhouse::HttpResult& r) {
    return "cannot read " + where + ": " + r.describe();
  };
  // Symbol codes by id, from the rows themselves.
  const auto names =
      http.query("SELECT DISTINCT symbol_id, symbol FROM " + db +
                 ".market_data UNION ALL SELECT DISTINCT symbol_id, symbol FROM " + db + ".orders");
  if (!names.ok()) return failed(names);
  for (const auto& row : tsv_rows(names.body)) {
    std::int64_t id = 0;
    if (row.size() != 2 || !to_int(row[0], id) || id < 0 || id > 65535) continue;
    if (data.names.size() <= static_cast<std::size_t>(id)) data.names.resize(id + 1);
    data.names[id] = std::string(row[1]);
  }
  for (std::size_t id = 0; id < data.names.size(); ++id) {
    if (data.names[id].empty()) data.names[id] = fmt::format("#{}", id);
  }
  data.source = where;
  // Market data and new orders merged in WAL order (seq), a page at a time so a long session
  // never has to fit in one answer.
  std::int64_t after = -1;
  for (;;) {
    const auto page = http.query(
        fmt::format("SELECT seq, kind, symbol_id, local_ts, exch_ts FROM ("
                    "SELECT seq, 0 AS kind, symbol_id, local_ts, exch_ts FROM {0}.market_data "
                    "WHERE seq > {1} UNION ALL "
                    "SELECT seq, 1 AS kind, symbol_id, local_ts, exch_ts FROM {0}.orders "
                    "WHERE seq > {1} AND action = 'new') ORDER BY seq LIMIT {2}",
                    db, after, page_rows));
    if (!page.ok()) return failed(page);
    std::size_t n = 0;
    for (const auto& row : tsv_rows(page.body)) {
      std::int64_t v[5];
      bool ok = row.size() == 5;
      for (std::size_t i = 0; ok && i < 5; ++i) ok = to_int(row[i], v[i]);
      if (!ok) return "unexpected row from " + where + ": " + std::string(row.front());
      ++n;
      ++data.records;
      after = v[0];
      const auto id = static_cast<std::uint32_t>(v[2]);
      if (v[1] == 0) {
        data.add_market_data(id, v[3], v[4]);
      } else {
        data.add_new_order(id, v[3]);
      }
    }
    if (n < page_rows) break;
  }
  sort_symbols(data);
  return "";
}

std::string render_latency_html(const LatencyData& data, const std::string& generated_utc) {
  using Json = nlohmann::json;
  // Chart data for the script: one entry per symbol.
  Json charts = Json::array();
  std::int64_t lo_s = kDayS, hi_s = 0;
  for (const auto& s : data.symbols) {
    if (!s->feed_by_second.empty()) {
      lo_s = std::min(lo_s, s->feed_by_second.begin()->first);
      hi_s = std::max(hi_s, s->feed_by_second.rbegin()->first);
    }
  }
  const std::int64_t width = lo_s <= hi_s ? bin_width_s(hi_s - lo_s + 1) : 1;
  const std::int64_t first_bin = lo_s <= hi_s ? lo_s / width * width : 0;
  const std::int64_t columns = lo_s <= hi_s ? (hi_s - first_bin) / width + 1 : 0;
  Json row_labels = Json::array();
  for (std::size_t r = 0; r < kLatencyClasses; ++r) row_labels.push_back(class_label(r));
  Json col_labels = Json::array();
  for (std::int64_t c = 0; c < columns; ++c) col_labels.push_back(hms(first_bin + c * width));
  for (const auto& s : data.symbols) {
    // Sparse cells [column, row, count] keep the page small for long sessions.
    std::map<std::pair<std::int64_t, std::size_t>, std::uint64_t> cells;
    for (const auto& [sec, counts] : s->feed_by_second) {
      for (std::size_t r = 0; r < kLatencyClasses; ++r) {
        if (counts[r] != 0) cells[{(sec - first_bin) / width, r}] += counts[r];
      }
    }
    Json heat = Json::array();
    for (const auto& [cr, n] : cells) heat.push_back({cr.first, cr.second, n});
    Json t2o = Json::array();
    for (std::uint64_t n : s->t2o_classes) t2o.push_back(n);
    charts.push_back({{"symbol", s->name},
                      {"md", s->md_records},
                      {"heat", std::move(heat)},
                      {"t2o", std::move(t2o)},
                      {"t2o_count", s->tick_to_order.count()}});
  }
  Json page = {
      {"bin_seconds", width}, {"columns", col_labels}, {"rows", row_labels}, {"symbols", charts}};

  std::string summary;
  for (const auto& s : data.symbols) {
    summary +=
        fmt::format("<tr><td>{}</td><td>{}</td>{}<td>{}</td><td>{}</td>{}</tr>\n",
                    escape_html(s->name), s->md_records, percentile_cells(s->feed),
                    s->feed_negative, s->tick_to_order.count(), percentile_cells(s->tick_to_order));
  }
  std::string issues;
  for (const std::string& i : data.issues) issues += "<li>" + escape_html(i) + "</li>";
  if (!issues.empty()) issues = "<h2>WAL issues</h2><ul class=\"issues\">" + issues + "</ul>";

  constexpr const char* kCss =
      R"CSS(body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px} h3{font-size:14px;margin:16px 0 4px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:right} th{background:#f3f3f3}
td:first-child{text-align:left}
.meta{color:#555} .note{color:#555;max-width:900px} .symbol{margin-bottom:24px}
.charts{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
svg text{font:10px system-ui,sans-serif;fill:#333}
#render-status{color:#888;font-size:11px;margin-top:24px}
)CSS";
  std::string html =
      report::html_page("hft latency report", kCss, R"HTML(<h1>hft latency report</h1>
<div class="meta"><code>@@SOURCE@@</code> &middot; @@RECORDS@@ records, @@MD@@ market-data, @@ORDERS@@ new orders &middot; market data from @@FIRST@@ to @@LAST@@ &middot; generated @@GENERATED@@</div>
<p class="note">Feed latency = <code>local_ts &minus; exch_ts</code> of each market-data record (book snapshot, trade, book level, book clear). Tick&rarr;order = a new order's <code>local_ts</code> minus the <code>local_ts</code> of the last market-data record of the same symbol before it in the WAL, i.e. the time the order left the router after the tick that triggered it (@@NOTICK@@ orders had no earlier market data and are left out). Percentiles are within 3.2&nbsp;% (HDR buckets, never under-reported); negative feed latencies (clock skew) count as 0 and are listed. Heatmap columns are Taiwan time (UTC+8), @@BIN@@&nbsp;s each.</p>
<h2>Summary</h2>
<table id="summary">
<tr><th rowspan="2">symbol</th><th colspan="7">feed latency (local &minus; exchange)</th><th colspan="6">tick &rarr; order</th></tr>
<tr><th>records</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>negative</th><th>orders</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>
@@SUMMARY@@</table>
@@ISSUES@@
<div id="charts"></div>
<div id="render-status" data-state="pending">charts not rendered (JavaScript disabled?)</div>
<script>
"use strict";
const DATA = @@DATA@@;
const errors = [];
window.addEventListener("error", e => { errors.push(String(e.message)); finish(); });
const NS = "http://www.w3.org/2000/svg";
function el(name, attrs, parent, text) {
  const e = document.createElementNS(NS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}
function colour(f) {  // 0..1 -> light yellow .. dark blue
  const a = [255, 247, 188], b = [8, 48, 107];
  return "rgb(" + a.map((x, i) => Math.round(x + (b[i] - x) * f)).join(",") + ")";
}
function heatmap(s, parent) {
  const rows = DATA.rows.length, cols = Math.max(1, DATA.columns.length);
  const cw = Math.max(4, Math.min(48, Math.floor(720 / cols))), ch = 12, left = 70, top = 8;
  const w = Math.max(420, left + cols * cw + 30), h = top + rows * ch + 40;
  const svg = el("svg", {width: w, height: h, "class": "heatmap", "data-symbol": s.symbol}, parent);
  let max = 1;
  for (const c of s.heat) max = Math.max(max, c[2]);
  for (let r = 0; r < rows; r += 2) el("text", {x: left - 4, y: top + (rows - r) * ch - 2, "text-anchor": "end"}, svg, DATA.rows[r]);
  el("rect", {x: left, y: top, width: cols * cw, height: rows * ch, fill: "#fafafa", stroke: "#ccc"}, svg);
  let drawn = 0;
  for (const [c, r, n] of s.heat) {
    const cell = el("rect", {x: left + c * cw, y: top + (rows - 1 - r) * ch, width: cw, height: ch,
                             fill: colour(Math.log(1 + n) / Math.log(1 + max)), "class": "cell"}, svg);
    el("title", {}, cell, DATA.columns[c] + "  " + DATA.rows[r] + ": " + n);
    ++drawn;
  }
  const step = Math.max(1, Math.ceil(64 / cw));  // a label every >= 64 px
  for (let c = 0; c < DATA.columns.length; c += step) el("text", {x: left + c * cw, y: top + rows * ch + 14}, svg, DATA.columns[c]);
  el("text", {x: left, y: top + rows * ch + 32}, svg, "Taiwan time of day \u2192 (" + DATA.bin_seconds + " s per column); rows: feed latency class");
  svg.setAttribute("data-cells", drawn);
  return svg;
}
function histogram(s, parent) {
  const n = s.t2o.length, bw = 22, ch = 160, left = 50, top = 10;
  const svg = el("svg", {width: left + n * bw + 10, height: top + ch + 80, "class": "histogram", "data-symbol": s.symbol}, parent);
  let max = 1;
  for (const v of s.t2o) max = Math.max(max, v);
  el("line", {x1: left, y1: top + ch, x2: left + n * bw, y2: top + ch, stroke: "#888"}, svg);
  el("text", {x: left - 4, y: top + 8, "text-anchor": "end"}, svg, String(max));
  el("text", {x: left - 4, y: top + ch, "text-anchor": "end"}, svg, "0");
  let bars = 0;
  s.t2o.forEach((v, i) => {
    const bh = v === 0 ? 0 : Math.max(1, Math.round(ch * v / max));
    const bar = el("rect", {x: left + i * bw + 2, y: top + ch - bh, width: bw - 4, height: bh, fill: "#3b73b9", "class": "bar"}, svg);
    el("title", {}, bar, DATA.rows[i] + ": " + v);
    if (v > 0) ++bars;
    if (i % 3 === 0) el("text", {x: left + i * bw + bw / 2, y: top + ch + 12, transform: "rotate(45 " + (left + i * bw + bw / 2) + " " + (top + ch + 12) + ")"}, svg, DATA.rows[i]);
  });
  el("text", {x: left, y: top + ch + 74}, svg, "tick\u2192order latency class (" + s.t2o_count + " orders)");
  svg.setAttribute("data-bars", bars);
  return svg;
}
let heatmaps = 0, histograms = 0;
function finish() {
  const st = document.getElementById("render-status");
  st.setAttribute("data-state", errors.length ? "error" : "done");
  st.setAttribute("data-heatmaps", heatmaps);
  st.setAttribute("data-histograms", histograms);
  st.setAttribute("data-errors", errors.length);
  st.textContent = "rendered " + heatmaps + " heatmaps, " + histograms + " histograms" + (errors.length ? "; errors: " + errors.join(" | ") : "");
}
try {
  const root = document.getElementById("charts");
  for (const s of DATA.symbols) {
    const div = document.createElement("div");
    div.className = "symbol";
    const h = document.createElement("h2");
    h.textContent = s.symbol + " (" + s.md + " market-data records)";
    div.appendChild(h);
    const row = document.createElement("div");
    row.className = "charts";
    const a = document.createElement("div"), b = document.createElement("div");
    a.innerHTML = "<h3>feed latency over the day</h3>"; b.innerHTML = "<h3>tick \u2192 order</h3>";
    heatmap(s, a); ++heatmaps;
    histogram(s, b); ++histograms;
    row.appendChild(a); row.appendChild(b); div.appendChild(row); root.appendChild(div);
  }
} catch (e) {
  errors.push(String(e && e.stack || e));
}
finish();
</script>
)HTML");
  auto put = [&html](std::string_view key, const std::string& value) { fill(html, key, value); };
  // Data last: it may contain any of the other keys as text.
  put("@@SOURCE@@", escape_html(data.source));
  put("@@RECORDS@@", std::to_string(data.records));
  put("@@MD@@", std::to_string(data.md_records));
  put("@@ORDERS@@", std::to_string(data.orders));
  put("@@FIRST@@", utc_text(data.first_local_ts));
  put("@@LAST@@", utc_text(data.last_local_ts));
  put("@@GENERATED@@", escape_html(generated_utc));
  put("@@NOTICK@@", std::to_string(data.orders_without_tick));
  put("@@BIN@@", std::to_string(width));
  put("@@SUMMARY@@",
      summary.empty() ? "<tr><td colspan=\"14\">no market data in this WAL</td></tr>" : summary);
  bool t2o_all_zero = false;
  for (const auto& s : data.symbols) {
    if (s->tick_to_order.count() > 0) t2o_all_zero = s->tick_to_order.quantile(1.0) == 0;
    if (s->tick_to_order.count() > 0 && !t2o_all_zero) break;
  }
  if (t2o_all_zero) {
    issues =
        "<p class=\"note\" id=\"t2o-zero\"><b>Every tick&rarr;order latency here is 0:</b> "
        "the WAL was written by an engine that stamped an order's <code>local_ts</code> with "
        "the receive time of the tick that triggered it (engines since 2026-11-26 stamp the "
        "time the order leaves the router), so it shows which tick caused an order but not "
        "how long the hot path took.</p>" +
        issues;
  }
  put("@@ISSUES@@", issues);
  put("@@DATA@@", script_safe(page.dump()));
  return html;
}

}  // namespace hft::report
