// Specification of feed::shioaji::Normalizer: Shioaji v1 quote payloads in the bridge's wire
// format (docs/feed.md) → hft events, the pitfalls of shioaji_and_taiwan_markets.md §7 it
// handles, and every reason it rejects a payload for. Instruments: TSMC 2330 (scale 100),
// TXFD6 and the continuous TXFR1 (scale 1; TXFF6 is the real contract behind TXFR1), and the
// option TXO22000F6 (scale 10).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>

#include "hft/core/contract.hpp"
#include "hft/feed/shioaji/normalizer.hpp"
#include "hft/feed/shioaji/wire_record.hpp"
#include "shioaji_golden.hpp"

namespace hft::feed::shioaji {
namespace {

std::string replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  const std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "test bug: '" << from << "' not in payload";
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

Timestamp taipei(int y, int mo, int d, int h, int mi, int s, std::int64_t ns) {
  return taipei_to_utc(y, mo, d, h, mi, s, ns);
}

class ShioajiNormalizerTest : public ::testing::Test {
 protected:
  ShioajiNormalizerTest() {
    tsmc = *symbols.add(*builtin_contract("2330"));
    txfd6 = *symbols.add(*builtin_contract("TXFD6"));
    txfr1 = *symbols.add(*builtin_contract("TXFR1"));
    txo = *symbols.add(*builtin_contract("TXO22000F6"));
    norm = std::make_unique<Normalizer>(symbols);
    std::string error;
    EXPECT_TRUE(norm->add_alias("TXFF6", "TXFR1", &error)) << error;
  }

  bool decode(std::string_view payload, Timestamp local_ts = 0) {
    return norm->decode(payload, local_ts, out);
  }

  void expect_rejected(std::string_view payload, RejectReason reason, Timestamp local_ts = 0) {
    const std::uint64_t before = norm->rejected(reason);
    EXPECT_FALSE(decode(payload, local_ts)) << payload;
    EXPECT_EQ(norm->last_reject(), reason)
        << "got " << to_string(norm->last_reject()) << " for " << payload;
    EXPECT_EQ(norm->rejected(reason), before + 1);
    EXPECT_EQ(out.count, 0);
  }

  const TradeEvent& trade(int i = 0) const { return out.events[i].trade; }
  const BookSnapshot& book(int i = 0) const { return out.events[i].snapshot; }

