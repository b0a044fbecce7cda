#include "hft/recorder/wal_format.hpp"

// Header-only xxHash: lets the compiler inline XXH3 for our short (64/192-byte) payloads.
#define XXH_INLINE_ALL
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12 false positive in AVX-512 code
#include <xxhash.h>
#pragma GCC diagnostic pop

#include <cstdio>
#include <cstring>
#include <ctime>

namespace hft::recorder::wal {

std::uint64_t record_checksum(const void* record) {
  const auto* bytes = static_cast<const unsigned char*>(record);
  RecordHeader h;
  std::memcpy(&h, bytes, sizeof h);
  std::uint64_t word0;  // length, type, schema, flags
  std::memcpy(&word0, bytes, sizeof word0);
  // One hash pass instead of two: the header enters as the seed. Any change to word0 or seq
  // changes the seed (xor with an odd multiple of seq is a bijection in each field).
  const XXH64_hash_t seed = word0 ^ (h.seq * 0x9E3779B97F4A7C15ull);
  return XXH3_64bits_withSeed(bytes + sizeof(RecordHeader), h.length, seed);
}

SegmentHeader make_segment_header(std::uint64_t first_seq, std::int64_t created_ns) {
  SegmentHeader h{};
  std::memcpy(h.magic, kSegmentMagic, sizeof h.magic);
  h.version = kFormatVersion;
  h.header_bytes = sizeof(SegmentHeader);
  h.first_seq = first_seq;
  h.created_ns = created_ns;
  h.checksum = XXH3_64bits(&h, offsetof(SegmentHeader, checksum));
  return h;
}

bool segment_header_ok(const SegmentHeader& h) {
  return std::memcmp(h.magic, kSegmentMagic, sizeof h.magic) == 0 && h.version == kFormatVersion &&
         h.header_bytes == sizeof(SegmentHeader) &&
         h.checksum == XXH3_64bits(&h, offsetof(SegmentHeader, checksum));
}

std::string segment_file_name(std::uint64_t first_seq, std::int64_t created_ns) {
  const std::time_t secs = static_cast<std::time_t>(created_ns / 1'000'000'000);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  char name[96];
  std::snprintf(name, sizeof name, "wal-%020llu-%s.seg", static_cast<unsigned long long>(first_seq),
                stamp);
  return name;
}

bool parse_segment_file_name(const std::string& name, std::uint64_t& first_seq) {
  // wal-<20 digits>-<16 chars>.seg
  if (name.size() != 4 + 20 + 1 + 16 + 4 || name.compare(0, 4, "wal-") != 0 || name[24] != '-' ||
      name.compare(name.size() - 4, 4, ".seg") != 0) {
    return false;
  }
  std::uint64_t v = 0;
  for (std::size_t i = 4; i < 24; ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(name[i] - '0');
  }
  first_seq = v;
  return true;
}

}  // namespace hft::recorder::wal
