// Book statistics with only the touch set (best bid, best ask, mid): what the risk gate and the
// engine's closing orders read, for tests that need no whole book.
#pragma once

#include <cstdint>

#include "hft/lob/snapshot_book.hpp"

namespace hft::test {

inline lob::BookStats top_of_book(std::int64_t bid, std::int64_t ask) {
  lob::BookStats b;
  b.best_bid = Price{bid};
  b.best_ask = Price{ask};
  b.mid_x2 = bid + ask;
  return b;
}

}  // namespace hft::test