  SymbolTable symbols;
  SymbolId tsmc = 0, txfd6 = 0, txfr1 = 0, txo = 0;
  std::unique_ptr<Normalizer> norm;
  Decoded out;
};

// ---------------------------------------------------------------- golden payloads, per type

TEST_F(ShioajiNormalizerTest, TickStkBecomesATradeAtTheStockScale) {
  const Timestamp exch = taipei(2026, 6, 1, 9, 0, 0, 123456000);
  ASSERT_TRUE(decode(golden::kTickStk, exch + 3'000'000));
  ASSERT_EQ(out.count, 1);
  const TradeEvent& t = trade();
  EXPECT_EQ(t.h.type, EventType::kTrade);
  EXPECT_EQ(t.h.symbol, tsmc);
  EXPECT_EQ(t.h.exch_ts, exch) << "naive datetime is Taipei local time (pitfall 11)";
  EXPECT_EQ(t.h.local_ts, exch + 3'000'000);
  EXPECT_EQ(t.h.flags, kFlagLastInBatch);
  EXPECT_EQ(t.price, Price{58600});
  EXPECT_EQ(t.qty, 1);
  EXPECT_EQ(t.total_volume, 2);
  EXPECT_TRUE(t.aggressor_known);
  EXPECT_EQ(t.aggressor, Side::kBuy) << "tick_type 1 = outer, buy-initiated (§3.3)";
  EXPECT_EQ(norm->accepted(), 1U);
  EXPECT_EQ(norm->accepted(PayloadType::kTickStk), 1U);
}

TEST_F(ShioajiNormalizerTest, TickFopInSseShapeUsesDateAndTimeStrings) {
  ASSERT_TRUE(decode(golden::kTickFop));
  ASSERT_EQ(out.count, 1);
  const TradeEvent& t = trade();
  EXPECT_EQ(t.h.symbol, txfd6);
  EXPECT_EQ(t.h.exch_ts, taipei(2026, 4, 1, 18, 33, 18, 84000000));
  EXPECT_EQ(t.price, Price{33438});
  EXPECT_EQ(t.qty, 1);
  EXPECT_EQ(t.total_volume, 21748);
  EXPECT_FALSE(t.aggressor_known) << "tick_type 0 = undetermined";
}

TEST_F(ShioajiNormalizerTest, TickTypeTwoIsSellInitiated) {
  ASSERT_TRUE(decode(replace(golden::kTickStk, R"("tick_type":1)", R"("tick_type":2)")));
  EXPECT_TRUE(trade().aggressor_known);
  EXPECT_EQ(trade().aggressor, Side::kSell);
}

TEST_F(ShioajiNormalizerTest, BidAskStkBecomesAFiveLevelSnapshot) {
  ASSERT_TRUE(decode(golden::kBidAskStk));
  ASSERT_EQ(out.count, 1);
  const BookSnapshot& b = book();
  EXPECT_EQ(b.h.type, EventType::kBookSnapshot);
  EXPECT_EQ(b.h.symbol, tsmc);
  EXPECT_EQ(b.h.exch_ts, taipei(2026, 6, 1, 9, 0, 1, 123000));
  EXPECT_EQ(b.h.flags, kFlagLastInBatch);
  const std::int64_t bid_px[] = {58500, 58400, 58300, 58200, 58100};
  const Qty bid_qty[] = {120, 50, 33, 10, 2};
  const std::int64_t ask_px[] = {58600, 58700, 58800, 58900, 59000};
  const Qty ask_qty[] = {80, 41, 60, 7, 15};
  for (int l = 0; l < kBookDepth; ++l) {
    EXPECT_EQ(b.bid_px[l], Price{bid_px[l]}) << l;
    EXPECT_EQ(b.bid_qty[l], bid_qty[l]) << l;
    EXPECT_EQ(b.ask_px[l], Price{ask_px[l]}) << l;
    EXPECT_EQ(b.ask_qty[l], ask_qty[l]) << l;
  }
}

TEST_F(ShioajiNormalizerTest, BidAskFopBecomesASnapshotAtTheFuturesScale) {
  ASSERT_TRUE(decode(golden::kBidAskFop));
  ASSERT_EQ(out.count, 1);
  const BookSnapshot& b = book();
  EXPECT_EQ(b.h.symbol, txfr1) << "TXFF6 is the real contract behind the configured TXFR1";
  EXPECT_EQ(b.h.exch_ts, taipei(2026, 6, 1, 8, 45, 0, 512000000));
  EXPECT_EQ(b.bid_px[0], Price{22001});
  EXPECT_EQ(b.bid_qty[0], 3);
  EXPECT_EQ(b.bid_px[4], Price{21997});
  EXPECT_EQ(b.ask_px[0], Price{22002});
  EXPECT_EQ(b.ask_qty[4], 30);
  EXPECT_EQ(norm->accepted(PayloadType::kBidAskFop), 1U);
}

TEST_F(ShioajiNormalizerTest, QuoteStkBecomesATradeThenItsBook) {
  ASSERT_TRUE(decode(golden::kQuoteStk));
  ASSERT_EQ(out.count, 2);
  EXPECT_EQ(trade(0).h.type, EventType::kTrade);
  EXPECT_EQ(trade(0).price, Price{58600});
  EXPECT_EQ(trade(0).qty, 3);
  EXPECT_EQ(trade(0).total_volume, 5);
  EXPECT_EQ(trade(0).aggressor, Side::kSell);
  EXPECT_EQ(trade(0).h.flags, 0) << "only the last event of a payload closes the batch";
  EXPECT_EQ(book(1).h.type, EventType::kBookSnapshot);
  EXPECT_EQ(book(1).h.flags, kFlagLastInBatch);
  EXPECT_EQ(book(1).bid_qty[0], 117);
  EXPECT_EQ(book(1).ask_qty[0], 77);
  EXPECT_EQ(trade(0).h.exch_ts, book(1).h.exch_ts);
  EXPECT_LT(trade(0).h.seq, book(1).h.seq);
}

TEST_F(ShioajiNormalizerTest, QuoteThatOnlyMovesTheBookEmitsNoTrade) {
  ASSERT_TRUE(decode(golden::kQuoteStk));
  // Same session volume, new book: the quote repeats the last trade's fields.
  ASSERT_TRUE(decode(replace(golden::kQuoteStk, R"("bid_volume":[117,)", R"("bid_volume":[140,)")));
  ASSERT_EQ(out.count, 1);
  EXPECT_EQ(book(0).h.type, EventType::kBookSnapshot);
  EXPECT_EQ(book(0).bid_qty[0], 140);
  EXPECT_EQ(book(0).h.flags, kFlagLastInBatch);
}

TEST_F(ShioajiNormalizerTest, QuoteBeforeTheFirstTradeCarriesOnlyTheBook) {
  std::string p = replace(golden::kQuoteStk, R"("close":"586")", R"("close":"0")");
  p = replace(p, R"("volume":3,"total_volume":5)", R"("volume":0,"total_volume":0)");
  ASSERT_TRUE(decode(p));
  ASSERT_EQ(out.count, 1);
  EXPECT_EQ(book(0).h.type, EventType::kBookSnapshot);
}

TEST_F(ShioajiNormalizerTest, QuoteFopOptionPricesAtScaleTen) {
  ASSERT_TRUE(decode(golden::kQuoteFop));
  ASSERT_EQ(out.count, 2);
  EXPECT_EQ(trade(0).h.symbol, txo);
  EXPECT_EQ(trade(0).price, Price{4155});
  EXPECT_EQ(book(1).bid_px[1], Price{4145});
  EXPECT_EQ(book(1).ask_px[4], Price{4180});
}

TEST_F(ShioajiNormalizerTest, EmptyLevelsArePriceZeroVolumeZeroAtTheBottom) {
  const std::string p =
      replace(golden::kBidAskStk, R"("ask_price":["586","587","588","589","590"])",
              R"("ask_price":["586","587","0","0","0"])");
  ASSERT_TRUE(
      decode(replace(p, R"("ask_volume":[80,41,60,7,15])", R"("ask_volume":[80,41,0,0,0])")));
  EXPECT_EQ(book().ask_px[1], Price{58700});
  EXPECT_EQ(book().ask_px[2], Price{0});
  EXPECT_EQ(book().ask_qty[2], 0);
}

TEST_F(ShioajiNormalizerTest, ShorterArraysLeaveTheMissingLevelsEmpty) {
  std::string p = replace(golden::kBidAskStk, R"(["585","584","583","582","581"])", R"(["585"])");
  ASSERT_TRUE(decode(replace(p, "[120,50,33,10,2]", "[120]")));
  EXPECT_EQ(book().bid_px[0], Price{58500});
  EXPECT_EQ(book().bid_px[1], Price{0});
}

TEST_F(ShioajiNormalizerTest, PricesMayAlsoArriveAsJsonNumbers) {
  ASSERT_TRUE(decode(replace(golden::kTickStk, R"("close":"586")", R"("close":586.50)")));
  EXPECT_EQ(trade().price, Price{58650});
}

TEST_F(ShioajiNormalizerTest, KeyOrderAndWhitespaceDoNotMatter) {
  const std::string p =
      " { \"data\" : { \"total_volume\" : 9 , \"volume\" : 2 , \"close\" : \"33440\" ,"
      " \"time\" : \"09:00:00\" , \"date\" : \"2026-04-01\" , \"code\" : \"TXFD6\" } ,"
      " \"type\" : \"tick_fop\" }\r\n";
  ASSERT_TRUE(decode(p));
  EXPECT_EQ(trade().price, Price{33440});
  EXPECT_EQ(trade().h.exch_ts, taipei(2026, 4, 1, 9, 0, 0, 0));
}

TEST_F(ShioajiNormalizerTest, SequenceNumbersIncreaseAcrossPayloads) {
  ASSERT_TRUE(decode(golden::kTickStk));
  const std::uint32_t first = trade().h.seq;
  ASSERT_TRUE(decode(golden::kBidAskStk));
  EXPECT_EQ(book().h.seq, first + 1);
}

// ---------------------------------------------------------------- pitfalls (reference §7)

TEST_F(ShioajiNormalizerTest, SimtradeTickIsFlaggedAndNeverCountsAsATrade) {  // pitfall 19
  const std::string sim = replace(golden::kTickStk, R"("simtrade":false)", R"("simtrade":true)");
  ASSERT_TRUE(decode(sim));
  EXPECT_EQ(trade().h.flags & kFlagSimTrade, kFlagSimTrade);
  EXPECT_EQ(trade().total_volume, 0) << "a trial match adds nothing to the session volume";
  EXPECT_EQ(norm->simtrade_payloads(), 1U);
  // The trial tick does not advance the real trade stream: the real print with the same
  // session volume is not mistaken for a duplicate.
  ASSERT_TRUE(decode(golden::kTickStk));
  EXPECT_EQ(trade().h.flags & kFlagSimTrade, 0);
}

TEST_F(ShioajiNormalizerTest, SimtradeTickWithZeroVolumeIsAccepted) {
  std::string sim = replace(golden::kTickStk, R"("simtrade":false)", R"("simtrade":true)");
  ASSERT_TRUE(decode(replace(sim, R"("volume":1,)", R"("volume":0,)")));
  EXPECT_EQ(trade().qty, 0);
}

TEST_F(ShioajiNormalizerTest, SimtradeBookIsFlagged) {
  ASSERT_TRUE(decode(replace(golden::kBidAskStk, R"("simtrade":false)", R"("simtrade":true)")));
  EXPECT_EQ(book().h.flags, kFlagSimTrade | kFlagLastInBatch);
}

TEST_F(ShioajiNormalizerTest, IntradayOddLotVolumesAreSharesAndFlagged) {  // §3.3
  std::string odd = replace(golden::kTickStk, R"("intraday_odd":false)", R"("intraday_odd":true)");
  odd = replace(odd, R"("volume":1,"total_volume":2)", R"("volume":37,"total_volume":2)");
  ASSERT_TRUE(decode(odd));
  EXPECT_EQ(trade().h.flags & kFlagOddLot, kFlagOddLot);
  EXPECT_EQ(trade().qty, 37) << "shares, not lots";
  EXPECT_EQ(norm->odd_lot_payloads(), 1U);
  // The odd-lot board is its own stream: the board-lot tick with the same time and session
  // volume is not a duplicate of it.
  ASSERT_TRUE(decode(golden::kTickStk));
  EXPECT_EQ(trade().h.flags & kFlagOddLot, 0);
  EXPECT_EQ(trade().qty, 1);
}

TEST_F(ShioajiNormalizerTest, OddLotTopicMarksTheBoardWhenTheFlagIsAbsent) {
  std::string p = replace(golden::kBidAskStk, "QUO/v1/STK/", "QUO/v1/ODD/");
  ASSERT_TRUE(decode(replace(p, R"(,"intraday_odd":false)", "")));
  EXPECT_EQ(book().h.flags & kFlagOddLot, kFlagOddLot);
}

TEST_F(ShioajiNormalizerTest, ContinuousCodeAliasMapsTheRealContract) {  // pitfall 17
  ASSERT_TRUE(decode(golden::kBidAskFop));
  EXPECT_EQ(book().h.symbol, txfr1);
  // A payload that carries the continuous code itself is the configured symbol as well.
  ASSERT_TRUE(decode(replace(replace(golden::kBidAskFop, R"("code":"TXFF6")", R"("code":"TXFR1")"),
                             "08:45:00.512", "08:45:00.513")));
  EXPECT_EQ(book().h.symbol, txfr1);
}

TEST_F(ShioajiNormalizerTest, WithoutTheAliasTheRealContractIsUnknown) {
  norm->clear_aliases();
  expect_rejected(golden::kBidAskFop, RejectReason::kUnknownSymbol);
}

TEST_F(ShioajiNormalizerTest, RollReplacesTheAliasTarget) {
  SymbolTable more;
  more.add(*builtin_contract("TXFR1"));
  more.add(*builtin_contract("TXFR2"));
  Normalizer n(more);
  ASSERT_TRUE(n.add_alias("TXFF6", "TXFR1"));
  ASSERT_TRUE(n.add_alias("TXFG6", "TXFR2"));
  ASSERT_TRUE(n.decode(replace(golden::kBidAskFop, "TXFF6\",\"date", "TXFG6\",\"date"), 0, out));
  EXPECT_EQ(book().h.symbol, *more.find("TXFR2"));
  // Roll day: TXFG6 becomes the near month.
  ASSERT_TRUE(n.add_alias("TXFG6", "TXFR1"));
  ASSERT_TRUE(n.decode(replace(golden::kBidAskFop, "TXFF6\",\"date", "TXFG6\",\"date"), 0, out) ||
              n.last_reject() == RejectReason::kDuplicate);
  ASSERT_TRUE(n.decode(replace(replace(golden::kBidAskFop, "TXFF6\",\"date", "TXFG6\",\"date"),
                               "08:45:00.512", "08:45:01.000"),
                       0, out));
  EXPECT_EQ(book().h.symbol, *more.find("TXFR1"));
}

TEST_F(ShioajiNormalizerTest, AliasesThatCannotWorkAreRefused) {
  std::string error;
  EXPECT_FALSE(norm->add_alias("TXFG6", "TXFR9", &error));
  EXPECT_NE(error.find("TXFR9"), std::string::npos) << error;
  EXPECT_FALSE(norm->add_alias("TXFD6", "TXFR1", &error)) << "TXFD6 is a configured symbol";
  EXPECT_FALSE(norm->add_alias("", "TXFR1", &error));
  EXPECT_FALSE(norm->add_alias("ABCDEFGHIJKLMNOPQ", "TXFR1", &error));
}

TEST_F(ShioajiNormalizerTest, TimestampOneUtcOffsetAheadIsCorrected) {  // pitfall 13
  // A bridge that stamped Taipei wall-clock time as UTC ("Z") puts the payload 8 h ahead.
  const Timestamp real = taipei(2026, 6, 1, 9, 0, 0, 123456000);
  const std::string p = replace(golden::kTickStk, "09:00:00.123456", "09:00:00.123456Z");
  ASSERT_TRUE(decode(p, real + 2'000'000));
  EXPECT_EQ(trade().h.exch_ts, real);
  EXPECT_EQ(norm->corrected_timestamps(), 1U);
}

TEST_F(ShioajiNormalizerTest, IntegerTsAheadByTheOffsetIsCorrected) {  // pitfalls 12 and 13
  // Historical `ts` is Taipei wall-clock encoded as UTC ns.
  const Timestamp real = taipei(2026, 4, 1, 18, 33, 18, 84000000);
  std::string p = replace(golden::kTickFop, R"("date":"2026-04-01","time":"18:33:18.084000",)",
                          R"("ts":)" + std::to_string(real + kTaipeiOffsetNs) + ",");
  ASSERT_TRUE(decode(p, real + 1'000'000)) << to_string(norm->last_reject());
  EXPECT_EQ(trade().h.exch_ts, real);
  EXPECT_EQ(norm->corrected_timestamps(), 1U);
}

TEST_F(ShioajiNormalizerTest, TimestampAheadByAnythingElseIsRejected) {
  const Timestamp real = taipei(2026, 6, 1, 9, 0, 0, 123456000);
  expect_rejected(golden::kTickStk, RejectReason::kFutureTimestamp, real - 2 * kNsPerHour);
  expect_rejected(golden::kTickStk, RejectReason::kFutureTimestamp, real - 61 * kNsPerSec);
  EXPECT_TRUE(decode(golden::kTickStk, real - 59 * kNsPerSec)) << "within the skew tolerance";
}

TEST_F(ShioajiNormalizerTest, CorrectionCanBeSwitchedOff) {
  NormalizerConfig cfg;
  cfg.correct_utc_offset_lead = false;
  Normalizer strict(symbols, cfg);
  const Timestamp real = taipei(2026, 6, 1, 9, 0, 0, 123456000);
  const std::string p = replace(golden::kTickStk, "09:00:00.123456", "09:00:00.123456Z");
  EXPECT_FALSE(strict.decode(p, real, out));
  EXPECT_EQ(strict.last_reject(), RejectReason::kFutureTimestamp);
}

TEST_F(ShioajiNormalizerTest, ExplicitOffsetsAreHonoured) {
  const Timestamp real = taipei(2026, 6, 1, 9, 0, 0, 123456000);
  ASSERT_TRUE(decode(replace(golden::kTickStk, "09:00:00.123456", "09:00:00.123456+08:00")));
  EXPECT_EQ(trade().h.exch_ts, real);
  ASSERT_TRUE(decode(
      replace(replace(golden::kTickStk, "2026-06-01 09:00:00.123456", "2026-06-01T01:00:00.5Z"),
              R"("total_volume":2)", R"("total_volume":3)")));
  EXPECT_EQ(trade().h.exch_ts, real - 123456000 + 500000000);
}

TEST_F(ShioajiNormalizerTest, RepeatedTickIsADuplicate) {
  ASSERT_TRUE(decode(golden::kTickStk));
  expect_rejected(golden::kTickStk, RejectReason::kDuplicate);
  EXPECT_EQ(norm->accepted(), 1U);
}

TEST_F(ShioajiNormalizerTest, RepeatedBookIsADuplicateButANewBookAtTheSameTimeIsNot) {
  ASSERT_TRUE(decode(golden::kBidAskFop));
  expect_rejected(golden::kBidAskFop, RejectReason::kDuplicate);
  // TAIFEX stamps in milliseconds: several real updates share one timestamp.
  EXPECT_TRUE(decode(replace(golden::kBidAskFop, "[3,13,8,20,22]", "[4,13,8,20,22]")));
}

TEST_F(ShioajiNormalizerTest, OlderTickIsOutOfOrder) {
  ASSERT_TRUE(decode(golden::kTickStk));
  std::string older = replace(golden::kTickStk, "09:00:00.123456", "09:00:00.100000");
  expect_rejected(replace(older, R"("total_volume":2)", R"("total_volume":1)"),
                  RejectReason::kOutOfOrder);
}

TEST_F(ShioajiNormalizerTest, TickWithLowerSessionVolumeAtTheSameTimeIsOutOfOrder) {
  ASSERT_TRUE(
      decode(replace(golden::kTickFop, R"("total_volume":21748)", R"("total_volume":21750)")));
  expect_rejected(golden::kTickFop, RejectReason::kOutOfOrder);
}

TEST_F(ShioajiNormalizerTest, SessionVolumeRestartsAfterASessionGap) {
  ASSERT_TRUE(decode(golden::kTickFop));  // night session, 18:33
  const std::string next_day = replace(replace(golden::kTickFop, "2026-04-01", "2026-04-02"),
                                       R"("total_volume":21748)", R"("total_volume":3)");
  EXPECT_TRUE(decode(next_day));
}

TEST_F(ShioajiNormalizerTest, OlderBookIsOutOfOrder) {
  ASSERT_TRUE(decode(golden::kBidAskStk));
  expect_rejected(replace(golden::kBidAskStk, "09:00:01.000123", "09:00:00.999999"),
                  RejectReason::kOutOfOrder);
}

TEST_F(ShioajiNormalizerTest, TickAndBookStreamsAreOrderedSeparately) {
  ASSERT_TRUE(decode(golden::kBidAskStk));  // 09:00:01
  EXPECT_TRUE(decode(golden::kTickStk)) << "an earlier tick after a later book is not stale";
}

// ---------------------------------------------------------------- every reject reason

TEST_F(ShioajiNormalizerTest, RejectsMalformedJson) {
  expect_rejected("", RejectReason::kMalformed);
  expect_rejected("not json", RejectReason::kMalformed);
  expect_rejected(R"([1,2])", RejectReason::kMalformed);
  expect_rejected(std::string(golden::kTickStk) + "}", RejectReason::kMalformed);
  expect_rejected(std::string(golden::kTickStk) + "\n{}", RejectReason::kMalformed);
  expect_rejected(replace(golden::kTickStk, R"("open":"585",)", R"("open":"585",,)"),
                  RejectReason::kMalformed);
  expect_rejected(replace(golden::kTickStk, R"("code":"2330")",
                          R"("code":"23)"
                          "\x01"
                          R"(30")"),
                  RejectReason::kMalformed);
  expect_rejected(replace(golden::kTickStk, R"("suspend":false)", R"("suspend":fals)"),
                  RejectReason::kMalformed);
  expect_rejected(replace(golden::kTickStk, R"("amount":"586000")", R"("amount":01.e)"),
                  RejectReason::kMalformed);
  expect_rejected(R"({"type":"tick_stk","data":{},"data":{}})", RejectReason::kMalformed);
}

TEST_F(ShioajiNormalizerTest, MalformedRejectReportsTheByteOffset) {
  const std::string p = replace(golden::kTickStk, R"("open":"585",)", R"("open":"585";)");
  expect_rejected(p, RejectReason::kMalformed);
  EXPECT_EQ(norm->last_error_offset(), p.find(';'));
}

TEST_F(ShioajiNormalizerTest, RejectsDeepNesting) {
  std::string deep = R"({"type":"tick_stk","x":)";
  for (int i = 0; i < 100; ++i) deep += "[";
  expect_rejected(deep, RejectReason::kMalformed);
}

TEST_F(ShioajiNormalizerTest, RejectsOversizedPayload) {
  std::string big = replace(golden::kTickStk, R"("open":"585",)",
                            R"("note":")" + std::string(5000, 'x') + R"(",)");
  expect_rejected(big, RejectReason::kOversized);
}

TEST_F(ShioajiNormalizerTest, RejectsPayloadWithoutARequiredField) {
  expect_rejected(replace(golden::kTickStk, R"("type":"tick_stk",)", ""),
                  RejectReason::kMissingField);
  expect_rejected(R"({"type":"tick_stk"})", RejectReason::kMissingField);
  expect_rejected(replace(golden::kTickStk, R"("code":"2330",)", ""), RejectReason::kMissingField);
  expect_rejected(replace(golden::kTickStk, R"("datetime":"2026-06-01 09:00:00.123456",)", ""),
                  RejectReason::kMissingField);
  expect_rejected(replace(golden::kTickFop, R"("date":"2026-04-01",)", ""),
                  RejectReason::kMissingField);
  expect_rejected(replace(golden::kTickStk, R"("close":"586",)", ""), RejectReason::kMissingField);
  expect_rejected(replace(golden::kTickStk, R"("volume":1,)", ""), RejectReason::kMissingField);
  expect_rejected(replace(golden::kTickFop, R"("total_volume":21748,)", ""),
                  RejectReason::kMissingField);
  expect_rejected(replace(golden::kBidAskStk, R"("ask_volume":[80,41,60,7,15],)", ""),
                  RejectReason::kMissingField);
  expect_rejected(replace(golden::kQuoteStk, R"("bid_price":["585","584","583","582","581"],)", ""),
                  RejectReason::kMissingField);
}

TEST_F(ShioajiNormalizerTest, RejectsFieldOfTheWrongTypeOrRange) {
  expect_rejected(replace(golden::kTickStk, R"("tick_type":1)", R"("tick_type":7)"),
                  RejectReason::kBadField);
  expect_rejected(replace(golden::kTickStk, R"("tick_type":1)", R"("tick_type":1.5)"),
                  RejectReason::kBadField);
  expect_rejected(replace(golden::kTickStk, R"("simtrade":false)", R"("simtrade":"no")"),
                  RejectReason::kBadField);
  expect_rejected(replace(golden::kTickStk, R"("intraday_odd":false)", R"("intraday_odd":0)"),
                  RejectReason::kBadField);
  expect_rejected(replace(golden::kTickStk, R"("code":"2330")", R"("code":2330)"),
                  RejectReason::kBadField);
  expect_rejected(replace(golden::kTickStk, R"("type":"tick_stk")", R"("type":1)"),
                  RejectReason::kBadField);
  expect_rejected(R"({"type":"tick_stk","data":[1]})", RejectReason::kBadField);
  expect_rejected(replace(golden::kTickStk, R"("datetime":"2026-06-01 09:00:00.123456")",
                          R"("datetime":[2026,6,1,9,0,0,123456])"),
                  RejectReason::kBadField);
  expect_rejected(replace(golden::kBidAskStk, "[120,50,33,10,2]", "[120,50,33,10,2,1]"),
                  RejectReason::kBadField);
  expect_rejected(replace(golden::kBidAskStk, "[120,50,33,10,2]", "[120,50,33,10]"),
                  RejectReason::kBadField);  // pitfall 15: arrays of unequal length
  expect_rejected(replace(golden::kBidAskStk, "[120,50,33,10,2]", R"({"0":120})"),
                  RejectReason::kBadField);
}

TEST_F(ShioajiNormalizerTest, RejectsUnknownPayloadType) {
  expect_rejected(replace(golden::kTickStk, R"("type":"tick_stk")", R"("type":"quote_idx")"),
                  RejectReason::kUnknownType);
  expect_rejected(replace(golden::kTickStk, R"("type":"tick_stk")", R"("type":"tick_st\u006b")"),
                  RejectReason::kUnknownType);
}

TEST_F(ShioajiNormalizerTest, RejectsUnknownSymbol) {
  expect_rejected(replace(golden::kTickStk, R"("code":"2330")", R"("code":"9999")"),
                  RejectReason::kUnknownSymbol);
  expect_rejected(replace(golden::kTickStk, R"("code":"2330")", R"("code":"")"),
                  RejectReason::kUnknownSymbol);
  expect_rejected(
      replace(golden::kTickStk, R"("code":"2330")", R"("code":"2330xxxxxxxxxxxxxxxxx")"),
      RejectReason::kUnknownSymbol);
  expect_rejected(replace(golden::kTickStk, R"("code":"2330")", R"("code":"23\u003330")"),
                  RejectReason::kUnknownSymbol);
}

TEST_F(ShioajiNormalizerTest, RejectsInvalidTimestamps) {
  for (const char* bad :
       {"2026-13-01 09:00:00", "2026-02-29 09:00:00", "2026-06-01 24:00:00", "2026-06-01 09:60:00",
        "2026-06-01 09:00:60", "2026/06/01 09:00:00", "2026-06-01", "2026-06-01 09:00:00.",
        "2026-06-01 09:00:00.1234567890", "2026-06-01 09:00:00+8", "2026-06-01 09:00:00 ",
        "1969-12-31 23:59:59", "2026-06-01 9:00:00.123"}) {
    expect_rejected(replace(golden::kTickStk, "2026-06-01 09:00:00.123456", bad),
                    RejectReason::kBadTimestamp);
  }
  expect_rejected(replace(golden::kTickFop, "18:33:18.084000", "18:33"),
                  RejectReason::kBadTimestamp);
  expect_rejected(
      replace(golden::kTickFop, R"("date":"2026-04-01","time":"18:33:18.084000",)", R"("ts":-5,)"),
      RejectReason::kBadTimestamp);
}

TEST_F(ShioajiNormalizerTest, AcceptsTheLeapDay) {
  ASSERT_TRUE(decode(replace(golden::kTickStk, "2026-06-01", "2028-02-29")));
  EXPECT_EQ(trade().h.exch_ts, taipei(2028, 2, 29, 9, 0, 0, 123456000));
}

TEST_F(ShioajiNormalizerTest, RejectsPricesTheScaleCannotRepresent) {
  expect_rejected(replace(golden::kTickStk, R"("close":"586")", R"("close":"586.125")"),
                  RejectReason::kBadPrice);
  expect_rejected(replace(golden::kBidAskFop, R"("22001")", R"("22001.5")"),
                  RejectReason::kBadPrice);
  // Trailing zeros beyond the scale are exact and fine.
  EXPECT_TRUE(decode(replace(golden::kTickStk, R"("close":"586")", R"("close":"586.0000")")));
}

TEST_F(ShioajiNormalizerTest, RejectsNumbersWithTooManyDigits) {
  expect_rejected(
      replace(golden::kTickStk, R"("close":"586")", R"("close":"12345678901234567890")"),
      RejectReason::kBadPrice);
  expect_rejected(
      replace(golden::kTickStk, R"("close":"586")", R"("close":"586.0000000000000000001")"),
      RejectReason::kBadPrice);
  expect_rejected(replace(golden::kTickStk, R"("volume":1,)", R"("volume":12345678901234567890,)"),
                  RejectReason::kBadQty);
  expect_rejected(replace(golden::kTickStk, R"("volume":1,)", R"("volume":9999999999999999999,)"),
                  RejectReason::kBadQty);  // 19 digits, above INT64_MAX
  // 18 digits that overflow once scaled by 100.
  expect_rejected(replace(golden::kTickStk, R"("close":"586")", R"("close":"999999999999999999")"),
                  RejectReason::kBadPrice);
}

TEST_F(ShioajiNormalizerTest, RejectsOtherBadPrices) {
  for (const char* bad : {R"("-586")", R"("abc")", R"("")", R"("5.8e2")", R"(5.86e2)", R"("0")",
                          R"(null)", R"(".5")", R"("586.")", R"("+586")", R"(" 586")"}) {
    expect_rejected(replace(golden::kTickStk, R"("close":"586")", std::string(R"("close":)") + bad),
                    RejectReason::kBadPrice);
  }
  expect_rejected(replace(golden::kTickStk, R"("close":"586")", R"("close":true)"),
                  RejectReason::kBadPrice);
}

TEST_F(ShioajiNormalizerTest, RejectsBooksWithInconsistentLevels) {
  // Price 0 with a volume, unsorted levels, a level below an empty one.
  expect_rejected(replace(golden::kBidAskStk, R"(["585","584","583","582","581"])",
                          R"(["585","0","583","582","581"])"),
                  RejectReason::kBadPrice);
  expect_rejected(replace(golden::kBidAskStk, R"(["585","584","583","582","581"])",
                          R"(["585","586","583","582","581"])"),
                  RejectReason::kBadPrice);
  expect_rejected(replace(golden::kBidAskStk, R"(["586","587","588","589","590"])",
                          R"(["586","587","587","589","590"])"),
                  RejectReason::kBadPrice);
  std::string gap = replace(golden::kBidAskStk, R"(["586","587","588","589","590"])",
                            R"(["586","0","588","589","590"])");
  expect_rejected(replace(gap, "[80,41,60,7,15]", "[80,0,60,7,15]"), RejectReason::kBadPrice);
}

TEST_F(ShioajiNormalizerTest, RejectsBadQuantities) {
  expect_rejected(replace(golden::kTickStk, R"("volume":1,)", R"("volume":-1,)"),
                  RejectReason::kBadQty);
  expect_rejected(replace(golden::kTickStk, R"("volume":1,)", R"("volume":1.5,)"),
                  RejectReason::kBadQty);
  expect_rejected(replace(golden::kTickStk, R"("volume":1,)", R"("volume":0,)"),
                  RejectReason::kBadQty);  // a real trade has a volume
  expect_rejected(replace(golden::kTickStk, R"("total_volume":2)", R"("total_volume":"many")"),
                  RejectReason::kBadQty);
  expect_rejected(replace(golden::kBidAskStk, "[120,50,33,10,2]", "[120,-50,33,10,2]"),
                  RejectReason::kBadQty);
  // Integral volumes may come as strings or with a zero fraction.
  EXPECT_TRUE(decode(replace(golden::kTickStk, R"("volume":1,)", R"("volume":"1.0",)")));
}

TEST_F(ShioajiNormalizerTest, EveryDecodeReasonHasAMetricName) {
  for (RejectReason r :
       {RejectReason::kMalformed, RejectReason::kOversized, RejectReason::kMissingField,
        RejectReason::kBadField, RejectReason::kBadTimestamp, RejectReason::kFutureTimestamp,
        RejectReason::kDuplicate, RejectReason::kOutOfOrder}) {
    EXPECT_STRNE(to_string(r), "unknown");
  }
  EXPECT_STREQ(to_string(RejectReason::kOutOfOrder), "out_of_order");
  EXPECT_STREQ(to_string(PayloadType::kBidAskFop), "bidask_fop");
}

// ---------------------------------------------------------------- robustness

TEST_F(ShioajiNormalizerTest, EveryTruncationOfEveryGoldenIsRejectedAsMalformed) {
  for (std::string_view g : golden::kAll) {
    for (std::size_t n = 0; n < g.size(); ++n) {
      // A fresh heap copy of exactly n bytes so ASan catches a read past the end.
      const std::unique_ptr<char[]> copy(new char[n == 0 ? 1 : n]);
      std::copy_n(g.data(), n, copy.get());
      ASSERT_FALSE(norm->decode(std::string_view(copy.get(), n), 0, out)) << g.substr(0, n);
      ASSERT_EQ(norm->last_reject(), RejectReason::kMalformed) << g.substr(0, n);
      ASSERT_EQ(out.count, 0);
    }
  }
}

TEST_F(ShioajiNormalizerTest, StreamContinuesAfterRejects) {
  expect_rejected("{", RejectReason::kMalformed);
  expect_rejected(replace(golden::kTickStk, R"("close":"586")", R"("close":"x")"),
                  RejectReason::kBadPrice);
  EXPECT_TRUE(decode(golden::kTickStk));
  EXPECT_EQ(norm->accepted(), 1U);
  EXPECT_EQ(norm->rejected_total(), 2U);
}

TEST_F(ShioajiNormalizerTest, RejectedPayloadDoesNotAdvanceTheStream) {
  const std::string later_bad = replace(replace(golden::kTickStk, "09:00:00.123456", "09:00:05"),
                                        R"("close":"586")", R"("close":"586.001")");
  expect_rejected(later_bad, RejectReason::kBadPrice);
  EXPECT_TRUE(decode(golden::kTickStk)) << "the rejected later payload left no ordering state";
}

TEST_F(ShioajiNormalizerTest, LastRejectedPayloadIsKeptForTheColdPath) {
  RejectSample sample;
  EXPECT_FALSE(norm->take_reject_sample(sample)) << "nothing rejected yet";
  const std::string bad = replace(golden::kTickStk, R"("close":"586")", R"("close":"x")");
  const Timestamp now = taipei(2026, 6, 1, 9, 0, 0, 200000000);
  expect_rejected("garbage", RejectReason::kMalformed, now - 1);
  expect_rejected(bad, RejectReason::kBadPrice, now);
  ASSERT_TRUE(norm->take_reject_sample(sample));
  EXPECT_EQ(sample.reason, RejectReason::kBadPrice);
  EXPECT_EQ(sample.local_ts, now);
  EXPECT_EQ(sample.rejects_since_previous, 2U);
  EXPECT_EQ(sample.payload_size, bad.size());
  EXPECT_EQ(sample.length, RejectSample::kBytes) << "only a bounded prefix is kept";
  EXPECT_EQ(std::string_view(sample.bytes, sample.length), std::string_view(bad).substr(0, 256));
  EXPECT_FALSE(norm->take_reject_sample(sample)) << "taken once";

  expect_rejected("{\"a\":\x01}", RejectReason::kMalformed);
  ASSERT_TRUE(norm->take_reject_sample(sample));
  const std::string line = describe(sample);
  EXPECT_NE(line.find("reason=malformed"), std::string::npos) << line;
  EXPECT_NE(line.find("at byte 5"), std::string::npos) << line;
  EXPECT_NE(line.find("\\x01"), std::string::npos) << "non-printables escaped: " << line;
}

// ---- The fast paths (64-byte window arrays, packed keys, the date cache) decide exactly as
// the general scanner: these payloads take them (long enough after each array) and must give
// the documented results. ----

TEST_F(ShioajiNormalizerTest, WindowArraysAcceptMixedQuotingAndDecimals) {
  std::string p = replace(golden::kBidAskStk, R"(["585","584","583","582","581"])",
                          R"(["585.5",584.5,"583",582,"0.5"])");
  ASSERT_TRUE(decode(p));
  EXPECT_EQ(book().bid_px[0], Price{58550});
  EXPECT_EQ(book().bid_px[1], Price{58450});
  EXPECT_EQ(book().bid_px[2], Price{58300});
  EXPECT_EQ(book().bid_px[3], Price{58200});
  EXPECT_EQ(book().bid_px[4], Price{50});
  // 18 digits fit a mantissa (and overflow at the scale), 19 are too many.
  expect_rejected(replace(golden::kBidAskStk, R"("586")", R"("123456789012345678")"),
                  RejectReason::kBadPrice);
  expect_rejected(replace(golden::kBidAskStk, R"("586")", R"("1234567890123456789")"),
                  RejectReason::kBadPrice);
  ASSERT_TRUE(
      decode(replace(replace(golden::kBidAskStk, "2026-06-01 09:00:01", "2026-06-01 09:00:02"),
                     R"("586")", R"("000000000000000586.0")")));
  EXPECT_EQ(book().ask_px[0], Price{58600});
}

TEST_F(ShioajiNormalizerTest, WindowArraysRejectWhatTheGeneralScannerRejects) {
  const std::string_view prices = R"(["585","584","583","582","581"])";
  for (const char* bad :
       {R"(["585","5.8.4"])", R"(["585","584.","583"])", R"(["585",".5"])", R"(["585","-584"])",
        R"(["585",""])", R"(["585","58"4"])", R"(["58 5"])"}) {
    EXPECT_FALSE(decode(replace(golden::kBidAskStk, prices, bad))) << bad;
    EXPECT_NE(norm->last_reject(), RejectReason::kCount) << bad;
  }
  expect_rejected(replace(golden::kBidAskStk, prices, R"(["585","584"3])"),
                  RejectReason::kMalformed);
  expect_rejected(replace(golden::kBidAskStk, prices, R"(["585",,"584"])"),
                  RejectReason::kMalformed);
  expect_rejected(replace(golden::kBidAskStk, prices, R"(["585","584",])"),
                  RejectReason::kMalformed);
  expect_rejected(replace(golden::kBidAskStk, prices, R"(["585","584","583","582","581","580"])"),
                  RejectReason::kBadField);
  expect_rejected(replace(golden::kBidAskStk, prices, R"(["585","584.5"])"),
                  RejectReason::kBadField);  // two prices, five volumes
}

