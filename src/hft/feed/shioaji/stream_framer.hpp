// StreamFramer: splits the Shioaji bridge's byte stream (a pipe) into payloads for
// Normalizer::decode. A frame is either a binary record (first byte 0xB7, sizeof(WireRecord)
// bytes) or a '\n'-terminated line: a JSON payload, or a bridge control line starting with '@'
// (docs/feed.md, "The bridge process"). One fixed buffer, no allocation after construction.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hft::feed::shioaji {

class StreamFramer {
 public:
  /// Longest line kept; a longer one is dropped up to its '\n' and counted (oversized()).
  static constexpr std::size_t kMaxLine = 64 * 1024;

  explicit StreamFramer(std::size_t capacity = 4 * kMaxLine);

  /// Free space to read the stream into (never empty: compacts first, and drops an oversized
  /// line in progress when the buffer is full of it).
  std::span<char> write_area();
  /// `n` bytes were written at the start of write_area().
  void commit(std::size_t n) { end_ += n; }
  /// The next complete frame (a line without its "\n" or "\r\n"); valid until write_area().
  /// False when no complete frame is buffered.
  bool next(std::string_view& frame);

  std::uint64_t oversized() const { return oversized_; }
  /// Bytes of an incomplete frame at the end of the stream (a bridge that died mid-write).
  std::size_t pending() const { return end_ - begin_; }

 private:
  std::vector<char> buf_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool skipping_ = false;  // inside an oversized line: drop up to its '\n'
  std::uint64_t oversized_ = 0;
};

}  // namespace hft::feed::shioaji
