// CsvReader specifications: every rejection with its line number and message, --skip-bad
// counts, atomic-update grouping, clear semantics, and scale inference for unknown symbols.
#include "hft/data/csv_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hft::data {
namespace {

constexpr const char* kHeader = "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty\n";

struct VectorSink final : RecordSink {
  std::vector<Record> records;
  bool append(const Record& r) override {
    records.push_back(r);
    return true;
  }
};

struct Read {
  CsvResult result;
  std::vector<Record> records;
};

Read read(const std::string& body, bool skip_bad = false, std::vector<ContractSpec> symbols = {}) {
  CsvOptions opts;
  opts.skip_bad = skip_bad;
  opts.symbols = std::move(symbols);
  VectorSink sink;
  Read r;
  r.result = read_csv(std::string(kHeader) + body, "day.csv", opts, sink);
  r.records = std::move(sink.records);
  return r;
}

TEST(CsvReader, ReadsTheContractExample) {
  const Read r = read(
      "1722470400123456789,1722470400120000000,TXFD6,clear,-,,\n"
      "1722470400123456789,1722470400120000000,TXFD6,book,B,23455,12\n"
      "1722470400123456789,1722470400120000000,TXFD6,book,S,23456,7\n"
      "1722470400200000000,1722470400199000000,TXFD6,trade,B,23456,2\n");
  ASSERT_TRUE(r.result.ok()) << r.result.error;
  ASSERT_EQ(r.records.size(), 4u);
  EXPECT_EQ(r.result.rows, 4u);
  EXPECT_EQ(r.result.batches, 2u);
  EXPECT_EQ(r.records[0].h.type, EventType::kBookClear);
  EXPECT_EQ(r.records[0].clear.side, ClearSide::kBoth);
  EXPECT_EQ(r.records[1].level.price.v, 23455);
  EXPECT_EQ(r.records[1].level.qty, 12);
  EXPECT_EQ(r.records[1].level.side, Side::kBuy);
  EXPECT_EQ(r.records[2].level.side, Side::kSell);
  EXPECT_EQ(r.records[3].h.type, EventType::kTrade);
  EXPECT_EQ(r.records[3].trade.price.v, 23456);
  EXPECT_TRUE(r.records[3].trade.aggressor_known);
  EXPECT_EQ(r.records[3].h.local_ts, 1722470400200000000);
  EXPECT_EQ(r.records[3].h.exch_ts, 1722470400199000000);
  EXPECT_EQ(r.records[3].h.seq, 5u);  // CSV line number
  EXPECT_EQ(r.result.first_ts, 1722470400123456789);
  EXPECT_EQ(r.result.last_ts, 1722470400200000000);
  ASSERT_EQ(r.result.symbols.size(), 1u);
  EXPECT_FALSE(r.result.symbols[0].inferred);
  EXPECT_EQ(r.result.symbols[0].spec.price_scale, 1);
}

TEST(CsvReader, LastRowOfEachAtomicUpdateIsFlagged) {
  const Read r = read(
      "100,90,TXFD6,clear,-,,\n"
      "100,90,TXFD6,book,B,23455,1\n"  // end of (100, TXFD6)
      "100,90,2330,book,B,585,1\n"     // (100, 2330): another symbol, another update
      "100,90,TXFD6,book,S,23457,1\n"  // TXFD6 again, not consecutive: a new update
      "200,90,TXFD6,book,S,23456,1\n");
  ASSERT_TRUE(r.result.ok()) << r.result.error;
  std::vector<bool> last;
  for (const Record& rec : r.records) last.push_back((rec.h.flags & kFlagLastInBatch) != 0);
  EXPECT_EQ(last, (std::vector<bool>{false, true, true, true, true}));
  EXPECT_EQ(r.result.batches, 4u);
}

TEST(CsvReader, ClearSidesAndUnknownAggressor) {
  const Read r = read(
      "1,1,TXFD6,clear,B,,\n"
      "2,1,TXFD6,clear,S,,\n"
      "3,1,TXFD6,clear,-,,\n"
      "4,1,TXFD6,trade,-,23456,3\n"
      "5,1,TXFD6,book,B,23450,0\n");  // qty 0 removes a level
  ASSERT_TRUE(r.result.ok()) << r.result.error;
  EXPECT_EQ(r.records[0].clear.side, ClearSide::kBid);
  EXPECT_EQ(r.records[1].clear.side, ClearSide::kAsk);
  EXPECT_EQ(r.records[2].clear.side, ClearSide::kBoth);
  EXPECT_FALSE(r.records[3].trade.aggressor_known);
  EXPECT_EQ(r.records[4].level.qty, 0);
}

// `simtrade` (an extension of CONTRACTS.md §2): a trial-match price before a call auction,
// imported as a trade flagged kFlagSimTrade, which books, statistics and the venue ignore.
TEST(CsvReader, SimtradeRowsAreTradesFlaggedAsTrialMatches) {
  const Read r = read(
      "1,1,2330,simtrade,-,585,120\n"
      "2,1,2330,trade,-,585,300\n");
  ASSERT_TRUE(r.result.ok()) << r.result.error;
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].h.type, EventType::kTrade);
  EXPECT_NE(r.records[0].h.flags & kFlagSimTrade, 0);
  EXPECT_EQ(r.records[0].trade.qty, 120);
  EXPECT_FALSE(r.records[0].trade.aggressor_known);
  EXPECT_EQ(r.records[1].h.flags & kFlagSimTrade, 0);
}