TEST_F(ShioajiNormalizerTest, SkippedIntegerArraysAreValidatedAsJson) {
  const std::string_view diff = "[3,0,0,-1,0]";
  int second = 0;
  for (const char* ok :
       {"[-0,10,0,-123,7]", "[1e5,2]", "[]", "[ 1 , 2 ]", "[0]", "[\"x\",1]", "[1.5,-2.25]"}) {
    // A new second each time: the same book at the same time would be a duplicate.
    const std::string t = "09:00:0" + std::to_string(2 + second++);
    EXPECT_TRUE(decode(replace(replace(golden::kBidAskStk, "09:00:01", t), diff, ok)))
        << ok << " " << to_string(norm->last_reject());
  }
  for (const char* bad :
       {"[01,2]", "[-,1]", "[1,]", "[1,,2]", "[,1]", "[1-2]", "[--1]", "[-01]", "[1,2", "[00]"}) {
    expect_rejected(replace(golden::kBidAskStk, diff, bad), RejectReason::kMalformed);
  }
}

TEST_F(ShioajiNormalizerTest, KeysAreMatchedByTheirExactBytes) {
  // An escaped spelling is not the key (it is an unknown member, skipped).
  expect_rejected(replace(golden::kBidAskStk, R"("bid_price")", R"("bid\u005fprice")"),
                  RejectReason::kMissingField);
  // A prefix, an extension and a longer unknown key are other members.
  expect_rejected(replace(golden::kBidAskStk, R"("bid_price")", R"("bid_pric")"),
                  RejectReason::kMissingField);
  expect_rejected(replace(golden::kBidAskStk, R"("bid_price")", R"("bid_prices")"),
                  RejectReason::kMissingField);
  expect_rejected(replace(golden::kBidAskStk, R"("bid_price")", R"("bid_price_of_the_day")"),
                  RejectReason::kMissingField);
  // Keys of the other level are not ours: "code" in the envelope, "type" in data.
  expect_rejected(R"({"type":"tick_stk","code":"2330","data":{"type":"x"}})",
                  RejectReason::kMissingField);
  // A control byte inside a key is malformed, wherever the key is.
  expect_rejected(replace(golden::kBidAskStk, R"("bid_price")", "\"bid_\x01price\""),
                  RejectReason::kMalformed);
}

