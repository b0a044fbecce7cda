// Specification of feed::gen::DayGenerator (`hft data gen`): deterministic by seed, valid
// CONTRACTS.md §2 CSV (header, sorted local times, prices on the ladder and inside the daily
// limits, trades only while the market trades), sessions and auctions where Taiwan has them,
// and book statistics that look like the market (TXF spread mostly one tick, bursty arrivals).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "hft/core/session.hpp"
#include "hft/feed/gen/day_generator.hpp"

namespace hft::feed::gen {
namespace {

std::string generate(const DayGenParams& p, std::unique_ptr<DayGenerator>* keep = nullptr) {
  std::string err;
  auto g = DayGenerator::make(p, &err);
  EXPECT_NE(g, nullptr) << err;
  if (!g) return {};
  char* data = nullptr;
  std::size_t size = 0;
  std::FILE* f = open_memstream(&data, &size);
  EXPECT_TRUE(g->write_csv(f, {}));
  std::fclose(f);
  std::string out(data, size);
  std::free(data);
  if (keep != nullptr) *keep = std::move(g);
  return out;
}

DayGenParams params(std::vector<std::string> symbols, std::int64_t max_rows = 40'000) {
  DayGenParams p;
  p.seed = 42;
  p.year = 2026;
  p.month = 1;
  p.day = 5;  // a Monday
  p.symbols = std::move(symbols);
  p.max_rows = max_rows;
  return p;
}

struct CsvRow {
  Timestamp local = 0, exch = 0;
  std::string symbol, type, side, price, qty;
};

std::vector<CsvRow> parse(const std::string& csv, std::string* header) {
  std::vector<CsvRow> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, *header);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ',') {
        f.push_back(line.substr(start, i - start));
        start = i + 1;
      }
    }
    EXPECT_EQ(f.size(), 7U) << line;
    if (f.size() != 7) continue;
    rows.push_back({std::stoll(f[0]), std::stoll(f[1]), f[2], f[3], f[4], f[5], f[6]});
  }
  return rows;
}

TEST(DayGenerator, SameSeedGivesByteIdenticalFiles) {
  const auto p = params({"TXFR1", "2330"});
  const std::string a = generate(p);
  EXPECT_EQ(a, generate(p));
  auto q = p;
  q.seed = 43;
  EXPECT_NE(a, generate(q));
}

