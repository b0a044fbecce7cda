#include "hft/core/contract.hpp"

#include <cstdlib>

namespace hft {

const char* to_string(ProductType t) {
  switch (t) {
    case ProductType::kStock: return "stock";
    case ProductType::kEtf: return "etf";
    case ProductType::kIndexFuture: return "index_future";
    case ProductType::kStockFuture: return "stock_future";
    case ProductType::kIndexOption: return "index_option";
  }
  return "unknown";
}

const char* to_string(Exchange e) {
  switch (e) {
    case Exchange::kTSE: return "TSE";
    case Exchange::kOTC: return "OTC";
    case Exchange::kTAIFEX: return "TAIFEX";
  }
  return "unknown";
}

std::optional<ProductType> product_type_from_string(std::string_view s) {
  for (auto t : {ProductType::kStock, ProductType::kEtf, ProductType::kIndexFuture,
                 ProductType::kStockFuture, ProductType::kIndexOption}) {
    if (s == to_string(t)) return t;
  }
  return std::nullopt;
}

std::optional<Exchange> exchange_from_string(std::string_view s) {
  for (auto e : {Exchange::kTSE, Exchange::kOTC, Exchange::kTAIFEX}) {
    if (s == to_string(e)) return e;
  }
  return std::nullopt;
}

TickRule tick_rule_for(ProductType t) {
  switch (t) {
    case ProductType::kStock: return TickRule::kStock;
    case ProductType::kEtf: return TickRule::kEtf;
    case ProductType::kIndexFuture: return TickRule::kIndexFuture;
    case ProductType::kStockFuture: return TickRule::kStockFuture;
    case ProductType::kIndexOption: return TickRule::kIndexOption;
  }
  return TickRule::kStock;
}

TickLadder ContractSpec::ladder() const {
  auto l = TickLadder::make(tick_rule_for(type), price_scale);
  if (!l) std::abort();  // callers validate specs at load time
  return *l;
}

std::string ContractSpec::validate() const {
  if (code.empty()) return "code is empty";
  if (!is_valid_scale(price_scale)) return "price_scale must be a power of ten between 1 and 1e9";
  if (!TickLadder::make(tick_rule_for(type), price_scale)) {
    return "price_scale " + std::to_string(price_scale) + " cannot represent the " +
           to_string(tick_rule_for(type)) + " tick ladder";
  }
  if (multiplier <= 0) return "multiplier must be positive";
  if (lot_size <= 0) return "lot_size must be positive";
  if (limit_pct_bp <= 0 || limit_pct_bp >= 10'000) return "limit_pct_bp must be in (0, 10000)";
  return {};
}

PriceLimits daily_limits(Price reference, const ContractSpec& spec, const TickLadder& ladder) {
  const Int128 ref = reference.v;
  const auto up = static_cast<std::int64_t>(ref * (10'000 + spec.limit_pct_bp) / 10'000);
  const Int128 down_num = ref * (10'000 - spec.limit_pct_bp);
  // Round the lower bound up (ceil) before snapping so that it never falls below -10 %.
  const auto down = static_cast<std::int64_t>((down_num + 9'999) / 10'000);
  return {ladder.round_up(Price{down}), ladder.round_down(Price{up})};
}

namespace {

struct NamedEquity {
  const char* code;
  const char* name;
  ProductType type;
  Exchange exchange;
};

// Largest TWSE listings and the most traded ETFs.
constexpr NamedEquity kEquities[] = {
    {"2330", "TSMC", ProductType::kStock, Exchange::kTSE},
    {"2317", "Hon Hai", ProductType::kStock, Exchange::kTSE},
    {"2454", "MediaTek", ProductType::kStock, Exchange::kTSE},
    {"2308", "Delta Electronics", ProductType::kStock, Exchange::kTSE},
    {"2382", "Quanta Computer", ProductType::kStock, Exchange::kTSE},
    {"2303", "United Microelectronics", ProductType::kStock, Exchange::kTSE},
    {"2412", "Chunghwa Telecom", ProductType::kStock, Exchange::kTSE},
    {"2881", "Fubon Financial", ProductType::kStock, Exchange::kTSE},
    {"2882", "Cathay Financial", ProductType::kStock, Exchange::kTSE},
    {"2891", "CTBC Financial", ProductType::kStock, Exchange::kTSE},
    {"2886", "Mega Financial", ProductType::kStock, Exchange::kTSE},
    {"2884", "E.Sun Financial", ProductType::kStock, Exchange::kTSE},
    {"2890", "SinoPac Financial", ProductType::kStock, Exchange::kTSE},
    {"1301", "Formosa Plastics", ProductType::kStock, Exchange::kTSE},
    {"1303", "Nan Ya Plastics", ProductType::kStock, Exchange::kTSE},
    {"2002", "China Steel", ProductType::kStock, Exchange::kTSE},
    {"2603", "Evergreen Marine", ProductType::kStock, Exchange::kTSE},
    {"3711", "ASE Technology", ProductType::kStock, Exchange::kTSE},
    {"2357", "Asustek", ProductType::kStock, Exchange::kTSE},
    {"3008", "Largan Precision", ProductType::kStock, Exchange::kTSE},
    {"0050", "Yuanta Taiwan Top 50 ETF", ProductType::kEtf, Exchange::kTSE},
    {"0056", "Yuanta Taiwan High Dividend ETF", ProductType::kEtf, Exchange::kTSE},
    {"006208", "Fubon Taiwan Top 50 ETF", ProductType::kEtf, Exchange::kTSE},
    {"00878", "Cathay Sustainable High Dividend ETF", ProductType::kEtf, Exchange::kTSE},
    {"00919", "Capital Taiwan Select High Dividend ETF", ProductType::kEtf, Exchange::kTSE},
    {"00929", "Fuh Hwa Taiwan Tech Dividend ETF", ProductType::kEtf, Exchange::kTSE},
};

struct FuturesRoot {
  const char* root;
  const char* name;
  std::int64_t multiplier;  // NTD per index point
};

constexpr FuturesRoot kIndexFutures[] = {
    {"TXF", "TAIEX Futures", 200},
    {"MXF", "Mini-TAIEX Futures", 50},
    {"TMF", "Micro TAIEX Futures", 10},
};

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Month code: A-L (+ year digit) for a delivery month, or R1/R2 for the continuous contracts.
bool is_futures_month(std::string_view s) {
  if (s.size() != 2) return false;
  if (s[0] == 'R') return s[1] == '1' || s[1] == '2';
  return s[0] >= 'A' && s[0] <= 'L' && s[1] >= '0' && s[1] <= '9';
}

}  // namespace

std::optional<ContractSpec> builtin_contract(std::string_view code) {
  for (const auto& e : kEquities) {
    if (code == e.code) {
      return ContractSpec{e.code, e.name, e.code, e.type, e.exchange, 100, 1000, 1000, 1000};
    }
  }
  for (const auto& f : kIndexFutures) {
    const std::string_view root = f.root;
    if (code.size() == 5 && code.substr(0, 3) == root && is_futures_month(code.substr(3))) {
      return ContractSpec{
          std::string(code), f.name, f.root, ProductType::kIndexFuture, Exchange::kTAIFEX, 1,
          f.multiplier,      1,      1000};
    }
  }
  // TAIEX options: TXO<strike><A-L call | M-X put><year digit>, NTD 50 per point; premium
  // ticks down to 0.1 point, so scale 10.
  if (code.size() >= 6 && code.substr(0, 3) == "TXO") {
    const std::string_view strike = code.substr(3, code.size() - 5);
    const char month = code[code.size() - 2];
    const char year = code[code.size() - 1];
    if (is_digits(strike) && month >= 'A' && month <= 'X' && year >= '0' && year <= '9') {
      return ContractSpec{std::string(code),
                          "TAIEX Option",
                          "TXO",
                          ProductType::kIndexOption,
                          Exchange::kTAIFEX,
                          10,
                          50,
                          1,
                          1000};
    }
  }
  return std::nullopt;
}

std::vector<std::string> builtin_examples() {
  std::vector<std::string> out;
  for (const auto& e : kEquities) out.emplace_back(e.code);
  for (const auto& f : kIndexFutures)
    out.emplace_back(std::string(f.root) + "<A-L><year digit>|R1|R2");
  out.emplace_back("TXO<strike><A-X><year digit>");
  return out;
}

}  // namespace hft