TEST_F(ShioajiNormalizerTest, DateCacheFollowsTheDateAndNeverCachesABadOne) {
  const std::string day1 = std::string(golden::kBidAskStk);
  ASSERT_TRUE(decode(day1));
  EXPECT_EQ(book().h.exch_ts, taipei(2026, 6, 1, 9, 0, 1, 123000));
  ASSERT_TRUE(decode(replace(day1, "2026-06-01", "2026-06-02")));
  EXPECT_EQ(book().h.exch_ts, taipei(2026, 6, 2, 9, 0, 1, 123000));
  expect_rejected(replace(day1, "2026-06-01", "2026-06-31"), RejectReason::kBadTimestamp);
  expect_rejected(replace(day1, "2026-06-01", "2026-06-31"), RejectReason::kBadTimestamp);
  ASSERT_TRUE(decode(replace(replace(day1, "2026-06-01", "2026-06-02"), "09:00:01", "09:00:02")));
  EXPECT_EQ(book().h.exch_ts, taipei(2026, 6, 2, 9, 0, 2, 123000));
  // The SSE date + time pair shares the cache.
  ASSERT_TRUE(decode(golden::kTickFop));
  EXPECT_EQ(trade().h.exch_ts, taipei(2026, 4, 1, 18, 33, 18, 84000000));
  ASSERT_TRUE(
      decode(replace(replace(golden::kTickFop, "2026-04-01", "2026-04-02"), "21748", "21749")));
  EXPECT_EQ(trade().h.exch_ts, taipei(2026, 4, 2, 18, 33, 18, 84000000));
}