TEST(CsvReader, PricesAtTheSymbolScale) {
  const Read r =
      read("1,1,2330,book,B,585.5,1\n2,1,2330,book,S,585.50,1\n3,1,2330,trade,S,0586,2\n");
  ASSERT_TRUE(r.result.ok()) << r.result.error;
  EXPECT_EQ(r.records[0].level.price.v, 58550);
  EXPECT_EQ(r.records[1].level.price.v, 58550);  // trailing zeros are exact
  EXPECT_EQ(r.records[2].trade.price.v, 58600);
}

TEST(CsvReader, SymbolsFileOverridesTheBuiltInTable) {
  ContractSpec spec = *builtin_contract("2330");
  spec.price_scale = 1000;
  const Read r = read("1,1,2330,book,B,585.125,1\n", false, {spec});
  ASSERT_TRUE(r.result.ok()) << r.result.error;
  EXPECT_EQ(r.records[0].level.price.v, 585125);
}

// ---- rejections: each with its line number, column, value and rule.

struct BadRow {
  const char* row;
  RowError reason;
  const char* message;
};

class CsvReaderRejects : public ::testing::TestWithParam<BadRow> {};

TEST_P(CsvReaderRejects, StopsAtTheFirstBadRowWithLineAndReason) {
  const BadRow& bad = GetParam();
  const Read r =
      read(std::string("1,1,TXFD6,book,B,23455,1\n") + bad.row + "\n9,9,TXFD6,book,B,23455,1\n");
  EXPECT_FALSE(r.result.ok());
  EXPECT_EQ(r.result.error, std::string("day.csv:3: ") + bad.message);
  EXPECT_EQ(r.result.rows, 2u);
}

