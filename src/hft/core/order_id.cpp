#include "hft/core/order_id.hpp"

#include <cstdio>
#include <fstream>

namespace hft {

ClientOrderIdGenerator::ClientOrderIdGenerator(std::int64_t now_ms, std::string state_file,
                                               std::uint64_t start_seq)
    : seq_(start_seq < kSeqMask ? start_seq : kSeqMask), state_file_(std::move(state_file)) {
  std::uint64_t epoch =
      now_ms > kEpochBaseMs ? static_cast<std::uint64_t>(now_ms - kEpochBaseMs) : 1;
  if (const std::uint64_t last = read_last_epoch(); last >= epoch) epoch = last + 1;
  epoch_ = epoch;
  persist();
}

void ClientOrderIdGenerator::roll_epoch() {
  // Another generator sharing the state file may have claimed epoch_ + 1 since we started, so
  // the next epoch is past both ours and the last one recorded.
  std::uint64_t next = epoch_ + 1;
  if (const std::uint64_t last = read_last_epoch(); last >= next) next = last + 1;
  epoch_ = next;
  seq_ = 0;
  persist();
}

std::uint64_t ClientOrderIdGenerator::read_last_epoch() const {
  if (state_file_.empty()) return 0;
  std::ifstream in(state_file_);
  std::uint64_t last = 0;
  return (in >> last) ? last : 0;
}

void ClientOrderIdGenerator::persist() {
  if (state_file_.empty()) return;
  // Write-then-rename so a crash never leaves a truncated state file.
  const std::string tmp = state_file_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << epoch_ << '\n';
    out.flush();
    if (!out) {
      persisted_ = false;
      return;
    }
  }
  persisted_ = std::rename(tmp.c_str(), state_file_.c_str()) == 0;
}

}  // namespace hft
