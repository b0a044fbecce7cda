#include "hft/feed/shioaji/reject_sample.hpp"

#include <cstdio>
#include <cstring>

namespace hft::feed::shioaji {

void RejectSampler::record(RejectReason reason, std::string_view payload,
                           std::uint32_t error_offset, Timestamp local_ts) {
  const std::size_t len =
      payload.size() < RejectSample::kBytes ? payload.size() : RejectSample::kBytes;
  const std::uint64_t s = seq_.load(std::memory_order_relaxed);
  seq_.store(s + 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  for (std::size_t w = 0; w * 8 < len; ++w) {
    std::uint64_t word = 0;
    std::memcpy(&word, payload.data() + w * 8, len - w * 8 < 8 ? len - w * 8 : 8);
    words_[w].store(word, std::memory_order_relaxed);
  }
  meta_.store(static_cast<std::uint64_t>(reason) |
                  (static_cast<std::uint64_t>(error_offset & 0xffffffffU) << 8) |
                  (static_cast<std::uint64_t>(len) << 40),
              std::memory_order_relaxed);
  size_.store(payload.size(), std::memory_order_relaxed);
  local_ts_.store(local_ts, std::memory_order_relaxed);
  total_.store(total_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  seq_.store(s + 2, std::memory_order_release);
}

bool RejectSampler::take(RejectSample& out) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const std::uint64_t s0 = seq_.load(std::memory_order_acquire);
    if (s0 & 1) continue;
    const std::uint64_t total = total_.load(std::memory_order_relaxed);
    if (total == taken_total_) return false;
    const std::uint64_t meta = meta_.load(std::memory_order_relaxed);
    const std::size_t len = static_cast<std::size_t>(meta >> 40);
    std::uint64_t words[kWords];
    for (std::size_t w = 0; w * 8 < len && w < kWords; ++w) {
      words[w] = words_[w].load(std::memory_order_relaxed);
    }
    const std::uint64_t size = size_.load(std::memory_order_relaxed);
    const Timestamp ts = local_ts_.load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if (seq_.load(std::memory_order_relaxed) != s0) continue;

    out.reason = static_cast<RejectReason>(meta & 0xff);
    out.error_offset = static_cast<std::uint32_t>((meta >> 8) & 0xffffffffU);
    out.length = static_cast<std::uint32_t>(len);
    out.payload_size = static_cast<std::uint32_t>(size);
    out.local_ts = ts;
    out.rejects_since_previous = total - taken_total_;
    std::memcpy(out.bytes, words, len);
    taken_total_ = total;
    return true;
  }
  return false;  // the writer kept overwriting; try again at the next interval
}

std::string describe(const RejectSample& s) {
  std::string line = "feed: rejected payload reason=";
  line += to_string(s.reason);
  line += " at byte " + std::to_string(s.error_offset) + " of " + std::to_string(s.payload_size);
  line += " (" + std::to_string(s.rejects_since_previous) + " rejects since the previous sample)";
  line += ": ";
  for (std::uint32_t i = 0; i < s.length; ++i) {
    const auto ch = static_cast<unsigned char>(s.bytes[i]);
    if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
      line += static_cast<char>(ch);
    } else {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\x%02x", ch);
      line += esc;
    }
  }
  if (s.length < s.payload_size) line += "...";
  return line;
}

}  // namespace hft::feed::shioaji