TEST_P(CsvReaderRejects, SkipBadCountsTheRowByReasonAndGoesOn) {
  const BadRow& bad = GetParam();
  const Read r = read(
      std::string("1,1,TXFD6,book,B,23455,1\n") + bad.row + "\n9,9,TXFD6,book,B,23455,1\n", true);
  ASSERT_TRUE(r.result.ok()) << r.result.error;
  EXPECT_EQ(r.result.rows, 3u);
  EXPECT_EQ(r.result.skipped, 1u);
  EXPECT_EQ(r.result.skipped_by[static_cast<std::size_t>(bad.reason)], 1u);
  EXPECT_EQ(r.result.first_message[static_cast<std::size_t>(bad.reason)],
            std::string("day.csv:3: ") + bad.message);
  EXPECT_EQ(r.records.size(), 2u);
  EXPECT_NE(r.result.skipped_table().find(to_string(bad.reason)), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    EveryReason, CsvReaderRejects,
    ::testing::Values(
        BadRow{"", RowError::kEmptyLine, "empty line"},
        BadRow{"2,2,TXFD6,book,B,23455", RowError::kColumnCount,
               "expected 7 comma-separated columns "
               "(local_ts_ns,exch_ts_ns,symbol,type,side,price,qty), found 6"},
        BadRow{"2,2,TXFD6,book,B,23455,1,x", RowError::kColumnCount,
               "expected 7 comma-separated columns "
               "(local_ts_ns,exch_ts_ns,symbol,type,side,price,qty), found 8"},
        BadRow{"2x,2,TXFD6,book,B,23455,1", RowError::kBadTimestamp,
               "column 'local_ts_ns': value '2x' is not a non-negative integer (ns "
               "since the Unix epoch, UTC)"},
        BadRow{"2,-2,TXFD6,book,B,23455,1", RowError::kBadTimestamp,
               "column 'exch_ts_ns': value '-2' is not a non-negative integer (ns "
               "since the Unix epoch, UTC)"},
        BadRow{"99999999999999999999,2,TXFD6,book,B,23455,1", RowError::kBadTimestamp,
               "column 'local_ts_ns': value '99999999999999999999' is not a "
               "non-negative integer (ns since the "
               "Unix epoch, UTC)"},
        BadRow{"0,2,TXFD6,book,B,23455,1", RowError::kOutOfOrder,
               "column 'local_ts_ns': value '0' is earlier than the previous row's 1 "
               "(rows must be sorted by "
               "local_ts_ns)"},
        BadRow{"2,2,,book,B,23455,1", RowError::kBadSymbol,
               "column 'symbol': value '' must be 1 to 31 characters"},
        BadRow{"2,2,TX FD6,book,B,23455,1", RowError::kBadSymbol,
               "column 'symbol': value 'TX FD6' contains a character other than "
               "printable ASCII (no spaces or "
               "quotes)"},
        BadRow{"2,2,TXFD6,quote,B,23455,1", RowError::kBadType,
               "column 'type': value 'quote' is not one of book, clear, trade, simtrade"},
        BadRow{"2,2,TXFD6,book,-,23455,1", RowError::kBadSide,
               "column 'side': value '-' is not B or S (a book level has a side)"},
        BadRow{"2,2,TXFD6,trade,b,23455,1", RowError::kBadSide,
               "column 'side': value 'b' is not one of B, S, -"},
        BadRow{"2,2,TXFD6,book,B,23455.5,1", RowError::kPriceScale,
               "column 'price': value '23455.5' has more decimals than the price "
               "scale (1) of TXFD6 allows"},
        BadRow{"2,2,TXFD6,book,B,1e4,1", RowError::kBadPrice,
               "column 'price': value '1e4' is not a plain positive decimal number "
               "(digits with at most one '.')"},
        BadRow{"2,2,TXFD6,book,B,-5,1", RowError::kBadPrice,
               "column 'price': value '-5' is not a plain positive decimal number "
               "(digits with at most one '.')"},
        BadRow{"2,2,TXFD6,book,B,,1", RowError::kBadPrice,
               "column 'price': value '' is empty (book and trade rows need a price)"},
        BadRow{"2,2,TXFD6,book,B,0,1", RowError::kBadPrice,
               "column 'price': value '0' must be positive"},
        BadRow{"2,2,TXFD6,book,B,99999999999999999999,1", RowError::kBadPrice,
               "column 'price': value '99999999999999999999' is out of range (at "
               "most 9 decimals and an int64 at "
               "the price scale)"},
        BadRow{"2,2,TXFD6,book,B,23455,2.5", RowError::kBadQty,
               "column 'qty': value '2.5' is not a non-negative integer"},
        BadRow{"2,2,TXFD6,book,B,23455,-1", RowError::kBadQty,
               "column 'qty': value '-1' is not a non-negative integer"},
        BadRow{"2,2,TXFD6,trade,B,23455,0", RowError::kBadQty,
               "column 'qty': value '0' must be positive on a trade"},
        BadRow{"2,2,TXFD6,clear,B,23455,", RowError::kUnexpectedValue,
               "column 'price': value '23455' must be empty on a clear row"},
        BadRow{"2,2,TXFD6,clear,B,,3", RowError::kUnexpectedValue,
               "column 'qty': value '3' must be empty on a clear row"}));

TEST(CsvReader, HeaderMustBeExact) {
  CsvOptions opts;
  VectorSink sink;
  const CsvResult r =
      read_csv("ts,exch,symbol,type,side,price,qty\n1,1,TXFD6,book,B,1,1\n", "x.csv", opts, sink);
  EXPECT_EQ(
      r.error,
      "x.csv:1: header must be exactly 'local_ts_ns,exch_ts_ns,symbol,type,side,price,qty', found "
      "'ts,exch,symbol,type,side,price,qty'");
  EXPECT_FALSE(read_csv("", "x.csv", opts, sink).ok());
}

TEST(CsvReader, HeaderOnlyIsAnEmptyFile) {
  const Read r = read("");
  ASSERT_TRUE(r.result.ok()) << r.result.error;
  EXPECT_EQ(r.result.rows, 0u);
  EXPECT_TRUE(r.records.empty());
}

TEST(CsvReader, ToleratesCrlfBomAndAMissingFinalNewline) {
  CsvOptions opts;
  VectorSink sink;
  const CsvResult r = read_csv(
      "\xEF\xBB\xBFlocal_ts_ns,exch_ts_ns,symbol,type,side,price,qty\r\n1,1,TXFD6,book,B,23455,"
      "1\r\n2,2,TXFD6,"
      "trade,S,23455,1",
      "x.csv", opts, sink);
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[1].trade.qty, 1);
}

