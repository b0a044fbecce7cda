#include "hft/backtest/scenario.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <sstream>

namespace hft::backtest {

namespace {

struct Fail {
  std::string msg;
};

[[noreturn]] void fail(const YAML::Node& n, const std::string& what) {
  throw Fail{"line " + std::to_string(n.Mark().line + 1) + ": " + what};
}

Price price_of(const YAML::Node& n, const ContractSpec& spec) {
  const ParsedFixed p = parse_price(n.as<std::string>(), spec.price_scale);
  if (!p.ok() || p.value <= 0) fail(n, "bad price '" + n.as<std::string>() + "'");
  return Price{p.value};
}

Timestamp parse_start(const std::string& s) {
  int y, mo, d, h, mi, sec = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) < 5) return 0;
  return taipei_to_utc(y, mo, d, h, mi, sec);
}

ExpectedOrder expected(const YAML::Node& n) {
  ExpectedOrder e;
  if (!n.IsMap()) fail(n, "expected a mapping like {side: B, price: 20001, qty: 1}");
  for (const auto& kv : n) {
    const std::string k = kv.first.as<std::string>();
    const std::string v = kv.second.as<std::string>();
    if (k == "side")
      e.side = v;
    else if (k == "price")
      e.price = v;
    else if (k == "qty")
      e.qty = kv.second.as<Qty>();
    else if (k == "tif")
      e.tif = v;
    else if (k == "type")
      e.type = v;
    else if (k == "symbol")
      e.symbol = v;
    else
      fail(kv.first, "unknown field '" + k + "' (side, price, qty, tif, type, symbol)");
  }
  return e;
}

}  // namespace

