// The symbol universe: config/symbols.list (what a human writes) → `hft config build` →
// symbols.yaml (full contract specs the engine reads at start-up).
//
// symbols.list, one symbol per line; '#' starts a comment; blank lines are skipped:
//   CODE [key=value ...]
//   TXF@front tags=futures|front_month     # TXF@front = TXFR1, TXF@next = TXFR2
//   2330 tags=stocks|tw50 limit_pct_bp=1000
//   1234 product_type=stock exchange=TSE price_scale=100 multiplier=1000 lot_size=1000
//   @include other.list                    # relative to the including file
// Keys: name, root, product_type, exchange, price_scale, multiplier, lot_size, limit_pct_bp,
// tags (a|b|c). A code the built-in table (hft::builtin_contract) knows needs no keys; other
// codes need at least product_type, exchange, price_scale and multiplier.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hft/config/config.hpp"
#include "hft/core/contract.hpp"

namespace hft::config {

struct SymbolEntry {
  ContractSpec spec;
  std::vector<std::string> tags;
};

struct SymbolsResult {
  std::vector<SymbolEntry> symbols;  // in file order
  std::vector<std::string> errors;   // "config/symbols.list:7: unknown symbol 'ABC': ..."
  bool ok() const { return errors.empty(); }
};

/// Rewrites the roll rules ROOT@front / ROOT@next to the continuous codes ROOTR1 / ROOTR2;
/// other codes come back unchanged.
std::string expand_code(std::string_view code);

/// Parses a symbols.list file (and the files it @includes).
SymbolsResult parse_symbols_list(const std::string& path);
/// Same, from text; `origin` names it in errors.
SymbolsResult parse_symbols_list_text(std::string_view text, const std::string& origin);

/// The symbols.yaml text for `symbols` (deterministic: same input, same bytes).
std::string render_symbols_yaml(const std::vector<SymbolEntry>& symbols, const std::string& source);

/// Writes render_symbols_yaml to `path` (via a temp file and rename). Empty on success.
std::string write_symbols_yaml(const std::string& path, const std::vector<SymbolEntry>& symbols,
                               const std::string& source);

/// Reads a symbols.yaml written by `hft config build` (or by hand), checking every entry.
SymbolsResult load_symbols_yaml(const std::string& path);

/// The specs of the symbols the run trades (config.symbols, @front/@next expanded): taken from
/// config.symbols_file when set, else from the built-in table. Unknown codes are errors.
SymbolsResult resolve_symbols(const Config& config);

}  // namespace hft::config
