// WAL record -> one RowBinary row of its ClickHouse table (schema.hpp gives the column order).
// A record that cannot become a valid row (unknown type or schema, negative timestamp, an enum
// byte outside its range, a symbol id the directory does not know) is refused with the reason:
// the loader sends it to the dead-letter file instead of loading a wrong row.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hft/recorder/clickhouse/row_binary.hpp"
#include "hft/recorder/clickhouse/schema.hpp"
#include "hft/recorder/wal_reader.hpp"

namespace hft::recorder::clickhouse {

/// What the WAL does not say about a symbol id: its code and price scale. Built by the caller
/// from the same configuration `hft run` used (symbol ids are assigned at start-up).
struct SymbolInfo {
  std::string code;
  std::int64_t price_scale = 0;
};

class SymbolDirectory {
 public:
  void add(SymbolId id, SymbolInfo info) {
    if (by_id_.size() <= id) by_id_.resize(static_cast<std::size_t>(id) + 1);
    by_id_[id] = std::move(info);
  }
  const SymbolInfo* find(SymbolId id) const {
    return id < by_id_.size() && by_id_[id] ? &*by_id_[id] : nullptr;
  }
  std::size_t size() const { return by_id_.size(); }

 private:
  std::vector<std::optional<SymbolInfo>> by_id_;
};

/// Appends the row of `rec` (to be inserted into table_of(rec.type)) to `out`. Returns "" on
/// success, otherwise why the record cannot be converted; `out` is then unchanged.
std::string append_row(const WalRecord& rec, const SymbolDirectory& symbols, RowBinaryWriter& out);

}  // namespace hft::recorder::clickhouse
