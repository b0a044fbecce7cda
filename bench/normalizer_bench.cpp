// Shioaji normalizer benchmarks (CONTRACTS.md §3): one wire-format payload → one hft event, ns
// per payload. Target ≤ 250 ns for BM_Normalizer_BidAsk (issue 4), which decodes the primary
// wire format, the binary record (wire_record.hpp, docs/feed.md); BM_Normalizer_BidAskJson is
// the same BidAskFOPv1 payload as the SSE JSON line, BM_Normalizer_BidAskStk a BidAskSTKv1 JSON
// line with decimals at scale 100.
//
// The normalizer drops repeated and older payloads, so the benchmark cycles through a ring of
// distinct payloads one microsecond apart (volumes varying); when the ring wraps, the date in
// every payload moves on a day (outside the timed region), keeping exchange time increasing.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "hft/core/contract.hpp"
#include "hft/feed/shioaji/normalizer.hpp"
#include "hft/feed/shioaji/wire_record.hpp"

namespace {

using hft::feed::shioaji::Decoded;
using hft::feed::shioaji::Normalizer;

// BidAskFOPv1 with every documented field (reference §3.7); %s = date, %06d = microseconds,
// %d = a varying best-ask volume.
constexpr const char* kBidAskFop =
    R"({"type":"bidask_fop","topic":"QUO/v1/FOP/*/TFE/TXFF6","data":{"code":"TXFF6",)"
    R"("datetime":"%s 09:%02d:%02d.%06d","bid_total_vol":66,"ask_total_vol":101,)"
    R"("bid_price":["22001","22000","21999","21998","21997"],"bid_volume":[3,13,8,20,22],)"
    R"("diff_bid_vol":[0,1,0,0,0],"ask_price":["22002","22003","22004","22005","22006"],)"
    R"("ask_volume":[%d,15,25,30,30],"diff_ask_vol":[0,0,0,0,0],)"
    R"("first_derived_bid_price":"22000","first_derived_ask_price":"22003",)"
    R"("first_derived_bid_vol":1,"first_derived_ask_vol":1,"underlying_price":"21990.52",)"
    R"("simtrade":false}})";

// BidAskSTKv1 (reference §3.4): stock prices with decimals at scale 100.
constexpr const char* kBidAskStk =
    R"({"type":"bidask_stk","topic":"QUO/v1/STK/*/TSE/2330","data":{"code":"2330",)"
    R"("datetime":"%s 09:%02d:%02d.%06d","bid_price":["585","584.5","584","583.5","583"],)"
    R"("bid_volume":[120,50,33,10,2],"diff_bid_vol":[3,0,0,-1,0],)"
    R"("ask_price":["586","586.5","587","587.5","588"],"ask_volume":[%d,41,60,7,15],)"
    R"("diff_ask_vol":[0,0,2,0,0],"suspend":false,"simtrade":false,"intraday_odd":false}})";

constexpr int kRing = 1 << 14;

std::string date_string(int day_index) {
  // 2026-01-01 + day_index within a 28-day month: dates only need to increase.
  const int month = 1 + (day_index / 28) % 12;
  const int year = 2026 + day_index / (28 * 12);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, 1 + day_index % 28);
  return buf;
}

hft::Timestamp taipei(const std::string& date, int i) {
  int y = 0, m = 0, d = 0;
  std::sscanf(date.c_str(), "%d-%d-%d", &y, &m, &d);
  return hft::taipei_to_utc(y, m, d, 9, i / 60'000'000, (i / 1'000'000) % 60,
                            (i % 1'000'000) * 1000LL);
}

/// The BidAskFOPv1 payload of kBidAskFop as a binary record (what the bridge packs).
std::string bidask_fop_record(hft::Timestamp ts, int ask_volume) {
  using hft::feed::shioaji::WireRecord;
  WireRecord r;
  r.type = static_cast<std::uint8_t>(hft::feed::shioaji::PayloadType::kBidAskFop);
  hft::feed::shioaji::set_code(r, "TXFF6");
  r.ts = ts;
  r.bid_n = r.ask_n = 5;
  const std::int64_t bid_qty[] = {3, 13, 8, 20, 22};
  const std::int64_t ask_qty[] = {ask_volume, 15, 25, 30, 30};
  for (int l = 0; l < 5; ++l) {
    r.bid_px[l] = 22001 - l;
    r.ask_px[l] = 22002 + l;
    r.bid_qty[l] = bid_qty[l];
    r.ask_qty[l] = ask_qty[l];
  }
  return std::string(hft::feed::shioaji::wire_bytes(r));
}

struct Ring {
  std::vector<std::string> lines;
  std::vector<hft::Timestamp> recv;
  const char* format;  // nullptr: binary records
  int day = 0;

  explicit Ring(const char* fmt) : format(fmt) { fill(); }
  void fill() {
    const std::string date = date_string(day);
    int y = 0, m = 0, d = 0;
    std::sscanf(date.c_str(), "%d-%d-%d", &y, &m, &d);
    const hft::Timestamp nine = hft::taipei_to_utc(y, m, d, 9, 0);
    lines.resize(kRing);
    recv.resize(kRing);
    char buf[1024];
    for (int i = 0; i < kRing; ++i) {
      recv[i] = nine + i * 1000LL + 2'000'000;  // received 2 ms after the exchange stamp
      if (format == nullptr) {
        lines[i] = bidask_fop_record(nine + i * 1000LL, 1 + i % 97);
        continue;
      }
      const int n = std::snprintf(buf, sizeof buf, format, date.c_str(), i / 60'000'000,
                                  (i / 1'000'000) % 60, i % 1'000'000, 1 + i % 97);
      lines[i].assign(buf, static_cast<std::size_t>(n));
    }
  }
  void next_day() {
    ++day;
    fill();
  }
};

void run(benchmark::State& state, const char* format) {
  hft::SymbolTable symbols;
  symbols.add(*hft::builtin_contract("2330"));
  symbols.add(*hft::builtin_contract("TXFR1"));
  Normalizer norm(symbols);
  norm.add_alias("TXFF6", "TXFR1");
  Ring ring(format);
  Decoded out;
  std::size_t bytes = 0;
  int i = 0;
  for (auto _ : state) {
    const bool ok = norm.decode(ring.lines[i], ring.recv[i], out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out.events[0].snapshot.bid_px[0]);
    bytes += ring.lines[i].size();
    if (++i == kRing) {
      state.PauseTiming();
      ring.next_day();
      i = 0;
      state.ResumeTiming();
    }
  }
  if (norm.rejected_total() != 0) state.SkipWithError("payloads rejected");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["ns_per_payload"] =
      benchmark::Counter(static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_Normalizer_BidAsk(benchmark::State& state) { run(state, nullptr); }
void BM_Normalizer_BidAskJson(benchmark::State& state) { run(state, kBidAskFop); }
void BM_Normalizer_BidAskStk(benchmark::State& state) { run(state, kBidAskStk); }

}  // namespace

BENCHMARK(BM_Normalizer_BidAsk);
BENCHMARK(BM_Normalizer_BidAskJson);
BENCHMARK(BM_Normalizer_BidAskStk);
