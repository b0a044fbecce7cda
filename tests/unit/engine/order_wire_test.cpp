// The live order gateway's wire format (order_wire.hpp) and BridgeGateway's rings: order lines
// for the bridge, "@exec" lines back into ExecReports, malformed lines refused by reason.
#include "hft/engine/order_wire.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "engine_fixture.hpp"
#include "hft/broker/tw_rules.hpp"
#include "hft/engine/bridge_gateway.hpp"

namespace hft::engine {
namespace {

constexpr SymbolId kTxf = 0;
constexpr SymbolId kStock = 1;

OrderEvent order(SymbolId symbol, OrderAction action, std::int64_t px, Qty qty,
                 Side side = Side::kBuy) {
  OrderEvent o{};
  o.h = EventHeader{1, 2, 3, symbol, EventType::kOrder, 0};
  o.client_id = 4'200'000'000'017;
  o.price = Price{px};
  o.qty = qty;
  o.action = action;
  o.side = side;
  return o;
}

nlohmann::json line_of(const OrderEvent& o, const SymbolTable& symbols) {
  std::string out;
  append_order_line(o, symbols.spec(o.h.symbol), out);
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1) << "one line per order";
  return nlohmann::json::parse(out);
}

TEST(OrderWire, StockLimitOrderInLotsAtTheSymbolsScale) {
  const SymbolTable symbols = test::two_symbols();
  OrderEvent o = order(kStock, OrderAction::kNew, 58550, 3);
  o.tif = TimeInForce::kIOC;
  const nlohmann::json j = line_of(o, symbols);
  EXPECT_EQ(j["op"], "place");
  EXPECT_EQ(j["id"], 4'200'000'000'017ULL);
  EXPECT_EQ(j["code"], "2330");
  EXPECT_EQ(j["security"], "stock");
  EXPECT_EQ(j["action"], "Buy");
  EXPECT_EQ(j["price"], "585.5");
  EXPECT_EQ(j["qty"], 3);
  EXPECT_EQ(j["price_type"], "LMT");
  EXPECT_EQ(j["order_type"], "IOC");
}

TEST(OrderWire, FuturesMarketOrderHasNoPrice) {
  const SymbolTable symbols = test::two_symbols();
  OrderEvent o = order(kTxf, OrderAction::kNew, 23001, 1, Side::kSell);
  o.order_type = OrderType::kMarket;
  o.tif = TimeInForce::kFOK;
  const nlohmann::json j = line_of(o, symbols);
  EXPECT_EQ(j["code"], "TXFD6");
  EXPECT_EQ(j["security"], "futures");
  EXPECT_EQ(j["action"], "Sell");
  EXPECT_EQ(j["price"], "0");
  EXPECT_EQ(j["price_type"], "MKT");
  EXPECT_EQ(j["order_type"], "FOK");
}

TEST(OrderWire, CancelAndUpdateNameTheOrder) {
  const SymbolTable symbols = test::two_symbols();
  const nlohmann::json c = line_of(order(kStock, OrderAction::kCancel, 58500, 2), symbols);
  EXPECT_EQ(c, nlohmann::json::parse(R"({"op":"cancel","id":4200000000017,"code":"2330"})"));
  const nlohmann::json u = line_of(order(kTxf, OrderAction::kReplace, 22999, 1), symbols);
  EXPECT_EQ(u, nlohmann::json::parse(
                   R"({"op":"update","id":4200000000017,"code":"TXFD6","price":"22999","qty":1})"));
}

TEST(OrderWire, ExecLinesBecomeReports) {
  const SymbolTable symbols = test::two_symbols();
  ExecReport r{};
  ASSERT_EQ(parse_exec_line(R"({"id":17,"type":"fill","code":"2330","action":"Sell",)"
                            R"("price":"585.50","qty":2,"leaves":1,"trade_id":4000000000,)"
                            R"("ts":1764213000123456789})",
                            symbols, 99, r),
            ExecLineError::kOk);
  EXPECT_EQ(r.h.type, EventType::kExecReport);
  EXPECT_EQ(r.h.symbol, kStock);
  EXPECT_EQ(r.h.exch_ts, 1764213000123456789);
  EXPECT_EQ(r.h.local_ts, 99);
  EXPECT_EQ(r.client_id, 17u);
  EXPECT_EQ(r.exec_type, ExecType::kFill);
  EXPECT_EQ(r.side, Side::kSell);
  EXPECT_EQ(r.price.v, 58550);
  EXPECT_EQ(r.qty, 2);
  EXPECT_EQ(r.leaves, 1);
  EXPECT_EQ(r.trade_id, 4000000000u);

  ASSERT_EQ(parse_exec_line(R"({"id":5,"type":"ack","code":"TXFD6","action":"Buy",)"
                            R"("price":"23000","leaves":2})",
                            symbols, 7, r),
            ExecLineError::kOk);
  EXPECT_EQ(r.exec_type, ExecType::kAck);
  EXPECT_EQ(r.h.exch_ts, 7) << "no ts: the receive time";
  EXPECT_EQ(r.price.v, 23000);
  EXPECT_EQ(r.leaves, 2);

  ASSERT_EQ(parse_exec_line(R"({"id":5,"type":"rejected","code":"TXFD6","action":"Buy",)"
                            R"("op_code":"9938","msg":"MKT must be IOC or FOK"})",
                            symbols, 7, r),
            ExecLineError::kOk);
  EXPECT_EQ(r.exec_type, ExecType::kRejected);
  EXPECT_EQ(r.reject_reason, static_cast<std::uint8_t>(broker::VenueReject::kFuturesMarketRod));
  ASSERT_EQ(parse_exec_line(R"({"id":5,"type":"rejected","code":"TXFD6","action":"Buy",)"
                            R"("op_code":"88"})",
                            symbols, 7, r),
            ExecLineError::kOk);
  EXPECT_EQ(r.reject_reason, 0) << "a code the engine does not know: none";

  for (const char* type : {"cancelled", "replaced"}) {
    const std::string line = std::string(R"({"id":5,"type":")") + type +
                             R"(","code":"TXFD6","action":"Buy","price":"22999","leaves":1})";
    ASSERT_EQ(parse_exec_line(line, symbols, 7, r), ExecLineError::kOk) << type;
  }
  EXPECT_EQ(r.exec_type, ExecType::kReplaced);
  EXPECT_EQ(r.price.v, 22999);
}

