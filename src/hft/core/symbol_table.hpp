// Dense symbol ids assigned at start-up. The hot path indexes flat per-symbol arrays by id and
// never sees a string; codes are looked up only at the edges (config, feed bridge, reports).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hft/core/contract.hpp"

namespace hft {

using SymbolId = std::uint16_t;
inline constexpr std::size_t kMaxSymbols = 4096;

class SymbolTable {
 public:
  /// Adds a validated spec and returns its id; nullopt (with *error set) when the code is a
  /// duplicate, the spec is invalid, or the table is full.
  std::optional<SymbolId> add(ContractSpec spec, std::string* error = nullptr);

  std::optional<SymbolId> find(std::string_view code) const;
  const ContractSpec& spec(SymbolId id) const { return specs_[id]; }
  const TickLadder& ladder(SymbolId id) const { return ladders_[id]; }
  std::size_t size() const { return specs_.size(); }

 private:
  std::vector<ContractSpec> specs_;
  std::vector<TickLadder> ladders_;
  std::unordered_map<std::string, SymbolId> by_code_;
};

}  // namespace hft
