#include "hft/engine/position_check.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <nlohmann/json.hpp>

namespace hft::engine {

ExecLineError parse_positions_line(std::string_view json, const SymbolTable& symbols,
                                   std::vector<BrokerPosition>& out, std::string* what) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    if (what != nullptr) *what = "expected one JSON object of code: position";
    return ExecLineError::kBadJson;
  }
  std::vector<BrokerPosition> got(symbols.size());
  std::vector<bool> seen(symbols.size(), false);
  for (const auto& [code, qty] : j.items()) {
    const std::optional<SymbolId> id = symbols.find(code);
    if (!id) {
      if (what != nullptr) *what = fmt::format("{}: expected a configured symbol", code);
      return ExecLineError::kUnknownSymbol;
    }
    if (!qty.is_number_integer() ||
        (qty.is_number_unsigned() && qty.get<std::uint64_t>() > INT64_MAX)) {
      if (what != nullptr) *what = fmt::format("{}: expected a signed integer position", code);
      return ExecLineError::kBadQty;
    }
    got[*id] = BrokerPosition{*id, false, qty.get<Qty>()};
    seen[*id] = true;
  }
  for (SymbolId s = 0; s < symbols.size(); ++s) {
    if (!seen[s]) {
      if (what != nullptr) {
        *what = fmt::format("{}: expected a position for every configured symbol",
                            symbols.spec(s).code);
      }
      return ExecLineError::kMissingField;
    }
  }
  if (!got.empty()) got.back().last = true;
  out = std::move(got);
  return ExecLineError::kOk;
}

}  // namespace hft::engine