std::string load_scenario(const std::string& path, Scenario& sc) {
  try {
    const YAML::Node root = YAML::LoadFile(path);
    sc.name = root["name"] ? root["name"].as<std::string>() : path;
    if (!root["symbols"] || !root["symbols"].IsSequence()) {
      return path + ": 'symbols' must list the built-in codes used";
    }
    for (const auto& c : root["symbols"]) {
      const auto spec = builtin_contract(c.as<std::string>());
      if (!spec) fail(c, "unknown symbol '" + c.as<std::string>() + "'");
      sc.input.specs.push_back(*spec);
    }
    auto symbol_id = [&](const YAML::Node& n) -> SymbolId {
      const std::string code = n.as<std::string>();
      for (std::size_t i = 0; i < sc.input.specs.size(); ++i) {
        if (sc.input.specs[i].code == code) return static_cast<SymbolId>(i);
      }
      fail(n, "symbol '" + code + "' is not in 'symbols'");
    };
    Timestamp start = taipei_to_utc(2026, 11, 25, 10, 0);
    if (root["start"]) {
      start = parse_start(root["start"].as<std::string>());
      if (start == 0) fail(root["start"], "start must look like \"2026-11-25 10:00:00\" (Taipei)");
    }
    if (root["params"]) {
      for (const auto& kv : root["params"]) {
        sc.config.params[kv.first.as<std::string>()] = kv.second.as<double>();
      }
    }
    sc.config.latency = broker::ConstantLatency{};
    if (const auto lat = root["latency_us"]) {
      sc.config.latency =
          broker::ConstantLatency{static_cast<std::int64_t>(lat["entry"].as<double>(0) * 1000),
                                  static_cast<std::int64_t>(lat["response"].as<double>(0) * 1000)};
    }
    if (root["queue"]) {
      const std::string q = root["queue"].as<std::string>();
      if (q == "risk_averse")
        sc.config.queue = broker::RiskAverseQueue{};
      else if (q.rfind("power:", 0) == 0)
        sc.config.queue = broker::PowerProbQueue{std::stod(q.substr(6))};
      else
        fail(root["queue"], "queue must be risk_averse or power:N");
    }
    if (root["sessions"]) sc.config.venue.check_sessions = root["sessions"].as<bool>();
    if (!root["steps"] || !root["steps"].IsSequence()) return path + ": 'steps' must be a list";
    Timestamp prev = INT64_MIN;
    std::uint32_t seq = 0;
    for (const auto& step : root["steps"]) {
      if (!step["t"]) fail(step, "every step needs t (seconds from start)");
      const Timestamp ts =
          start + static_cast<Timestamp>(std::llround(step["t"].as<double>() * 1e9));
      if (ts < prev) fail(step, "steps must be in time order");
      prev = ts;
      std::vector<MdRecord> batch;
      auto header = [&](SymbolId id, EventType type) {
        return EventHeader{ts, ts, ++seq, id, type, 0};
      };
      if (const auto b = step["book"]) {
        const SymbolId id = symbol_id(b["symbol"]);
        MdRecord r;
        r.clear = BookClearEvent{header(id, EventType::kBookClear), ClearSide::kBoth};
        batch.push_back(r);
        for (const char* side : {"bids", "asks"}) {
          for (const auto& lv : b[side]) {
            MdRecord l;
            l.level = BookLevelEvent{};
            l.level.h = header(id, EventType::kBookLevel);
            l.level.side = side[0] == 'b' ? Side::kBuy : Side::kSell;
            l.level.price = price_of(lv[0], sc.input.specs[id]);
            l.level.qty = lv[1].as<Qty>();
            batch.push_back(l);
          }
        }
      } else if (const auto t = step["trade"]) {
        const SymbolId id = symbol_id(t["symbol"]);
        MdRecord r;
        r.trade = TradeEvent{};
        r.trade.h = header(id, EventType::kTrade);
        r.trade.price = price_of(t["price"], sc.input.specs[id]);
        r.trade.qty = t["qty"].as<Qty>();
        const std::string side = t["side"] ? t["side"].as<std::string>() : "-";
        r.trade.aggressor_known = side == "B" || side == "S";
        r.trade.aggressor = side == "S" ? Side::kSell : Side::kBuy;
        batch.push_back(r);
      } else if (const auto l = step["level"]) {
        const SymbolId id = symbol_id(l["symbol"]);
        MdRecord r;
        r.level = BookLevelEvent{};
        r.level.h = header(id, EventType::kBookLevel);
        r.level.side = l["side"].as<std::string>() == "B" ? Side::kBuy : Side::kSell;
        r.level.price = price_of(l["price"], sc.input.specs[id]);
        r.level.qty = l["qty"].as<Qty>();
        batch.push_back(r);
      } else {
        fail(step, "a step needs one of book, trade, level");
      }
      batch.back().h.flags |= kFlagLastInBatch;
      for (const MdRecord& r : batch) sc.input.owned.push_back(r);
    }
    sc.input.adopt();
    sc.input.origin = path;
    if (const auto ex = root["expect"]) {
      if (ex["orders"]) {
        sc.check_orders = true;
        for (const auto& o : ex["orders"]) sc.orders.push_back(expected(o));
      }
      if (ex["fills"]) {
        sc.check_fills = true;
        for (const auto& o : ex["fills"]) sc.fills.push_back(expected(o));
      }
      if (ex["position"]) {
        for (const auto& kv : ex["position"]) {
          symbol_id(kv.first);
          sc.positions.emplace_back(kv.first.as<std::string>(), kv.second.as<Qty>());
        }
      }
    }
  } catch (const Fail& f) {
    return path + ":" + f.msg.substr(5);
  } catch (const YAML::Exception& e) {
    return path + ": " + e.what();
  } catch (const std::exception& e) {
    return path + ": " + e.what();
  }
  return "";
}