// ---- The binary record (wire_record.hpp): the same fields, the same checks. ----

/// golden::kBidAskFop as a record.
WireRecord bidask_fop_record() {
  WireRecord r;
  r.type = static_cast<std::uint8_t>(PayloadType::kBidAskFop);
  set_code(r, "TXFF6");
  r.ts = taipei_to_utc(2026, 6, 1, 8, 45, 0, 512000000);
  r.bid_n = r.ask_n = 5;
  const std::int64_t bid_px[] = {22001, 22000, 21999, 21998, 21997};
  const std::int64_t bid_qty[] = {3, 13, 8, 20, 22};
  const std::int64_t ask_px[] = {22002, 22003, 22004, 22005, 22006};
  const std::int64_t ask_qty[] = {1, 15, 25, 30, 30};
  for (int l = 0; l < 5; ++l) {
    r.bid_px[l] = bid_px[l];
    r.bid_qty[l] = bid_qty[l];
    r.ask_px[l] = ask_px[l];
    r.ask_qty[l] = ask_qty[l];
  }
  return r;
}

/// golden::kQuoteStk as a record, prices given with one decimal ("585.0").
WireRecord quote_stk_record() {
  WireRecord r;
  r.type = static_cast<std::uint8_t>(PayloadType::kQuoteStk);
  set_code(r, "2330");
  r.ts = taipei_to_utc(2026, 6, 1, 9, 0, 2, 500000000);
  r.close = 5860;
  r.close_frac = 1;
  r.volume = 3;
  r.total_volume = 5;
  r.flags = WireRecord::kHasTickType;
  r.tick_type = 2;
  r.bid_n = r.ask_n = 5;
  const std::int64_t bid_qty[] = {117, 50, 33, 10, 2};
  const std::int64_t ask_qty[] = {77, 41, 60, 7, 15};
  for (int l = 0; l < 5; ++l) {
    r.bid_px[l] = (585 - l) * 10;
    r.bid_frac[l] = 1;
    r.ask_px[l] = 586 + l;  // integers: frac 0
    r.bid_qty[l] = bid_qty[l];
    r.ask_qty[l] = ask_qty[l];
  }
  return r;
}