TEST(OrderWire, RejectLinesHandBackTheBrokersWords) {
  const SymbolTable symbols = test::two_symbols();
  ExecReport r{};
  BrokerRejectText why;
  ASSERT_EQ(parse_exec_line(R"({"id":5,"type":"rejected","code":"TXFD6","action":"Buy",)"
                            R"("op_code":"9938","msg":"MKT must be IOC or FOK"})",
                            symbols, 7, r, &why),
            ExecLineError::kOk);
  EXPECT_EQ(why.op_code, "9938");
  EXPECT_EQ(why.msg, "MKT must be IOC or FOK");

  ASSERT_EQ(parse_exec_line(R"({"id":5,"type":"rejected","code":"TXFD6","action":"Buy"})", symbols,
                            7, r, &why),
            ExecLineError::kOk);
  EXPECT_EQ(why.op_code, "-") << "no op_code";
  EXPECT_EQ(why.msg, "") << "no msg; nothing left from the line before";

  why.msg = "untouched";
  ASSERT_EQ(parse_exec_line(R"({"id":5,"type":"ack","code":"TXFD6","action":"Buy","msg":"ok"})",
                            symbols, 7, r, &why),
            ExecLineError::kOk);
  EXPECT_EQ(why.msg, "untouched") << "only rejects fill it";
}

