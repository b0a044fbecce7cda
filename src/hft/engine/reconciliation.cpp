#include "hft/engine/reconciliation.hpp"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "hft/core/fixed_point.hpp"

namespace hft::engine {

namespace {

constexpr std::size_t kSampleChars = 200;
constexpr std::int64_t kFineScale = 1'000'000'000;  // an average price's decimals before rounding

/// The line's JSON object and its symbol ("code"), or the reason it has none.
ExecLineError open_line(std::string_view json, const SymbolTable& symbols, nlohmann::json& j,
                        SymbolId& symbol, std::string* what) {
  j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    if (what != nullptr) *what = "expected one JSON object";
    return ExecLineError::kBadJson;
  }
  const auto code = j.find("code");
  if (code == j.end() || !code->is_string()) {
    if (what != nullptr) *what = "code: expected a string";
    return ExecLineError::kMissingField;
  }
  const std::optional<SymbolId> id = symbols.find(code->get_ref<const std::string&>());
  if (!id) {
    if (what != nullptr) *what = "code: expected a configured symbol";
    return ExecLineError::kUnknownSymbol;
  }
  symbol = *id;
  return ExecLineError::kOk;
}

/// An integer field: present, an integer, and > 0 (or != 0 when `signed_ok`).
bool read_count(const nlohmann::json& j, const char* key, bool signed_ok, Qty& out,
                std::string* what) {
  const auto it = j.find(key);
  if (it != j.end() && it->is_number_integer()) {
    out = it->get<Qty>();
    if (signed_ok ? out != 0 : out > 0) return true;
  }
  if (what != nullptr) {
    *what = fmt::format("{}: expected a {} integer", key, signed_ok ? "non-zero" : "positive");
  }
  return false;
}

/// A string field ("" when absent is refused).
bool read_text(const nlohmann::json& j, const char* key, std::string& out, std::string* what) {
  const auto it = j.find(key);
  if (it != j.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
    out = it->get<std::string>();
    return true;
  }
  if (what != nullptr) *what = fmt::format("{}: expected a non-empty string", key);
  return false;
}

/// `key` ("price"): an exact decimal text; with `round`, decimals past the symbol's scale round
/// to the nearest unit of it (an average price), else they are refused (an order's limit).
bool read_price(const nlohmann::json& j, const char* key, std::int64_t scale, bool round,
                Price& out, std::string* what) {
  const auto it = j.find(key);
  if (it != j.end() && it->is_string()) {
    std::string_view text = it->get_ref<const std::string&>();
    if (!round) {
      const ParsedFixed p = parse_price(text, scale);
      if (p.ok()) {
        out = Price{p.value};
        return true;
      }
    } else {
      if (const std::size_t dot = text.find('.'); dot != std::string_view::npos) {
        text = text.substr(0, dot + 1 + scale_digits(kFineScale));  // past 1e-9: nothing to keep
      }
      const ParsedFixed p = parse_price(text, kFineScale);
      if (p.ok()) {
        const std::int64_t unit = kFineScale / scale;
        out = Price{(p.value + unit / 2) / unit};
        return true;
      }
    }
  }
  if (what != nullptr) {
    *what = fmt::format("{}: expected a non-negative decimal text{}", key,
                        round ? "" : fmt::format(" with at most {} decimals", scale_digits(scale)));
  }
  return false;
}

}  // namespace

ExecLineError parse_working_line(std::string_view json, const SymbolTable& symbols,
                                 WorkingAtStart& out, std::string* what) {
  nlohmann::json j;
  WorkingAtStart w;
  if (const ExecLineError e = open_line(json, symbols, j, w.symbol, what);
      e != ExecLineError::kOk) {
    return e;
  }
  const auto action = j.find("action");
  if (action == j.end() || !action->is_string() || (*action != "Buy" && *action != "Sell")) {
    if (what != nullptr) *what = "action: expected Buy or Sell";
    return ExecLineError::kBadSide;
  }
  w.side = *action == "Buy" ? Side::kBuy : Side::kSell;
  if (!read_price(j, "price", symbols.spec(w.symbol).price_scale, false, w.price, what)) {
    return ExecLineError::kBadPrice;
  }
  if (!read_count(j, "qty", false, w.qty, what) || !read_count(j, "open", false, w.open, what)) {
    return ExecLineError::kBadQty;
  }
  if (w.open > w.qty) {
    if (what != nullptr) *what = "open: expected at most qty";
    return ExecLineError::kBadQty;
  }
  if (!read_text(j, "broker_id", w.broker_id, what) || !read_text(j, "status", w.status, what)) {
    return ExecLineError::kMissingField;
  }
  // The range (1..W) and uniqueness are checked at "@reconciled", when W is known.
  const auto id = j.find("id");
  if (id == j.end() || !id->is_number_unsigned() || id->get<ClientOrderId>() == 0) {
    if (what != nullptr) {
      *what = "id: expected a positive integer (the client id the bridge bound the order to)";
    }
    return ExecLineError::kBadId;
  }
  w.id = id->get<ClientOrderId>();
  // seqno and ordno only name the order for people (an order not yet at the exchange has none).
  for (auto [key, field] : {std::pair{"seqno", &w.seqno}, std::pair{"ordno", &w.ordno}}) {
    if (const auto it = j.find(key); it != j.end() && it->is_string())
      *field = it->get<std::string>();
  }
  out = std::move(w);
  return ExecLineError::kOk;
}

