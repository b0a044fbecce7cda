#include "hft/feed/shioaji/stream_framer.hpp"

#include <cstring>

#include "hft/feed/shioaji/wire_record.hpp"

namespace hft::feed::shioaji {

StreamFramer::StreamFramer(std::size_t capacity)
    : buf_(capacity < 2 * kMaxLine ? 2 * kMaxLine : capacity) {}

std::span<char> StreamFramer::write_area() {
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {  // next() was not called in between: drop the unframed bytes
    end_ = 0;
    skipping_ = true;
    ++oversized_;
  }
  return {buf_.data() + end_, buf_.size() - end_};
}

bool StreamFramer::next(std::string_view& frame) {
  for (;;) {
    if (begin_ == end_) return false;
    const char* start = buf_.data() + begin_;
    const std::size_t avail = end_ - begin_;
    if (!skipping_ && static_cast<std::uint8_t>(*start) == WireRecord::kMagic) {
      if (avail < sizeof(WireRecord)) return false;
      frame = {start, sizeof(WireRecord)};
      begin_ += sizeof(WireRecord);
      return true;
    }
    const void* nl = std::memchr(start, '\n', avail);
    if (nl == nullptr) {
      if (!skipping_ && avail > kMaxLine) {
        skipping_ = true;
        ++oversized_;
      }
      if (skipping_) begin_ = end_;  // nothing of it is kept
      return false;
    }
    const std::size_t len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
    begin_ += len + 1;
    if (skipping_ || len > kMaxLine) {
      if (!skipping_) ++oversized_;
      skipping_ = false;
      continue;
    }
    frame = {start, len > 0 && start[len - 1] == '\r' ? len - 1 : len};
    return true;
  }
}

}  // namespace hft::feed::shioaji