TEST(OrderWire, MalformedExecLinesAreRefusedByReason) {
  const SymbolTable symbols = test::two_symbols();
  const std::pair<const char*, ExecLineError> cases[] = {
      {"not json", ExecLineError::kBadJson},
      {"[1,2]", ExecLineError::kBadJson},
      {R"({"type":"ack","code":"2330","action":"Buy"})", ExecLineError::kMissingField},
      {R"({"id":-1,"type":"ack","code":"2330","action":"Buy"})", ExecLineError::kMissingField},
      {R"({"id":1,"type":"done","code":"2330","action":"Buy"})", ExecLineError::kBadType},
      {R"({"id":1,"type":"ack","code":"9999","action":"Buy"})", ExecLineError::kUnknownSymbol},
      {R"({"id":1,"type":"ack","code":"2330","action":"B"})", ExecLineError::kBadSide},
      {R"({"id":1,"type":"ack","code":"2330","action":"Buy","price":"585.123"})",
       ExecLineError::kBadPrice},
      {R"({"id":1,"type":"ack","code":"2330","action":"Buy","price":585.5})",
       ExecLineError::kBadPrice},
      {R"({"id":1,"type":"fill","code":"2330","action":"Buy","qty":1,"trade_id":2})",
       ExecLineError::kBadPrice},
      {R"({"id":1,"type":"fill","code":"2330","action":"Buy","price":"585","qty":1})",
       ExecLineError::kBadQty},
      {R"({"id":1,"type":"fill","code":"2330","action":"Buy","price":"585","qty":0,"trade_id":2})",
       ExecLineError::kBadQty},
      {R"({"id":1,"type":"ack","code":"2330","action":"Buy","leaves":-1})", ExecLineError::kBadQty},
      {R"({"id":1,"type":"fill","code":"2330","action":"Buy","price":"585","qty":1,)"
       R"("trade_id":5000000000})",
       ExecLineError::kBadQty},
  };
  for (const auto& [line, want] : cases) {
    ExecReport r{};
    EXPECT_EQ(parse_exec_line(line, symbols, 1, r), want) << line;
  }
}

TEST(BridgeGateway, OrdersReachThePipeAndReportsComeBack) {
  const SymbolTable symbols = test::two_symbols();
  config::Config cfg;
  cfg.bus.order = 4;
  obs::Registry registry;
  BridgeGateway gw(cfg, symbols, registry);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  gw.start(fds[1]);
  gw.submit(order(kStock, OrderAction::kNew, 58500, 1), 10);
  gw.submit(order(kStock, OrderAction::kCancel, 58500, 1), 11);
  gw.stop();  // writes what is queued, then closes the pipe
  std::string got;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, n);
  ::close(fds[0]);
  EXPECT_EQ(got.find(R"("op":"place")"), got.find('{') + 1) << got;
  EXPECT_NE(got.find(R"({"op":"cancel","id":4200000000017,"code":"2330"})"), std::string::npos)
      << got;

  const std::atomic<bool> stop{false};
  ExecReport r{};
  EXPECT_FALSE(gw.next_report(r));
  EXPECT_TRUE(gw.on_exec_line(R"({"id":17,"type":"ack","code":"2330","action":"Buy"})", 5, stop));
  EXPECT_TRUE(gw.on_exec_line("garbage", 6, stop));
  ASSERT_TRUE(gw.next_report(r));
  EXPECT_EQ(r.client_id, 17u);
  EXPECT_EQ(r.h.seq, 1u);
  EXPECT_FALSE(gw.next_report(r)) << "the malformed line is not a report";
  EXPECT_EQ(gw.exec_rejected(ExecLineError::kBadJson), 1u);
  EXPECT_EQ(gw.exec_rejected(ExecLineError::kOk), 1u);
}

TEST(BridgeGateway, AFullOrderRingRefusesWithoutWaiting) {
  const SymbolTable symbols = test::two_symbols();
  config::Config cfg;
  cfg.bus.order = 2;
  obs::Registry registry;
  BridgeGateway gw(cfg, symbols, registry);  // not started: nothing drains the ring
  for (int i = 0; i < 3; ++i) gw.submit(order(kTxf, OrderAction::kNew, 23000 + i, 1), 100 + i);
  EXPECT_EQ(gw.refused(), 1u);
  ExecReport r{};
  ASSERT_TRUE(gw.next_report(r));
  EXPECT_EQ(r.exec_type, ExecType::kRejected);
  EXPECT_EQ(r.client_id, 4'200'000'000'017u);
  EXPECT_EQ(r.price.v, 23002);
  EXPECT_EQ(r.h.local_ts, 102);
  EXPECT_EQ(r.reject_reason, static_cast<std::uint8_t>(broker::VenueReject::kVenueFull));
  EXPECT_FALSE(gw.next_report(r));
}

}  // namespace
}  // namespace hft::engine
