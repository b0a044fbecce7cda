// Order latency models: how long an order takes from our gateway to the matching engine
// (entry) and how long the exchange's report takes back to us (response). Market-data latency
// is not modelled here: each event carries it as local_ts - exch_ts.
//
//   ConstantLatency   fixed entry and response latency (ns).
//   IntpOrderLatency  latencies interpolated in time from a recorded CSV of real round trips
//                     `req_ts,exch_ts,resp_ts` (ns since the epoch): entry(t) interpolates
//                     exch_ts - req_ts at request time t, response(t) interpolates
//                     resp_ts - exch_ts at exchange time t; before the first / after the last
//                     row the nearest row's value holds. A row with resp < exch or exch < req
//                     is refused at load time (negative latency is not physical).
// (After hftbacktest's models/latency.rs; our code.)
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "hft/core/taiwan_time.hpp"

namespace hft::broker {

struct ConstantLatency {
  std::int64_t entry_ns = 0;
  std::int64_t response_ns = 0;
  std::int64_t entry(Timestamp /*req_ts*/) const { return entry_ns; }
  std::int64_t response(Timestamp /*exch_ts*/) const { return response_ns; }
};

class IntpOrderLatency {
 public:
  struct Row {
    Timestamp req_ts;
    Timestamp exch_ts;
    Timestamp resp_ts;
  };
  /// Rows sorted by req_ts (sorted here if not); empty error string on success.
  static IntpOrderLatency from_rows(std::vector<Row> rows, std::string* error);
  /// Loads the CSV (optional header line `req_ts,exch_ts,resp_ts`); errors name file:line.
  static IntpOrderLatency load_csv(const std::string& path, std::string* error);

  std::int64_t entry(Timestamp req_ts) const;
  std::int64_t response(Timestamp exch_ts) const;
  std::size_t size() const { return rows_.size(); }

 private:
  std::vector<Row> rows_;     // by req_ts
  std::vector<Row> by_exch_;  // the same rows by exch_ts (response lookups)
};

using LatencyModel = std::variant<ConstantLatency, IntpOrderLatency>;

inline std::int64_t entry_latency(const LatencyModel& m, Timestamp req_ts) {
  return std::visit([&](const auto& model) { return model.entry(req_ts); }, m);
}
inline std::int64_t response_latency(const LatencyModel& m, Timestamp exch_ts) {
  return std::visit([&](const auto& model) { return model.response(exch_ts); }, m);
}

}  // namespace hft::broker
