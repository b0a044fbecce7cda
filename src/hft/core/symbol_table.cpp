#include "hft/core/symbol_table.hpp"

namespace hft {

std::optional<SymbolId> SymbolTable::add(ContractSpec spec, std::string* error) {
  auto fail = [&](std::string msg) -> std::optional<SymbolId> {
    if (error != nullptr) *error = std::move(msg);
    return std::nullopt;
  };
  if (std::string problem = spec.validate(); !problem.empty())
    return fail(spec.code + ": " + problem);
  if (by_code_.count(spec.code) != 0) return fail(spec.code + ": duplicate symbol");
  if (specs_.size() >= kMaxSymbols) {
    return fail(spec.code + ": more than " + std::to_string(kMaxSymbols) + " symbols");
  }
  const auto id = static_cast<SymbolId>(specs_.size());
  by_code_.emplace(spec.code, id);
  ladders_.push_back(spec.ladder());
  specs_.push_back(std::move(spec));
  return id;
}

std::optional<SymbolId> SymbolTable::find(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  if (it == by_code_.end()) return std::nullopt;
  return it->second;
}

}  // namespace hft
