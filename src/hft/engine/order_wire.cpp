#include "hft/engine/order_wire.hpp"

#include <fmt/format.h>

#include <iterator>
#include <nlohmann/json.hpp>

#include "hft/broker/tw_rules.hpp"
#include "hft/core/fixed_point.hpp"

namespace hft::engine {

namespace {

const char* action_name(Side s) { return s == Side::kBuy ? "Buy" : "Sell"; }

const char* tif_name(TimeInForce t) {
  switch (t) {
    case TimeInForce::kIOC: return "IOC";
    case TimeInForce::kFOK: return "FOK";
    case TimeInForce::kROD: break;
  }
  return "ROD";
}

const char* security_name(ProductType t) {
  switch (t) {
    case ProductType::kStock:
    case ProductType::kEtf: return "stock";
    case ProductType::kIndexOption: return "option";
    case ProductType::kIndexFuture:
    case ProductType::kStockFuture: break;
  }
  return "futures";
}

std::uint8_t reject_reason(std::string_view op_code) {
  for (std::uint8_t r = 1; r < static_cast<std::uint8_t>(broker::VenueReject::kCount); ++r) {
    if (op_code == broker::broker_rejection(static_cast<broker::VenueReject>(r)).op_code) return r;
  }
  return 0;
}

/// A quantity field: absent = 0; a negative or non-integer value fails.
bool read_qty(const nlohmann::json& j, const char* key, Qty& out) {
  const auto it = j.find(key);
  if (it == j.end()) return true;
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0) return false;
  out = it->get<Qty>();
  return true;
}

}  // namespace

void append_order_line(const OrderEvent& order, const ContractSpec& spec, std::string& out) {
  auto it = std::back_inserter(out);
  const std::string price = format_fixed(order.price.v, spec.price_scale);
  switch (order.action) {
    case OrderAction::kCancel:
      fmt::format_to(it, R"({{"op":"cancel","id":{},"code":"{}"}})", order.client_id, spec.code);
      break;
    case OrderAction::kReplace:
      fmt::format_to(it, R"({{"op":"update","id":{},"code":"{}","price":"{}","qty":{}}})",
                     order.client_id, spec.code, price, order.qty);
      break;
    case OrderAction::kNew: {
      const bool market = order.order_type == OrderType::kMarket;
      fmt::format_to(it,
                     R"({{"op":"place","id":{},"code":"{}","security":"{}","action":"{}",)"
                     R"("price":"{}","qty":{},"price_type":"{}","order_type":"{}"}})",
                     order.client_id, spec.code, security_name(spec.type), action_name(order.side),
                     market ? "0" : price, order.qty, market ? "MKT" : "LMT", tif_name(order.tif));
      break;
    }
  }
  out += '\n';
}

const char* to_string(ExecLineError e) {
  switch (e) {
    case ExecLineError::kOk: return "ok";
    case ExecLineError::kBadJson: return "bad_json";
    case ExecLineError::kMissingField: return "missing_field";
    case ExecLineError::kBadType: return "bad_type";
    case ExecLineError::kUnknownSymbol: return "unknown_symbol";
    case ExecLineError::kBadSide: return "bad_side";
    case ExecLineError::kBadPrice: return "bad_price";
    case ExecLineError::kBadQty: return "bad_qty";
    case ExecLineError::kBadId: return "bad_id";
    case ExecLineError::kCount: break;
  }
  return "unknown";
}

ExecLineError parse_exec_line(std::string_view json, const SymbolTable& symbols, Timestamp recv,
                              ExecReport& out, BrokerRejectText* reject_text) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return ExecLineError::kBadJson;
  const auto id = j.find("id");
  const auto type = j.find("type");
  const auto code = j.find("code");
  const auto action = j.find("action");
  if (id == j.end() || !id->is_number_unsigned() || type == j.end() || !type->is_string() ||
      code == j.end() || !code->is_string() || action == j.end() || !action->is_string()) {
    return ExecLineError::kMissingField;
  }
  ExecReport r{};
  const std::string& t = type->get_ref<const std::string&>();
  if (t == "ack") {
    r.exec_type = ExecType::kAck;
  } else if (t == "fill") {
    r.exec_type = ExecType::kFill;
  } else if (t == "cancelled") {
    r.exec_type = ExecType::kCancelled;
  } else if (t == "rejected") {
    r.exec_type = ExecType::kRejected;
  } else if (t == "replaced") {
    r.exec_type = ExecType::kReplaced;
  } else {
    return ExecLineError::kBadType;
  }
  const std::optional<SymbolId> symbol = symbols.find(code->get_ref<const std::string&>());
  if (!symbol) return ExecLineError::kUnknownSymbol;
  const std::string& a = action->get_ref<const std::string&>();
  if (a != "Buy" && a != "Sell") return ExecLineError::kBadSide;
  r.side = a == "Buy" ? Side::kBuy : Side::kSell;
  if (const auto price = j.find("price"); price != j.end()) {
    if (!price->is_string()) return ExecLineError::kBadPrice;
    const ParsedFixed p =
        parse_price(price->get_ref<const std::string&>(), symbols.spec(*symbol).price_scale);
    if (!p.ok()) return ExecLineError::kBadPrice;
    r.price = Price{p.value};
  } else if (r.exec_type == ExecType::kFill || r.exec_type == ExecType::kReplaced) {
    return ExecLineError::kBadPrice;
  }
  if (!read_qty(j, "qty", r.qty) || !read_qty(j, "leaves", r.leaves)) return ExecLineError::kBadQty;
  if (r.exec_type == ExecType::kFill) {
    const auto trade = j.find("trade_id");
    if (r.qty <= 0 || trade == j.end() || !trade->is_number_unsigned() ||
        trade->get<std::uint64_t>() > UINT32_MAX) {
      return ExecLineError::kBadQty;
    }
    r.trade_id = trade->get<std::uint32_t>();
  }
  const auto op = j.find("op_code");
  const bool has_op = op != j.end() && op->is_string();
  if (has_op) r.reject_reason = reject_reason(op->get_ref<const std::string&>());
  Timestamp exch = recv;
  if (const auto ts = j.find("ts"); ts != j.end() && ts->is_number_integer()) {
    exch = ts->get<std::int64_t>();
  }
  r.h = EventHeader{exch, recv, 0, *symbol, EventType::kExecReport, 0};
  r.client_id = id->get<std::uint64_t>();
  if (reject_text != nullptr && r.exec_type == ExecType::kRejected) {
    *reject_text = BrokerRejectText{};
    if (has_op) reject_text->op_code = op->get_ref<const std::string&>();
    if (const auto msg = j.find("msg"); msg != j.end() && msg->is_string()) {
      reject_text->msg = msg->get_ref<const std::string&>();
    }
  }
  out = r;
  return ExecLineError::kOk;
}

}  // namespace hft::engine
