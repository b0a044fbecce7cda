// The live order gateway's wire format with the Shioaji bridge (docs/feed.md, "Orders"):
//   engine -> bridge: one JSON line per OrderEvent on the bridge's stdin
//     {"op":"place","id":17,"code":"2330","security":"stock","action":"Buy","price":"585.5",
//      "qty":1,"price_type":"LMT","order_type":"ROD"}
//     {"op":"cancel","id":17,"code":"2330"}
//     {"op":"update","id":17,"code":"2330","price":"586","qty":1}   (qty: the new open quantity)
//     (an order working at the broker from before the run has the id 1..W its "@working" line
//      gave it; the same lines serve it: reconciliation.hpp)
//   bridge -> engine: "@exec {json}" control lines on its stdout
//     {"id":17,"type":"fill","code":"2330","action":"Buy","price":"585.5","qty":1,"leaves":0,
//      "trade_id":3141592653,"ts":1764213000123456789}
// Cold code (the gateway's writer thread and the feed thread), never the hot thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hft/core/contract.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"

namespace hft::engine {

/// Appends the JSON line of `order` (terminated by '\n') to `out`. Prices are exact decimals at
/// the symbol's scale; quantities are exchange units (board lots for stocks, contracts for
/// futures and options).
void append_order_line(const OrderEvent& order, const ContractSpec& spec, std::string& out);

/// Why an "@exec" line was refused (hft_bridge_exec_rejected_total{reason}).
enum class ExecLineError : std::uint8_t {
  kOk,
  kBadJson,        // not a JSON object
  kMissingField,   // id, type, code or action absent or of the wrong JSON type
  kBadType,        // type not one of ack, fill, cancelled, rejected, replaced
  kUnknownSymbol,  // code is not a configured symbol
  kBadSide,        // action neither Buy nor Sell
  kBadPrice,       // not an exact decimal at the symbol's scale
  kBadQty,         // qty/leaves negative or not integers, a fill without qty or trade_id
  kBadId,          // start-up lines only: a "@working" id absent, not in 1..W or repeated
  kCount,
};
const char* to_string(ExecLineError e);

/// The broker's own words on a rejected request, kept for the log (the report carries only
/// reject_reason).
struct BrokerRejectText {
  std::string op_code = "-";  // "op_code" as sent; "-" when absent or not a string
  std::string msg;            // "msg" as sent; empty when absent or not a string
};

/// Parses the JSON after "@exec " into `out`: h.local_ts = `recv`, h.exch_ts = "ts" (else
/// `recv`), h.symbol from "code", reject_reason from "op_code" (broker::broker_rejection's codes;
/// others are 0, "none"). h.seq is left 0 for the caller. For a parsed "rejected" line,
/// `reject_text` (when given) receives op_code and msg, so the line is parsed once.
ExecLineError parse_exec_line(std::string_view json, const SymbolTable& symbols, Timestamp recv,
                              ExecReport& out, BrokerRejectText* reject_text = nullptr);

}  // namespace hft::engine
