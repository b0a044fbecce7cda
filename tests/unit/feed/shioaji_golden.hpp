// Golden wire-format payloads, one per payload type, built from the fields and types of
// shioaji_and_taiwan_markets.md §3.3–3.7 (prices as decimal strings, volumes as integers,
// Taipei local datetimes) and the SSE example of the SDK's STREAMING.md (§8). The same lines
// seed the fuzz corpus (tests/fuzz/corpus/feed_shioaji/).
#pragma once

#include <string_view>

namespace hft::feed::shioaji::golden {

// TickSTKv1, 1.x callback shape: naive Taipei `datetime`, every documented field.
inline constexpr std::string_view kTickStk =
    R"({"type":"tick_stk","topic":"TIC/v1/STK/*/TSE/2330","data":{"code":"2330",)"
    R"("datetime":"2026-06-01 09:00:00.123456","open":"585","avg_price":"585.5","close":"586",)"
    R"("high":"586","low":"585","amount":"586000","total_amount":"1171000","volume":1,)"
    R"("total_volume":2,"tick_type":1,"chg_type":2,"price_chg":"1","pct_chg":"0.170648",)"
    R"("bid_side_total_vol":1,"ask_side_total_vol":1,"bid_side_total_cnt":1,)"
    R"("ask_side_total_cnt":1,"closing_oddlot_shares":0,"closing_oddlot_close":null,)"
    R"("closing_oddlot_amount":null,"closing_oddlot_bid_price":null,)"
    R"("closing_oddlot_ask_price":null,"fixed_trade_vol":0,"fixed_trade_amount":"0",)"
    R"("suspend":false,"simtrade":false,"intraday_odd":false}})";

// TickFOPv1, SSE shape: the SDK's documented SSE event verbatim (date + time strings).
inline constexpr std::string_view kTickFop =
    R"({"type":"tick_fop","topic":"TIC/v1/FOP/*/TFE/TXFD6","data":{"code":"TXFD6",)"
    R"("date":"2026-04-01","time":"18:33:18.084000","open":"33601","close":"33438",)"
    R"("high":"33728","low":"33317","volume":1,"total_volume":21748,"tick_type":0,)"
    R"("price_chg":"49","simtrade":false}})";

// BidAskSTKv1: 5 levels a side, diff_* arrays, flags.
inline constexpr std::string_view kBidAskStk =
    R"({"type":"bidask_stk","topic":"QUO/v1/STK/*/TSE/2330","data":{"code":"2330",)"
    R"("datetime":"2026-06-01 09:00:01.000123","bid_price":["585","584","583","582","581"],)"
    R"("bid_volume":[120,50,33,10,2],"diff_bid_vol":[3,0,0,-1,0],)"
    R"("ask_price":["586","587","588","589","590"],"ask_volume":[80,41,60,7,15],)"
    R"("diff_ask_vol":[0,0,2,0,0],"suspend":false,"simtrade":false,"intraday_odd":false}})";

// BidAskFOPv1: book plus the FOP-only totals, derived (implied) quotes and underlying.
inline constexpr std::string_view kBidAskFop =
    R"({"type":"bidask_fop","topic":"QUO/v1/FOP/*/TFE/TXFF6","data":{"code":"TXFF6",)"
    R"("datetime":"2026-06-01 08:45:00.512000","bid_total_vol":66,"ask_total_vol":101,)"
    R"("bid_price":["22001","22000","21999","21998","21997"],"bid_volume":[3,13,8,20,22],)"
    R"("diff_bid_vol":[0,1,0,0,0],"ask_price":["22002","22003","22004","22005","22006"],)"
    R"("ask_volume":[1,15,25,30,30],"diff_ask_vol":[0,0,0,0,0],)"
    R"("first_derived_bid_price":"22000","first_derived_ask_price":"22003",)"
    R"("first_derived_bid_vol":1,"first_derived_ask_vol":1,"underlying_price":"21990.52",)"
    R"("simtrade":false}})";

// QuoteSTKv1: the tick fields (no intraday_odd) + the book + avail_borrowing.
inline constexpr std::string_view kQuoteStk =
    R"({"type":"quote_stk","topic":"QUO/v2/STK/*/TSE/2330","data":{"code":"2330",)"
    R"("datetime":"2026-06-01 09:00:02.500000","open":"585","avg_price":"585.6",)"
    R"("close":"586","high":"586","low":"585","amount":"1758000","total_amount":"2929000",)"
    R"("volume":3,"total_volume":5,"tick_type":2,"chg_type":2,"price_chg":"1",)"
    R"("pct_chg":"0.170648","bid_side_total_vol":3,"ask_side_total_vol":2,)"
    R"("bid_side_total_cnt":2,"ask_side_total_cnt":2,"bid_price":["585","584","583","582",)"
    R"("581"],"bid_volume":[117,50,33,10,2],"diff_bid_vol":[-3,0,0,0,0],)"
    R"("ask_price":["586","587","588","589","590"],"ask_volume":[77,41,60,7,15],)"
    R"("diff_ask_vol":[-3,0,0,0,0],"avail_borrowing":1200,"suspend":false,"simtrade":false}})";

// QuoteFOPv1: tick fields + book + derived quotes.
inline constexpr std::string_view kQuoteFop =
    R"({"type":"quote_fop","topic":"QUO/v2/FOP/*/TFE/TXO22000F6","data":{"code":"TXO22000F6",)"
    R"("datetime":"2026-06-01 08:45:03.250000","open":"412","close":"415.5","high":"416",)"
    R"("low":"410","volume":2,"total_volume":40,"tick_type":1,"price_chg":"-3.5",)"
    R"("underlying_price":"21990.52","bid_total_vol":30,"ask_total_vol":28,)"
    R"("bid_price":["415","414.5","414","413.5","413"],"bid_volume":[5,6,7,8,9],)"
    R"("ask_price":["416","416.5","417","417.5","418"],"ask_volume":[4,6,8,10,12],)"
    R"("first_derived_bid_price":"0","first_derived_ask_price":"0",)"
    R"("first_derived_bid_vol":0,"first_derived_ask_vol":0,"bid_side_total_cnt":11,)"
    R"("ask_side_total_cnt":9,"simtrade":false}})";

inline constexpr std::string_view kAll[] = {kTickStk,   kTickFop,  kBidAskStk,
                                            kBidAskFop, kQuoteStk, kQuoteFop};

}  // namespace hft::feed::shioaji::golden