ExecLineError parse_position_line(std::string_view json, const SymbolTable& symbols,
                                  PositionAtStart& out, std::string* what) {
  nlohmann::json j;
  PositionAtStart p;
  if (const ExecLineError e = open_line(json, symbols, j, p.symbol, what);
      e != ExecLineError::kOk) {
    return e;
  }
  if (!read_count(j, "qty", true, p.qty, what)) return ExecLineError::kBadQty;
  const std::int64_t scale = symbols.spec(p.symbol).price_scale;
  if (!read_price(j, "price", scale, true, p.avg_price, what) ||
      (j.contains("last") && !read_price(j, "last", scale, true, p.last, what))) {
    return ExecLineError::kBadPrice;
  }
  out = p;
  return ExecLineError::kOk;
}

std::string describe(const WorkingAtStart& w, const SymbolTable& symbols) {
  const ContractSpec& spec = symbols.spec(w.symbol);
  return fmt::format("{} {} {} @ {} ({} open, {}, broker id {}, seqno {}, ordno {}, client id {})",
                     spec.code, w.side == Side::kBuy ? "Buy" : "Sell", w.qty,
                     format_fixed(w.price.v, spec.price_scale), w.open, w.status, w.broker_id,
                     w.seqno.empty() ? "-" : w.seqno, w.ordno.empty() ? "-" : w.ordno, w.id);
}

std::string describe(const PositionAtStart& p, const SymbolTable& symbols) {
  const ContractSpec& spec = symbols.spec(p.symbol);
  std::string out =
      fmt::format("{} {:+} @ {}", spec.code, p.qty, format_fixed(p.avg_price.v, spec.price_scale));
  if (p.last.v > 0) out += fmt::format(" (last {})", format_fixed(p.last.v, spec.price_scale));
  return out;
}

std::optional<CarriedPnlFrom> carried_pnl_from_string(std::string_view s) {
  if (s == "last") return CarriedPnlFrom::kLast;
  if (s == "average") return CarriedPnlFrom::kAverage;
  return std::nullopt;
}

Price carried_basis(const PositionAtStart& p, CarriedPnlFrom from) {
  return from == CarriedPnlFrom::kLast && p.last.v > 0 ? p.last : p.avg_price;
}

std::optional<OnStartWorking> on_start_working_from_string(std::string_view s) {
  if (s == "refuse") return OnStartWorking::kRefuse;
  if (s == "cancel") return OnStartWorking::kCancel;
  if (s == "ignore") return OnStartWorking::kIgnore;
  return std::nullopt;
}

bool BrokerStartState::on_line(std::string_view line, const SymbolTable& symbols) {
  std::string what;
  ExecLineError e = ExecLineError::kOk;
  const std::string_view kind = line.substr(0, line.find(' '));
  const std::string_view rest = line.substr(std::min(line.size(), kind.size() + 1));
  if (kind == "@working") {
    ++working_lines;
    WorkingAtStart w;
    if ((e = parse_working_line(rest, symbols, w, &what)) == ExecLineError::kOk) {
      working.push_back(std::move(w));
    }
  } else if (kind == "@position") {
    ++position_lines;
    PositionAtStart p;
    if ((e = parse_position_line(rest, symbols, p, &what)) == ExecLineError::kOk) {
      positions.push_back(p);
    }
  } else if (kind == "@ready") {
    failed =
        "the bridge subscribed without reporting the broker's orders and positions (a "
        "bridge without the start-up reconciliation, or it failed: see its messages)";
    done = true;
    return false;
  } else if (kind == "@reconcile_failed") {
    failed = rest.empty() ? "no reason given" : std::string(rest);
    done = true;
  } else if (kind == "@reconciled") {
    // "@reconciled W P": the counts guard against lines lost on the way.
    std::uint64_t counts[2] = {0, 0};
    std::string_view text = rest;
    bool ok = true;
    for (std::uint64_t& n : counts) {
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      ok = ok && ec == std::errc{};
      text = std::string_view(end, text.data() + text.size() - end);
      if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    }
    if (!ok || !text.empty()) {
      e = ExecLineError::kBadQty;
      what = "expected '@reconciled W P' (two counts)";
    } else if (counts[0] != working_lines || counts[1] != position_lines) {
      e = ExecLineError::kBadQty;
      what = fmt::format("the bridge sent {} @working and {} @position lines, {} and {} arrived",
                         counts[0], counts[1], working_lines, position_lines);
    } else {
      check_ids(symbols);
    }
    done = true;
  } else {
    return false;
  }
  if (e != ExecLineError::kOk) refuse(e, what, line);
  return true;
}

