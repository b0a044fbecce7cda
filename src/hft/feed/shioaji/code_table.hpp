// Broker code → dense SymbolId without a std::string per lookup: a fixed-capacity open-addressing
// table whose keys are the code's bytes packed into two words (codes are at most 16 bytes:
// "2330", "TXFF6", "TXO18000R3"). Filled at start-up (cold); find() is a hash, one or two slot
// compares and no allocation.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "hft/core/symbol_table.hpp"

namespace hft::feed::shioaji {

class CodeTable {
 public:
  static constexpr std::size_t kMaxCodeLen = 16;
  static constexpr int kNotFound = -1;

  /// Room for `max_entries` codes at a load factor of at most 1/2.
  explicit CodeTable(std::size_t max_entries = 64);

  /// Maps `code` to `id`, replacing an existing mapping. False when the code is empty, longer
  /// than kMaxCodeLen, or the table already holds max_entries codes.
  bool insert(std::string_view code, SymbolId id);
  void clear();

  /// SymbolId of the code in [p, p+n), or kNotFound.
  int find(const char* p, std::size_t n) const {
    if (n == 0 || n > kMaxCodeLen) return kNotFound;
    std::uint64_t k0 = 0;
    std::uint64_t k1 = 0;
    pack(p, n, k0, k1);
    for (std::size_t i = hash(k0, k1) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.len == 0) return kNotFound;
      if (s.k0 == k0 && s.k1 == k1 && s.len == n) return s.id;
    }
  }
  int find(std::string_view code) const { return find(code.data(), code.size()); }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t k0 = 0;
    std::uint64_t k1 = 0;
    SymbolId id = 0;
    std::uint8_t len = 0;  // 0 = empty slot
  };

  static void pack(const char* p, std::size_t n, std::uint64_t& k0, std::uint64_t& k1) {
    char buf[kMaxCodeLen] = {};
    std::memcpy(buf, p, n);
    std::memcpy(&k0, buf, 8);
    std::memcpy(&k1, buf + 8, 8);
  }
  static std::size_t hash(std::uint64_t k0, std::uint64_t k1) {
    std::uint64_t h = (k0 ^ (k1 * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t max_entries_ = 0;
  std::size_t size_ = 0;
};

}  // namespace hft::feed::shioaji
