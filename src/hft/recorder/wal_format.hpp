// On-disk format of the write-ahead log (docs/wal.md is the prose version of this file).
//
// A WAL is a directory of segment files plus a MANIFEST:
//   <dir>/wal-<first_seq, 20 digits>-<start time UTC, YYYYMMDDTHHMMSSZ>.seg
//   <dir>/MANIFEST   (text; rewritten atomically: tmp + fsync + rename + fsync dir)
// A segment is a SegmentHeader followed by records back to back (no padding). A record is a
// RecordHeader followed by `length` payload bytes: the raw bytes of one event (events.hpp).
// All integers are little-endian (the only byte order we run on; checked below).
// The sequence is WAL-global: 1, 2, 3, ... continuous across segments and restarts.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>

#include "hft/events/events.hpp"

namespace hft::recorder::wal {

static_assert(std::endian::native == std::endian::little, "WAL format is little-endian");

inline constexpr char kSegmentMagic[8] = {'H', 'F', 'T', 'W', 'A', 'L', '\r', '\n'};
inline constexpr std::uint32_t kFormatVersion = 1;
/// Schema version of the event payloads (bump when a struct in events.hpp changes layout).
inline constexpr std::uint8_t kSchemaVersion = 1;
/// Largest payload a valid record can have; anything larger is a damaged length field.
inline constexpr std::uint32_t kMaxPayload = 4096;

/// First 64 bytes of every segment file.
struct SegmentHeader {
  char magic[8];
  std::uint32_t version;       // kFormatVersion
  std::uint32_t header_bytes;  // sizeof(SegmentHeader): records start here
  std::uint64_t first_seq;     // sequence of the first record written into this segment
  std::int64_t created_ns;     // wall clock when the segment was opened, ns since epoch UTC
  std::uint8_t reserved[24];
  std::uint64_t checksum;  // XXH3-64 of the 56 bytes before it
};
static_assert(sizeof(SegmentHeader) == 64);

/// Precedes every record. `checksum` = XXH3-64 of the payload seeded with
/// `word0 ^ (seq * 0x9E3779B97F4A7C15)`, where word0 is the first 8 header bytes (length, type,
/// schema, flags) read as a little-endian u64: a damaged bit anywhere in the record — header or
/// payload — fails verification.
struct RecordHeader {
  std::uint32_t length;  // payload bytes (not counting this header)
  std::uint8_t type;     // hft::EventType
  std::uint8_t schema;   // kSchemaVersion at write time
  std::uint16_t flags;   // reserved, 0
  std::uint64_t seq;     // WAL-global sequence number
  std::uint64_t checksum;
};
static_assert(sizeof(RecordHeader) == 24);
inline constexpr std::size_t kChecksummedHeaderBytes = offsetof(RecordHeader, checksum);

/// Checksum of a record whose header and payload are contiguous at `record`.
std::uint64_t record_checksum(const void* record);
/// Fills version/header_bytes/magic/checksum.
SegmentHeader make_segment_header(std::uint64_t first_seq, std::int64_t created_ns);
/// True when magic, version, size and checksum are right.
bool segment_header_ok(const SegmentHeader& h);

/// Payload size of each event type as written to the WAL (0 for an unknown type). A
/// MarketData union is recorded as its active member, so a trade is always 64 bytes.
constexpr std::uint32_t event_size(EventType t) {
  switch (t) {
    case EventType::kBookSnapshot: return sizeof(BookSnapshot);
    case EventType::kTrade: return sizeof(TradeEvent);
    case EventType::kBookLevel: return sizeof(BookLevelEvent);
    case EventType::kBookClear: return sizeof(BookClearEvent);
    case EventType::kOrder: return sizeof(OrderEvent);
    case EventType::kExecReport: return sizeof(ExecReport);
    case EventType::kRiskReject: return sizeof(RiskRejectEvent);
    case EventType::kStateChange: return sizeof(StateChangeEvent);
    case EventType::kLobStats: return sizeof(LobStatsEvent);
    case EventType::kLatencySample: return sizeof(LatencySampleEvent);
    case EventType::kPositionSnapshot: return sizeof(PositionSnapshotEvent);
    case EventType::kNone: return 0;
  }
  return 0;
}
constexpr std::uint32_t event_size(std::uint8_t t) { return event_size(static_cast<EventType>(t)); }

/// Orders, fills, risk decisions and state changes: the recorder never drops these.
constexpr bool is_critical(EventType t) {
  return t == EventType::kOrder || t == EventType::kExecReport || t == EventType::kRiskReject ||
         t == EventType::kStateChange;
}

/// "wal-00000000000000000001-20250102T013000Z.seg"
std::string segment_file_name(std::uint64_t first_seq, std::int64_t created_ns);
/// Parses a segment file name; false when `name` is not one.
bool parse_segment_file_name(const std::string& name, std::uint64_t& first_seq);

inline constexpr const char* kManifestName = "MANIFEST";

}  // namespace hft::recorder::wal