TEST(CsvReader, SkippedRowsDoNotSplitAnAtomicUpdate) {
  const Read r = read(
      "1,1,TXFD6,clear,-,,\n"
      "1,1,TXFD6,book,B,23455.5,1\n"  // skipped
      "1,1,TXFD6,book,B,23455,1\n",
      true);
  ASSERT_TRUE(r.result.ok());
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].h.flags & kFlagLastInBatch, 0);
  EXPECT_NE(r.records[1].h.flags & kFlagLastInBatch, 0);
  EXPECT_EQ(r.result.skipped_by[static_cast<std::size_t>(RowError::kPriceScale)], 1u);
}

TEST(CsvReader, SkipBadTableCountsEachReason) {
  const Read r =
      read("1,1,TXFD6,book,B,1.5,1\n2,1,TXFD6,book,B,1.5,1\n3,1,TXFD6,nope,B,1,1\n", true);
  ASSERT_TRUE(r.result.ok());
  EXPECT_EQ(r.result.skipped, 3u);
  EXPECT_EQ(r.result.skipped_by[static_cast<std::size_t>(RowError::kPriceScale)], 2u);
  EXPECT_EQ(r.result.skipped_by[static_cast<std::size_t>(RowError::kBadType)], 1u);
  EXPECT_EQ(r.result.first_message[static_cast<std::size_t>(RowError::kPriceScale)].rfind(
                "day.csv:2:", 0),
            0u);
}

// ---- scale inference for symbols no spec was given for.

