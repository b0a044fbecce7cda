#include "hft/broker/latency_model.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>

#include "hft/core/fixed_point.hpp"

namespace hft::broker {

namespace {

// Linear interpolation of y between two rows at x (both in ns; exact in 128 bits).
std::int64_t lerp(Timestamp x0, std::int64_t y0, Timestamp x1, std::int64_t y1, Timestamp x) {
  if (x1 == x0) return y0;
  const Int128 num = static_cast<Int128>(y1 - y0) * (x - x0);
  return y0 + static_cast<std::int64_t>(num / (x1 - x0));
}

template <class KeyFn, class ValFn>
std::int64_t interpolate(const std::vector<IntpOrderLatency::Row>& rows, Timestamp t, KeyFn key,
                         ValFn val) {
  if (rows.empty()) return 0;
  auto it =
      std::upper_bound(rows.begin(), rows.end(), t,
                       [&](Timestamp v, const IntpOrderLatency::Row& r) { return v < key(r); });
  if (it == rows.begin()) return val(rows.front());
  if (it == rows.end()) return val(rows.back());
  const auto& hi = *it;
  const auto& lo = *(it - 1);
  return lerp(key(lo), val(lo), key(hi), val(hi), t);
}

bool parse_i64(std::string_view s, std::int64_t& out) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

}  // namespace

IntpOrderLatency IntpOrderLatency::from_rows(std::vector<Row> rows, std::string* error) {
  IntpOrderLatency m;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].exch_ts < rows[i].req_ts || rows[i].resp_ts < rows[i].exch_ts) {
      if (error != nullptr) {
        *error = "row " + std::to_string(i + 1) +
                 ": negative latency (need req_ts <= exch_ts <= resp_ts)";
      }
      return {};
    }
  }
  if (rows.empty()) {
    if (error != nullptr) *error = "no latency rows";
    return {};
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.req_ts < b.req_ts; });
  m.by_exch_ = rows;
  std::stable_sort(m.by_exch_.begin(), m.by_exch_.end(),
                   [](const Row& a, const Row& b) { return a.exch_ts < b.exch_ts; });
  m.rows_ = std::move(rows);
  if (error != nullptr) error->clear();
  return m;
}

IntpOrderLatency IntpOrderLatency::load_csv(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    if (error != nullptr) *error = path + ": cannot open";
    return {};
  }
  std::vector<Row> rows;
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    if (line_no == 1 && line.rfind("req_ts", 0) == 0) continue;
    std::int64_t v[3];
    std::string_view rest(line);
    bool ok = true;
    for (int i = 0; i < 3 && ok; ++i) {
      const auto comma = rest.find(',');
      const std::string_view field = i < 2 ? rest.substr(0, comma) : rest;
      ok = (i == 2 || comma != std::string_view::npos) && parse_i64(field, v[i]);
      if (i < 2 && ok) rest.remove_prefix(comma + 1);
    }
    if (!ok) {
      if (error != nullptr) {
        *error = path + ":" + std::to_string(line_no) +
                 ": expected three integers req_ts,exch_ts,resp_ts (ns), got '" + line + "'";
      }
      return {};
    }
    rows.push_back(Row{v[0], v[1], v[2]});
  }
  std::string problem;
  IntpOrderLatency m = from_rows(std::move(rows), &problem);
  if (error != nullptr) *error = problem.empty() ? "" : path + ": " + problem;
  return m;
}

std::int64_t IntpOrderLatency::entry(Timestamp req_ts) const {
  return interpolate(
      rows_, req_ts, [](const Row& r) { return r.req_ts; },
      [](const Row& r) { return r.exch_ts - r.req_ts; });
}

std::int64_t IntpOrderLatency::response(Timestamp exch_ts) const {
  return interpolate(
      by_exch_, exch_ts, [](const Row& r) { return r.exch_ts; },
      [](const Row& r) { return r.resp_ts - r.exch_ts; });
}

}  // namespace hft::broker