TEST_F(ShioajiNormalizerTest, BinaryRecordDecodesLikeTheJsonLine) {
  ASSERT_TRUE(decode(golden::kBidAskFop));
  const BookSnapshot from_json = book();
  Normalizer other(symbols);
  ASSERT_TRUE(other.add_alias("TXFF6", "TXFR1"));
  const WireRecord r = bidask_fop_record();
  ASSERT_TRUE(other.decode(wire_bytes(r), 0, out)) << to_string(other.last_reject());
  ASSERT_EQ(out.count, 1);
  EXPECT_EQ(std::memcmp(&book(), &from_json, sizeof(BookSnapshot)), 0);
  EXPECT_EQ(other.accepted(PayloadType::kBidAskFop), 1U);

  ASSERT_TRUE(decode(golden::kQuoteStk));
  const TradeEvent json_trade = trade(0);
  const BookSnapshot json_book = book(1);
  const WireRecord q = quote_stk_record();
  ASSERT_TRUE(other.decode(wire_bytes(q), 0, out)) << to_string(other.last_reject());
  ASSERT_EQ(out.count, 2);
  EXPECT_EQ(trade(0).price, json_trade.price);
  EXPECT_EQ(trade(0).qty, json_trade.qty);
  EXPECT_EQ(trade(0).total_volume, json_trade.total_volume);
  EXPECT_EQ(trade(0).aggressor, Side::kSell);
  EXPECT_TRUE(trade(0).aggressor_known);
  EXPECT_EQ(trade(0).h.exch_ts, json_trade.h.exch_ts);
  for (int l = 0; l < kBookDepth; ++l) {
    EXPECT_EQ(book(1).bid_px[l], json_book.bid_px[l]) << l;
    EXPECT_EQ(book(1).ask_px[l], json_book.ask_px[l]) << l;
    EXPECT_EQ(book(1).bid_qty[l], json_book.bid_qty[l]) << l;
    EXPECT_EQ(book(1).ask_qty[l], json_book.ask_qty[l]) << l;
  }
  // The ordering state is the same too: the record again is a duplicate.
  EXPECT_FALSE(other.decode(wire_bytes(q), 0, out));
  EXPECT_EQ(other.last_reject(), RejectReason::kDuplicate);
}

