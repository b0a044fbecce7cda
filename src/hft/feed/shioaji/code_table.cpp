#include "hft/feed/shioaji/code_table.hpp"

namespace hft::feed::shioaji {

CodeTable::CodeTable(std::size_t max_entries) : max_entries_(max_entries) {
  std::size_t cap = 16;
  while (cap < 2 * max_entries) cap *= 2;
  slots_.assign(cap, Slot{});
  mask_ = cap - 1;
}

bool CodeTable::insert(std::string_view code, SymbolId id) {
  if (code.empty() || code.size() > kMaxCodeLen) return false;
  std::uint64_t k0 = 0;
  std::uint64_t k1 = 0;
  pack(code.data(), code.size(), k0, k1);
  for (std::size_t i = hash(k0, k1) & mask_;; i = (i + 1) & mask_) {
    Slot& s = slots_[i];
    if (s.len == 0) {
      if (size_ >= max_entries_) return false;
      s = Slot{k0, k1, id, static_cast<std::uint8_t>(code.size())};
      ++size_;
      return true;
    }
    if (s.k0 == k0 && s.k1 == k1 && s.len == code.size()) {
      s.id = id;
      return true;
    }
  }
}

void CodeTable::clear() {
  slots_.assign(slots_.size(), Slot{});
  size_ = 0;
}

}  // namespace hft::feed::shioaji
