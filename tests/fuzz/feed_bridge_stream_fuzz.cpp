// Fuzz target: the `hft run live` feed path on an arbitrary byte stream — StreamFramer cuts it
// (read sizes from the first input byte), every payload frame goes to the Shioaji normalizer.
// Checks: a frame is a whole record (0xB7 and sizeof(WireRecord) bytes) or a line without '\n'
// of at most kMaxLine bytes; frames and what is pending never cover more bytes than the stream.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "hft/feed/shioaji/stream_framer.hpp"
#include "hft/feed/shioaji/wire_record.hpp"
#include "shioaji_fixture.hpp"

namespace {

using hft::feed::shioaji::StreamFramer;
using hft::feed::shioaji::WireRecord;
using hft::fuzz::check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hft::fuzz::ShioajiFixture f({"2330", "TXFD6", "TXFR1"});
  static hft::feed::shioaji::Decoded out;
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] * 17u;  // 1 .. 4336 bytes per read
  const char* stream = reinterpret_cast<const char*>(data + 1);
  const std::size_t n = size - 1;
  StreamFramer framer(2 * StreamFramer::kMaxLine);
  std::size_t framed = 0;  // bytes of frames plus their line ends
  for (std::size_t at = 0; at < n; at += chunk) {
    const std::size_t len = std::min(chunk, n - at);
    const std::span<char> area = framer.write_area();
    check(area.size() >= len);
    std::memcpy(area.data(), stream + at, len);
    framer.commit(len);
    for (std::string_view frame; framer.next(frame);) {
      const bool record =
          !frame.empty() && static_cast<std::uint8_t>(frame[0]) == WireRecord::kMagic;
      if (record) {
        check(frame.size() == sizeof(WireRecord));
      } else {
        check(frame.find('\n') == std::string_view::npos && frame.size() <= StreamFramer::kMaxLine);
      }
      framed += frame.size();
      if (!frame.empty() && frame[0] != '@') (void)f.norm->decode(frame, 0, out);
    }
  }
  check(framed + framer.pending() <= n);
  return 0;
}