TEST_F(ShioajiNormalizerTest, BinaryRecordFlagsAndReceiveClockChecks) {
  WireRecord r = quote_stk_record();
  r.flags |= WireRecord::kSimtrade | WireRecord::kIntradayOdd;
  ASSERT_TRUE(decode(wire_bytes(r)));
  EXPECT_EQ(out.events[out.count - 1].h.flags & (kFlagSimTrade | kFlagOddLot),
            kFlagSimTrade | kFlagOddLot);
  EXPECT_EQ(norm->simtrade_payloads(), 1U);
  EXPECT_EQ(norm->odd_lot_payloads(), 1U);
  // Local time read as UTC (pitfall 13) is corrected as for JSON.
  WireRecord t = bidask_fop_record();
  const Timestamp real = t.ts;
  t.ts += kTaipeiOffsetNs;
  ASSERT_TRUE(decode(wire_bytes(t), real + 2'000'000));
  EXPECT_EQ(book().h.exch_ts, real);
  EXPECT_EQ(norm->corrected_timestamps(), 1U);
}

TEST_F(ShioajiNormalizerTest, BinaryRecordRejects) {
  const WireRecord good = bidask_fop_record();
  const std::string bytes(wire_bytes(good));
  for (std::size_t n = 1; n < bytes.size(); ++n) {
    expect_rejected(std::string_view(bytes).substr(0, n), RejectReason::kMalformed);
    EXPECT_EQ(norm->last_error_offset(), n);
  }
  expect_rejected(bytes + "x", RejectReason::kMalformed);
  auto with = [&](auto edit) {
    WireRecord r = good;
    edit(r);
    return std::string(wire_bytes(r));
  };
  expect_rejected(with([](WireRecord& r) { r.version = 2; }), RejectReason::kMalformed);
  EXPECT_EQ(norm->last_error_offset(), 1U);
  expect_rejected(with([](WireRecord& r) { r.flags = 8; }), RejectReason::kMalformed);
  expect_rejected(with([](WireRecord& r) { r.reserved[4] = 1; }), RejectReason::kMalformed);
  EXPECT_EQ(norm->last_error_offset(), 71U);
  expect_rejected(with([](WireRecord& r) { r.type = 6; }), RejectReason::kUnknownType);
  expect_rejected(with([](WireRecord& r) { r.code_len = 0; }), RejectReason::kUnknownSymbol);
  expect_rejected(with([](WireRecord& r) { r.code_len = 17; }), RejectReason::kUnknownSymbol);
  expect_rejected(with([](WireRecord& r) { set_code(r, "TXFG6"); }), RejectReason::kUnknownSymbol);
  expect_rejected(with([](WireRecord& r) { r.ts = 0; }), RejectReason::kBadTimestamp);
  expect_rejected(with([](WireRecord& r) { r.bid_n = 6; }), RejectReason::kBadField);
  expect_rejected(with([](WireRecord& r) { r.bid_frac[2] = 19; }), RejectReason::kBadPrice);
  expect_rejected(with([](WireRecord& r) { r.bid_frac[2] = 1; }),
                  RejectReason::kBadPrice);  // 2199.9 is not a TXF price
  expect_rejected(with([](WireRecord& r) { r.bid_px[1] = -22000; }), RejectReason::kBadPrice);
  expect_rejected(with([](WireRecord& r) { r.bid_px[1] = 22002; }), RejectReason::kBadPrice);
  expect_rejected(with([](WireRecord& r) { r.ask_qty[3] = -1; }), RejectReason::kBadQty);
  WireRecord tick = quote_stk_record();
  tick.type = static_cast<std::uint8_t>(PayloadType::kTickStk);
  tick.close_frac = 3;
  tick.close = 5861;  // 5.861 needs three decimals, the stock's scale holds two
  expect_rejected(wire_bytes(tick), RejectReason::kBadPrice);
  tick.close_frac = 1;  // 586.1
  tick.tick_type = 3;
  expect_rejected(wire_bytes(tick), RejectReason::kBadField);
  tick.tick_type = 1;
  tick.volume = 0;
  expect_rejected(wire_bytes(tick), RejectReason::kBadQty);
  tick.volume = 3;
  EXPECT_TRUE(decode(wire_bytes(tick)));
  EXPECT_EQ(trade().price, Price{58610});
  EXPECT_EQ(trade().aggressor, Side::kBuy);
}

}  // namespace
}  // namespace hft::feed::shioaji
