// Shared by the Shioaji fuzz targets (feed_shioaji, feed_bridge_stream): a process-lifetime
// normalizer over a fixed symbol table, and check(), which turns a broken contract into a crash
// the fuzzer reports.
#pragma once

#include <cstdlib>
#include <initializer_list>

#include "hft/core/contract.hpp"
#include "hft/feed/shioaji/normalizer.hpp"

namespace hft::fuzz {

inline void check(bool ok) {
  if (!ok) std::abort();
}

struct ShioajiFixture {
  explicit ShioajiFixture(std::initializer_list<const char*> codes) {
    for (const char* code : codes) symbols.add(*builtin_contract(code));
    norm = new feed::shioaji::Normalizer(symbols);
  }
  SymbolTable symbols;
  feed::shioaji::Normalizer* norm = nullptr;  // lives for the whole process
};

}  // namespace hft::fuzz