TEST(DayGenerator, SimtradeRowsCanBeLeftOut) {
  auto p = params({"2330"}, 3'000);  // starts in the 08:30 pre-open
  std::string header;
  const auto with = parse(generate(p), &header);
  p.simtrade = false;
  const auto without = parse(generate(p), &header);
  const auto count = [](const std::vector<CsvRow>& rows) {
    return std::count_if(rows.begin(), rows.end(),
                         [](const CsvRow& r) { return r.type == "simtrade"; });
  };
  EXPECT_GT(count(with), 0);
  EXPECT_EQ(count(without), 0);
}

TEST(DayGenerator, RefusesWeekendsUnknownSymbolsAndNightOnlyStocks) {
  std::string err;
  auto p = params({"TXFR1"});
  p.day = 3;  // Saturday
  EXPECT_EQ(DayGenerator::make(p, &err), nullptr);
  EXPECT_NE(err.find("weekend"), std::string::npos);
  EXPECT_EQ(DayGenerator::make(params({"NOPE"}), &err), nullptr);
  EXPECT_NE(err.find("NOPE"), std::string::npos);
  auto n = params({"2330"});
  n.session = SessionChoice::kNight;
  EXPECT_EQ(DayGenerator::make(n, &err), nullptr);
}

TEST(DayGenerator, EventLimitStopsAfterWholeUpdates) {
  const std::string csv = generate(params({"TXFR1"}, 5'000));
  std::string header;
  const auto rows = parse(csv, &header);
  EXPECT_GE(rows.size(), 5'000U);
  EXPECT_LT(rows.size(), 5'100U);
}

/// A whole (thinned) day checked row by row against the CSV contract and Taiwan's sessions.
class WholeDay : public ::testing::Test {
 protected:
  // Generated once for the suite: a light day (fewer arrivals) under the same rules.
  static void SetUpTestSuite() {
    auto p = params({"TXFR1", "2330", "0050"}, 0);
    p.model.base_rate = 0.25;
    p.session = SessionChoice::kFull;
    csv = new std::string(generate(p, &gen));
    rows = new std::vector<CsvRow>(parse(*csv, &header));
  }
  static void TearDownTestSuite() {
    delete csv;
    delete rows;
    gen.reset();
  }
  static inline std::unique_ptr<DayGenerator> gen;
  static inline std::string* csv = nullptr;
  static inline std::string header;
  static inline std::vector<CsvRow>* rows = nullptr;
};

TEST_F(WholeDay, RowsFollowTheCsvContract) {
  ASSERT_EQ(header, "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty");
  ASSERT_GT(rows->size(), 10'000U);
  std::map<std::string, std::uint16_t> index;
  for (std::uint16_t i = 0; i < gen->symbols(); ++i) index[gen->spec(i).code] = i;
  Timestamp prev = 0;
  for (const CsvRow& r : *rows) {
    ASSERT_GE(r.local, prev) << "rows must be sorted by local_ts_ns";
    ASSERT_GE(r.local, r.exch) << "received before it happened";
    prev = r.local;
    ASSERT_TRUE(index.count(r.symbol)) << r.symbol;
    const std::uint16_t id = index[r.symbol];
    const ContractSpec& spec = gen->spec(id);
    if (r.type == "clear") {
      EXPECT_TRUE(r.side == "-" || r.side == "B" || r.side == "S");
      EXPECT_EQ(r.price, "");
      EXPECT_EQ(r.qty, "");
      continue;
    }
    ASSERT_TRUE(r.type == "book" || r.type == "trade" || r.type == "simtrade") << r.type;
    const ParsedFixed px = parse_price(r.price, spec.price_scale);
    ASSERT_TRUE(px.ok()) << r.price;
    const ParsedFixed q = parse_qty(r.qty);
    ASSERT_TRUE(q.ok()) << r.qty;
    const TickLadder ladder = spec.ladder();
    ASSERT_TRUE(ladder.is_on_tick(Price{px.value})) << r.symbol << " " << r.price;
    const PriceLimits lim = gen->limits(id);
    ASSERT_GE(px.value, lim.down.v) << r.symbol << " " << r.price;
    ASSERT_LE(px.value, lim.up.v) << r.symbol << " " << r.price;
    if (r.type == "trade" || r.type == "simtrade") {
      EXPECT_GT(q.value, 0);
    } else {
      EXPECT_TRUE(r.side == "B" || r.side == "S");
    }
  }
}

TEST_F(WholeDay, TradesOnlyInContinuousTradingOrAsCallAuctionPrints) {
  std::map<std::string, int> auctions;
  for (const CsvRow& r : *rows) {
    const bool stock = r.symbol != "TXFR1";
    const ProductType type = r.symbol == "TXFR1"  ? ProductType::kIndexFuture
                             : r.symbol == "0050" ? ProductType::kEtf
                                                  : ProductType::kStock;
    const SessionState st = session_at(type, r.exch);
    const std::int64_t tod = taipei_time_of_day(r.exch);
    if (r.type == "trade" && r.side == "-") {  // a call-auction print at the bell
      const bool at_bell =
          stock ? (tod == hm(9, 0) || tod == hm(13, 30)) : (tod == hm(8, 45) || tod == hm(15, 0));
      EXPECT_TRUE(at_bell) << r.symbol << " auction print at " << tod / kNsPerSec;
      ++auctions[r.symbol];
    } else if (r.type == "trade") {
      EXPECT_EQ(st.phase, SessionPhase::kContinuous) << r.symbol << " trade at " << tod / kNsPerSec;
    } else {
      EXPECT_NE(st.phase, SessionPhase::kClosed) << r.symbol << " book at " << tod / kNsPerSec;
    }
  }
  EXPECT_EQ(auctions["2330"], 2);  // opening and closing call auctions
  EXPECT_EQ(auctions["0050"], 2);
  EXPECT_EQ(auctions["TXFR1"], 2);  // day and night opening auctions
}

// Every call auction is preceded by trial matches (simtrade rows, Shioaji's simtrade=True ticks)
// in its collection phase, and only there; the auction prints at the last trial price.
TEST_F(WholeDay, CallAuctionsArePrecededBySimtradeTrialMatches) {
  std::map<std::string, int> trials_since_print;
  std::map<std::string, std::string> last_trial_price;
  std::map<std::string, int> auctions_with_trials;
  for (const CsvRow& r : *rows) {
    const ProductType type = r.symbol == "TXFR1"  ? ProductType::kIndexFuture
                             : r.symbol == "0050" ? ProductType::kEtf
                                                  : ProductType::kStock;
    const SessionPhase phase = session_at(type, r.exch).phase;
    if (r.type == "simtrade") {
      EXPECT_NE(phase, SessionPhase::kContinuous)
          << r.symbol << " trial match at " << taipei_time_of_day(r.exch) / kNsPerSec;
      EXPECT_EQ(r.side, "-");
      ++trials_since_print[r.symbol];
      last_trial_price[r.symbol] = r.price;
    } else if (r.type == "trade" && r.side == "-") {
      EXPECT_GT(trials_since_print[r.symbol], 10) << r.symbol << " auction without trial matches";
      EXPECT_EQ(r.price, last_trial_price[r.symbol]) << r.symbol;
      ++auctions_with_trials[r.symbol];
      trials_since_print[r.symbol] = 0;
    }
  }
  EXPECT_EQ(auctions_with_trials["2330"], 2);
  EXPECT_EQ(auctions_with_trials["TXFR1"], 2);
}

TEST_F(WholeDay, AtomicUpdatesLeaveAnUncrossedBook) {
  std::map<std::string, std::map<std::int64_t, Qty>> bids, asks;
  const std::vector<CsvRow>& all = *rows;
  std::size_t i = 0;
  std::size_t updates = 0;
  while (i < all.size()) {
    const CsvRow& first = all[i];
    const std::int64_t scale = first.symbol == "TXFR1" ? 1 : 100;
    auto& b = bids[first.symbol];
    auto& a = asks[first.symbol];
    for (; i < all.size() && all[i].local == first.local && all[i].symbol == first.symbol; ++i) {
      const CsvRow& r = all[i];
      if (r.type == "clear") {
        if (r.side != "S") b.clear();
        if (r.side != "B") a.clear();
      } else if (r.type == "book") {
        const std::int64_t px = parse_price(r.price, scale).value;
        const Qty q = parse_qty(r.qty).value;
        auto& side = r.side == "B" ? b : a;
        q == 0 ? (void)side.erase(px) : (void)(side[px] = q);
      }
    }
    ++updates;
    if (!b.empty() && !a.empty()) {
      ASSERT_LT(b.rbegin()->first, a.begin()->first) << first.symbol << " at " << first.local;
    }
  }
  EXPECT_LT(updates, all.size());  // some updates carry several rows
}

TEST(DayGeneratorStats, IndexFutureLooksLikeTheMarket) {
  auto p = params({"TXFR1"}, 60'000);
  const std::string csv = generate(p);
  std::string header;
  const auto rows = parse(csv, &header);
  std::map<std::int64_t, Qty> b, a;
  std::size_t updates = 0, one_tick = 0, trades = 0;
  Qty traded = 0;
  std::map<std::int64_t, int> per_second;
  for (std::size_t i = 0; i < rows.size();) {
    const Timestamp t = rows[i].local;
    ++per_second[rows[i].exch / kNsPerSec];
    for (; i < rows.size() && rows[i].local == t; ++i) {
      const CsvRow& r = rows[i];
      if (r.type == "clear") {
        b.clear();
        a.clear();
      } else if (r.type == "book") {
        auto& side = r.side == "B" ? b : a;
        const std::int64_t px = std::stoll(r.price);
        const Qty q = std::stoll(r.qty);
        q == 0 ? (void)side.erase(px) : (void)(side[px] = q);
      } else if (r.side != "-") {
        ++trades;
        traded += std::stoll(r.qty);
      }
    }
    if (b.empty() || a.empty()) continue;
    ++updates;
    if (a.begin()->first - b.rbegin()->first == 1) ++one_tick;
  }
  // Spread mostly one point, small prints, and clustering: the variance of arrivals per
  // second well above their mean (a Poisson process would give a ratio of 1).
  EXPECT_GT(static_cast<double>(one_tick) / static_cast<double>(updates), 0.5);
  EXPECT_GT(trades, 500U);
  EXPECT_LT(static_cast<double>(traded) / static_cast<double>(trades), 5.0);
  double mean = 0, var = 0;
  const std::int64_t first = per_second.begin()->first, last = per_second.rbegin()->first;
  const double n = static_cast<double>(last - first + 1);
  for (const auto& [s, c] : per_second) mean += c;
  mean /= n;
  for (std::int64_t s = first; s <= last; ++s) {
    const auto it = per_second.find(s);
    const double c = it == per_second.end() ? 0.0 : it->second;
    var += (c - mean) * (c - mean);
  }
  var /= n;
  EXPECT_GT(var / mean, 1.5) << "mean " << mean << " var " << var;
}

}  // namespace
}  // namespace hft::feed::gen
