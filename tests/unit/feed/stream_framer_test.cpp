// StreamFramer: the bridge's byte stream cut into binary records and lines, whatever the read
// boundaries.
#include "hft/feed/shioaji/stream_framer.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "hft/feed/shioaji/wire_record.hpp"

namespace hft::feed::shioaji {
namespace {

std::string record(char fill) {
  std::string r(sizeof(WireRecord), fill);
  r[0] = static_cast<char>(WireRecord::kMagic);
  return r;
}

/// Feeds `stream` in pieces of `chunk` bytes and collects every frame.
std::vector<std::string> frames(StreamFramer& f, const std::string& stream, std::size_t chunk) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    const std::size_t n = std::min(chunk, stream.size() - at);
    std::span<char> area = f.write_area();
    EXPECT_GE(area.size(), n);
    std::memcpy(area.data(), stream.data() + at, n);
    f.commit(n);
    for (std::string_view fr; f.next(fr);) out.emplace_back(fr);
  }
  return out;
}

TEST(StreamFramer, RecordsAndLinesInAnyReadSizes) {
  const std::string stream = "@alias TXFF6 TXFR1\n" + record('a') + "{\"type\":\"tick_stk\"}\r\n" +
                             record('b') + record('c') + "\n" + "@ready\n";
  const std::vector<std::string> want = {"@alias TXFF6 TXFR1",
                                         record('a'),
                                         "{\"type\":\"tick_stk\"}",
                                         record('b'),
                                         record('c'),
                                         "",
                                         "@ready"};
  for (std::size_t chunk : {1, 7, 232, 4096}) {
    StreamFramer f;
    EXPECT_EQ(frames(f, stream, chunk), want) << "chunk " << chunk;
    EXPECT_EQ(f.pending(), 0u);
  }
}

TEST(StreamFramer, AnIncompleteFrameWaitsForItsRest) {
  StreamFramer f;
  const std::string r = record('x');
  EXPECT_TRUE(frames(f, r.substr(0, 100), 100).empty());
  EXPECT_EQ(f.pending(), 100u);
  EXPECT_EQ(frames(f, r.substr(100) + "{\"a\"", 4096), std::vector<std::string>{r});
  EXPECT_EQ(f.pending(), 4u);
}

TEST(StreamFramer, AnOversizedLineIsDroppedAndCountedTheStreamGoesOn) {
  StreamFramer f;
  const std::string huge(StreamFramer::kMaxLine + 10, 'z');
  const std::string stream = "{\"ok\":1}\n" + huge + "\n" + "{\"ok\":2}\n";
  for (std::size_t chunk : {100, 70'000}) {
    StreamFramer g;
    EXPECT_EQ(frames(g, stream, chunk), (std::vector<std::string>{"{\"ok\":1}", "{\"ok\":2}"}))
        << "chunk " << chunk;
    EXPECT_EQ(g.oversized(), 1u);
  }
  // A record's magic byte inside the dropped line does not start a record.
  StreamFramer h;
  std::string with_magic = huge;
  with_magic[StreamFramer::kMaxLine + 5] = static_cast<char>(WireRecord::kMagic);
  EXPECT_EQ(frames(h, with_magic + "\n@ready\n", 1000), std::vector<std::string>{"@ready"});
}

}  // namespace
}  // namespace hft::feed::shioaji