void BrokerStartState::refuse(ExecLineError e, std::string_view what, std::string_view sample) {
  ++refused_by_reason[static_cast<std::size_t>(e)];
  refused.push_back(
      fmt::format("reason={} ({}): {}", to_string(e), what, sample.substr(0, kSampleChars)));
}

void BrokerStartState::check_ids(const SymbolTable& symbols) {
  const std::uint64_t w = working_lines;
  std::vector<bool> seen(w + 1, false);
  for (const WorkingAtStart& o : working) {
    if (o.id >= 1 && o.id <= w && !seen[o.id]) {
      seen[o.id] = true;
      continue;
    }
    refuse(ExecLineError::kBadId,
           fmt::format("id: expected 1..{}, each once; got {}{}", w, o.id,
                       o.id >= 1 && o.id <= w ? " again" : ""),
           describe(o, symbols));
  }
}

StartDecision decide_start(const BrokerStartState& s, OnStartWorking policy,
                           const SymbolTable& symbols, std::size_t max_orders) {
  StartDecision d;
  if (!s.refused.empty()) {
    d.action = StartAction::kRefuse;
    d.message = fmt::format(
        "refusing to start: {} start-up reconciliation line(s) from the bridge not understood, so "
        "the broker's orders and positions are unknown (the bridge and the engine disagree on the "
        "format: docs/feed.md, \"Start-up reconciliation\"):",
        s.refused.size());
    for (const std::string& r : s.refused) d.message += "\n  " + r;
    return d;
  }
  if (!s.failed.empty()) {
    if (policy == OnStartWorking::kIgnore) {
      d.message = fmt::format(
          "warning: start-up reconciliation failed ({}); orders.on_start_working=ignore: trading "
          "without knowing the broker's working orders and positions (the risk gate counts from "
          "zero)",
          s.failed);
      return d;
    }
    d.action = StartAction::kRefuse;
    d.message = fmt::format(
        "refusing to start: the broker's working orders and positions could not be read ({}; "
        "the bridge's messages are above). Try again, or start anyway with "
        "orders.on_start_working=ignore (HFT_ORDERS_ON_START_WORKING=ignore): the risk gate then "
        "counts from zero",
        s.failed);
    return d;
  }
  if (s.working.empty()) return d;
  std::string list;
  for (const WorkingAtStart& w : s.working) list += "\n  " + describe(w, symbols);
  if (policy != OnStartWorking::kRefuse && s.working.size() > max_orders) {
    d.action = StartAction::kRefuse;
    d.message = fmt::format(
        "refusing to start: {} order(s) of the configured symbols are working at the broker, "
        "placed before this run, more than the engine's order table can track ({}); cancel "
        "some in the broker's app:{}",
        s.working.size(), max_orders, list);
    return d;
  }
  switch (policy) {
    case OnStartWorking::kRefuse:
      d.action = StartAction::kRefuse;
      d.message = fmt::format(
          "refusing to start: {} order(s) of the configured symbols are working at the broker, "
          "placed before this run:{}\nCancel them in the broker's app, or rerun with "
          "orders.on_start_working=cancel (the run cancels them first) or =ignore (trade beside "
          "them; the run tracks them: their fills are booked and the risk gate counts them) — in "
          "the config or as HFT_ORDERS_ON_START_WORKING",
          s.working.size(), list);
      break;
    case OnStartWorking::kCancel:
      d.action = StartAction::kCancelFirst;
      d.message = fmt::format(
          "{} order(s) working at the broker from before this run; orders.on_start_working=cancel:"
          " cancelling them before trading:{}",
          s.working.size(), list);
      break;
    case OnStartWorking::kIgnore:
      d.message = fmt::format(
          "warning: {} order(s) working at the broker from before this run; "
          "orders.on_start_working=ignore: trading beside them. They are tracked: their fills "
          "are booked into the positions, the risk gate counts their open quantity, and the run "
          "leaves them working when it stops:{}",
          s.working.size(), list);
      break;
  }
  return d;
}

}  // namespace hft::engine
