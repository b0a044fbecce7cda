#include "hft/events/events.hpp"

namespace hft {

const char* to_string(Side s) { return s == Side::kBuy ? "B" : "S"; }

const char* to_string(EventType t) {
  switch (t) {
    case EventType::kNone: return "none";
    case EventType::kBookSnapshot: return "book_snapshot";
    case EventType::kTrade: return "trade";
    case EventType::kBookLevel: return "book_level";
    case EventType::kBookClear: return "book_clear";
    case EventType::kOrder: return "order";
    case EventType::kExecReport: return "exec_report";
    case EventType::kRiskReject: return "risk_reject";
    case EventType::kStateChange: return "state_change";
    case EventType::kLobStats: return "lob_stats";
    case EventType::kLatencySample: return "latency_sample";
    case EventType::kPositionSnapshot: return "position_snapshot";
  }
  return "unknown";
}

const char* to_string(ExecType t) {
  switch (t) {
    case ExecType::kAck: return "ack";
    case ExecType::kFill: return "fill";
    case ExecType::kCancelled: return "cancelled";
    case ExecType::kRejected: return "rejected";
    case ExecType::kReplaced: return "replaced";
  }
  return "unknown";
}

}  // namespace hft
