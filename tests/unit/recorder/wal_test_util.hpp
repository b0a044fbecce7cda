// Helpers for WAL tests: a temp directory that removes itself, events of every type, file
// surgery (truncate, flip a byte).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "hft/events/events.hpp"
#include "hft/recorder/wal_reader.hpp"

namespace hft::recorder::test {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = (std::filesystem::temp_directory_path() /
             ("hft-wal-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd())))
                .string();
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string wal() const { return path_ + "/wal"; }

 private:
  std::string path_;
};

inline EventHeader header(EventType t, std::uint32_t seq, SymbolId symbol = 7) {
  EventHeader h{};
  h.exch_ts = 1'700'000'000'000'000'000 + seq * 1000;
  h.local_ts = h.exch_ts + 250;
  h.seq = seq;
  h.symbol = symbol;
  h.type = t;
  h.flags = kFlagLastInBatch;
  return h;
}

inline TradeEvent trade(std::uint32_t seq, SymbolId symbol = 7) {
  TradeEvent e{};
  e.h = header(EventType::kTrade, seq, symbol);
  e.price = Price{2'000'000 + seq};
  e.qty = 3;
  e.total_volume = 1000 + seq;
  e.aggressor = Side::kSell;
  e.aggressor_known = true;
  return e;
}

inline OrderEvent order(std::uint32_t seq) {
  OrderEvent e{};
  e.h = header(EventType::kOrder, seq);
  e.client_id = 900 + seq;
  e.price = Price{17'000};
  e.qty = 2;
  e.action = OrderAction::kNew;
  e.side = Side::kBuy;
  e.tif = TimeInForce::kIOC;
  e.order_type = OrderType::kLimit;
  e.strategy_id = 4;
  return e;
}

/// Reads every valid record of `dir`; the reader stays inspectable through `out_reader`.
inline std::vector<std::uint64_t> read_seqs(const std::string& dir,
                                            std::vector<WalIssue>* issues = nullptr) {
  WalReader r(dir);
  std::vector<std::uint64_t> seqs;
  if (!r.open().empty()) return seqs;
  WalRecord rec;
  while (r.next(rec)) seqs.push_back(rec.seq);
  if (issues != nullptr) *issues = r.issues();
  return seqs;
}

inline std::vector<std::string> segment_paths(const std::string& dir) {
  WalReader r(dir);
  std::vector<std::string> out;
  if (!r.open().empty()) return out;
  for (const auto& s : r.segments()) out.push_back(s.path);
  return out;
}

inline void flip_byte(const std::string& path, std::uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
}

}  // namespace hft::recorder::test
