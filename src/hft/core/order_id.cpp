#include "hft/core/order_id.hpp"

#include <cstdio>
#include <fstream>

namespace hft {

ClientOrderIdGenerator::ClientOrderIdGenerator(std::int64_t now_ms, std::string state_file)
    : state_file_(std::move(state_file)) {
  std::uint64_t epoch = now_ms > kEpochBaseMs ? static_cast<std::uint64_t>(now_ms - kEpochBaseMs) : 1;
  if (!state_file_.empty()) {
    std::ifstream in(state_file_);
    std::uint64_t last = 0;
    if (in >> last && last >= epoch) epoch = last + 1;
  }
  epoch_ = epoch;
  persist();
}

void ClientOrderIdGenerator::roll_epoch() {
  ++epoch_;
  seq_ = 0;
  persist();
}

void ClientOrderIdGenerator::persist() const {
  if (state_file_.empty()) return;
  // Write-then-rename so a crash never leaves a truncated state file.
  const std::string tmp = state_file_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << epoch_ << '\n';
    if (!out) return;
  }
  std::rename(tmp.c_str(), state_file_.c_str());
}

}  // namespace hft