TEST(CsvReader, UnknownSymbolScaleIsTheMostDecimalsSeen) {
  const Read r = read(
      "1,1,ZZZ,book,B,12,1\n2,1,ZZZ,book,S,12.5,1\n3,1,ZZZ,trade,B,12.25,1\n4,1,ZZZ,book,B,12.10,"
      "1\n");
  ASSERT_TRUE(r.result.ok()) << r.result.error;
  const ImportedSymbol& s = r.result.symbols.at(0);
  EXPECT_TRUE(s.inferred);
  EXPECT_EQ(s.spec.price_scale, 100);  // 12.25 has two decimals; 12.10 counts as one
  EXPECT_EQ(s.spec.validate(), "");
  // Records keep the scale known when they were read; the writer rescales (digit_changes).
  ASSERT_EQ(s.digit_changes.size(), 3u);
  EXPECT_EQ(s.digit_changes[0], (std::pair<std::uint64_t, int>{0, 0}));
  EXPECT_EQ(s.digit_changes[1], (std::pair<std::uint64_t, int>{1, 1}));
  EXPECT_EQ(s.digit_changes[2], (std::pair<std::uint64_t, int>{2, 2}));
  EXPECT_EQ(r.records[0].level.price.v, 12);
  EXPECT_EQ(r.records[1].level.price.v, 125);
  EXPECT_EQ(r.records[2].trade.price.v, 1225);
  EXPECT_EQ(r.records[3].level.price.v, 1210);
}

TEST(CsvReader, UnknownSymbolTickRuleIsTheFirstThatHoldsEveryPrice) {
  EXPECT_EQ(read("1,1,ZZZ,book,B,23000,1\n").result.symbols[0].spec.type,
            ProductType::kIndexFuture);
  // 45.35 is on the stock ladder (0.05 between 10 and 50).
  EXPECT_EQ(read("1,1,ZZZ,book,B,45.35,1\n").result.symbols[0].spec.type, ProductType::kStock);
  // 586.25 is off the stock ladder (1.00 above 500) but on the ETF one (0.05 above 50).
  EXPECT_EQ(read("1,1,ZZZ,book,B,586.25,1\n").result.symbols[0].spec.type, ProductType::kEtf);
  // 45.5 at scale 10: only the option ladder (0.5 between 10 and 50) holds it.
  EXPECT_EQ(read("1,1,ZZZ,book,B,45.5,1\n").result.symbols[0].spec.type, ProductType::kIndexOption);
  // Nothing holds 1.23456: index future, whose ladder fits any scale (the engine will reject
  // off-tick prices of such a symbol as bad_price; give it a spec with --symbols).
  const Read odd = read("1,1,ZZZ,book,B,1.23456,1\n");
  EXPECT_EQ(odd.result.symbols[0].spec.type, ProductType::kIndexFuture);
  EXPECT_EQ(odd.result.symbols[0].spec.price_scale, 100000);
}

TEST(CsvReader, UnknownSymbolWhosePricesCannotShareAScaleIsRejected) {
  const Read r = read("1,1,ZZZ,book,B,1000000000000000000,1\n2,1,ZZZ,book,B,1.5,1\n");
  EXPECT_EQ(r.result.error,
            "day.csv:3: column 'price': value '1.5' needs a finer price scale at which earlier "
            "prices of the "
            "symbol overflow");
}

TEST(CsvReader, BadRowsDoNotCreateSymbols) {
  const Read r = read("1,1,ZZZ,book,B,x,1\n2,1,TXFD6,book,B,1,1\n", true);
  ASSERT_TRUE(r.result.ok());
  ASSERT_EQ(r.result.symbols.size(), 1u);
  EXPECT_EQ(r.result.symbols[0].spec.code, "TXFD6");
}

TEST(CsvReader, MeasuresTheDeepestBookPerSide) {
  const Read r = read(
      "1,1,TXFD6,book,B,100,1\n1,1,TXFD6,book,B,99,1\n1,1,TXFD6,book,B,98,1\n"
      "2,1,TXFD6,book,S,101,1\n3,1,TXFD6,clear,B,,\n4,1,TXFD6,book,B,100,1\n");
  ASSERT_TRUE(r.result.ok());
  EXPECT_EQ(r.result.symbols[0].max_bid_levels, 3u);
  EXPECT_EQ(r.result.symbols[0].max_ask_levels, 1u);
}

}  // namespace
}  // namespace hft::data