namespace {

const char* tif_name(TimeInForce t) {
  return t == TimeInForce::kROD ? "ROD" : t == TimeInForce::kIOC ? "IOC" : "FOK";
}

std::string describe(const std::string& symbol, Side side, const std::string& price, Qty qty,
                     const char* tif, const char* type) {
  std::ostringstream o;
  o << "{symbol: " << symbol << ", side: " << (side == Side::kBuy ? "B" : "S")
    << ", price: " << price << ", qty: " << qty;
  if (tif != nullptr) o << ", tif: " << tif << ", type: " << type;
  o << "}";
  return o.str();
}

// The fields of `e` that disagree with the actual values (empty when they all match).
std::string mismatch(const ExpectedOrder& e, const std::string& symbol, Side side,
                     const std::string& price, Qty qty, const char* tif, const char* type) {
  std::string m;
  auto add = [&](const char* f, const std::string& want, const std::string& got) {
    m += std::string(m.empty() ? "" : ", ") + f + " " + got + " (expected " + want + ")";
  };
  if (!e.symbol.empty() && e.symbol != symbol) add("symbol", e.symbol, symbol);
  const std::string s = side == Side::kBuy ? "B" : "S";
  if (!e.side.empty() && e.side != s) add("side", e.side, s);
  if (!e.price.empty() && e.price != price) add("price", e.price, price);
  if (e.qty >= 0 && e.qty != qty) add("qty", std::to_string(e.qty), std::to_string(qty));
  if (tif != nullptr && !e.tif.empty() && e.tif != tif) add("tif", e.tif, tif);
  if (type != nullptr && !e.type.empty() && e.type != type) add("type", e.type, type);
  return m;
}

}  // namespace

std::vector<std::string> run_scenario(Scenario& sc, strategy::Strategy& strategy,
                                      std::string* report) {
  std::vector<std::string> failures;
  Backtest bt(sc.input, strategy, sc.config);
  bt.run();
  if (!bt.error().empty()) failures.push_back(bt.error());
  std::ostringstream rep;
  const SymbolTable& sy = bt.symbols();
  auto price_str = [&](SymbolId s, Price p) { return format_fixed(p.v, sy.spec(s).price_scale); };
  rep << "orders:\n";
  for (const OrderRecord& o : bt.orders()) {
    rep << "  " << o.id << " "
        << describe(sy.spec(o.symbol).code, o.side,
                    o.type == OrderType::kMarket ? "MKT" : price_str(o.symbol, o.price), o.qty,
                    tif_name(o.tif), o.type == OrderType::kMarket ? "MKT" : "LMT")
        << " filled " << o.filled << "\n";
  }
  rep << "fills:\n";
  for (const FillRecord& f : bt.fills()) {
    rep << "  order " << f.id << " "
        << describe(sy.spec(f.symbol).code, f.side, price_str(f.symbol, f.price), f.qty, nullptr,
                    nullptr)
        << "\n";
  }
  if (sc.check_orders) {
    if (bt.orders().size() != sc.orders.size()) {
      failures.push_back("expected " + std::to_string(sc.orders.size()) + " orders, got " +
                         std::to_string(bt.orders().size()));
    }
    for (std::size_t i = 0; i < std::min(sc.orders.size(), bt.orders().size()); ++i) {
      const OrderRecord& o = bt.orders()[i];
      const std::string m =
          mismatch(sc.orders[i], sy.spec(o.symbol).code, o.side,
                   o.type == OrderType::kMarket ? "MKT" : price_str(o.symbol, o.price), o.qty,
                   tif_name(o.tif), o.type == OrderType::kMarket ? "MKT" : "LMT");
      if (!m.empty()) failures.push_back("order " + std::to_string(i + 1) + ": " + m);
    }
  }
  if (sc.check_fills) {
    if (bt.fills().size() != sc.fills.size()) {
      failures.push_back("expected " + std::to_string(sc.fills.size()) + " fills, got " +
                         std::to_string(bt.fills().size()));
    }
    for (std::size_t i = 0; i < std::min(sc.fills.size(), bt.fills().size()); ++i) {
      const FillRecord& f = bt.fills()[i];
      const std::string m = mismatch(sc.fills[i], sy.spec(f.symbol).code, f.side,
                                     price_str(f.symbol, f.price), f.qty, nullptr, nullptr);
      if (!m.empty()) failures.push_back("fill " + std::to_string(i + 1) + ": " + m);
    }
  }
  for (const auto& [code, want] : sc.positions) {
    const SymbolId id = *sy.find(code);
    const Qty got = bt.position(id);
    rep << "position " << code << ": " << got << "\n";
    if (got != want) {
      failures.push_back("position " + code + ": " + std::to_string(got) + " (expected " +
                         std::to_string(want) + ")");
    }
  }
  if (report != nullptr) *report = rep.str();
  return failures;
}

}  // namespace hft::backtest
