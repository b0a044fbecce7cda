// WalReader: every verified record of a WAL directory in sequence order, with each piece of
// damage reported by segment file and byte offset. Used by start-up recovery, `hft wal ...`
// tools and replay. Read-only: it never changes a file.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "hft/events/events.hpp"
#include "hft/recorder/wal_format.hpp"

namespace hft::recorder {

/// One thing wrong with a WAL. `offset` is a byte offset into `segment`.
struct WalIssue {
  enum class Kind : std::uint8_t {
    kCorruptRecord,     // bytes that are not a valid record, followed by valid records
    kTornTail,          // invalid bytes at the end of the last segment (crash mid-write)
    kBadSegmentHeader,  // header damaged or missing; records after it are still scanned
    kSequenceGap,       // records missing between two valid ones (seq_from..seq_to)
    kOutOfOrder,        // a valid record whose seq is not above the previous one (skipped)
    kUnreadable,        // the file could not be opened or mapped
  };
  Kind kind;
  std::string segment;  // file name inside the WAL directory
  std::uint64_t offset = 0;
  std::uint64_t bytes = 0;  // damaged byte count (corrupt / torn)
  std::uint64_t seq_from = 0;
  std::uint64_t seq_to = 0;
  std::string detail;

  /// A torn tail is expected after a crash (recovery truncates it); everything else is damage.
  bool is_corruption() const { return kind != Kind::kTornTail; }
  /// "wal-...seg offset 1234: corrupt record (checksum mismatch), 88 bytes skipped"
  std::string to_string() const;
};
const char* to_string(WalIssue::Kind k);

/// What one segment held, filled in as the reader passes through it.
struct WalSegmentInfo {
  std::string name;
  std::string path;
  std::uint64_t name_first_seq = 0;  // from the file name
  std::uint64_t file_bytes = 0;
  std::uint64_t valid_end = 0;  // offset just past the last valid record (header end if none)
  std::uint64_t records = 0;
  std::uint64_t first_seq = 0;  // 0 when the segment holds no valid record
  std::uint64_t last_seq = 0;
  std::int64_t created_ns = 0;  // from the segment header (0 when damaged)
  bool header_ok = false;
  bool torn_tail = false;
};

/// A verified record. `payload` points into the mapped segment and stays valid until the next
/// call to WalReader::next(); it is NOT 64-byte aligned: copy it out with `as()`.
struct WalRecord {
  std::uint64_t seq = 0;
  EventType type = EventType::kNone;
  std::uint8_t schema = 0;
  std::uint16_t flags = 0;
  std::uint32_t length = 0;
  const unsigned char* payload = nullptr;
  std::size_t segment_index = 0;  // into WalReader::segments()
  std::uint64_t offset = 0;       // of the record header in its segment

  /// The common prefix of every event.
  EventHeader header() const {
    EventHeader h{};
    if (length >= sizeof h) std::memcpy(&h, payload, sizeof h);
    return h;
  }
  /// Copies the payload into `out` when its size is right for E; false otherwise.
  template <class E>
  bool as(E& out) const {
    static_assert(kIsEvent<E>);
    if constexpr (std::is_same_v<E, MarketData>) {
      if (length == 0 || length > sizeof(E) || wal::is_critical(type)) return false;
    } else if (length != sizeof(E)) {
      return false;
    }
    std::memcpy(static_cast<void*>(&out), payload, length);
    return true;
  }
};

class WalReader {
 public:
  explicit WalReader(std::string dir);
  ~WalReader();
  WalReader(const WalReader&) = delete;
  WalReader& operator=(const WalReader&) = delete;

  /// Lists the segments. Returns "" or one line saying what is wrong (missing directory...).
  /// An existing directory with no segments is an empty WAL, not an error.
  std::string open();

  /// Next valid record in sequence order; false at the end. Damage met on the way is added to
  /// issues() and skipped.
  bool next(WalRecord& out);

  const std::string& dir() const { return dir_; }
  const std::vector<WalSegmentInfo>& segments() const { return segments_; }
  const std::vector<WalIssue>& issues() const { return issues_; }
  std::uint64_t records() const { return records_; }
  std::uint64_t first_seq() const { return first_seq_; }
  std::uint64_t last_seq() const { return last_seq_; }
  bool corrupt() const;

 private:
  bool open_segment(std::size_t index);
  void close_segment();
  bool valid_record_at(std::uint64_t off) const;

  std::string dir_;
  std::vector<WalSegmentInfo> segments_;
  std::vector<WalIssue> issues_;
  std::size_t current_ = 0;  // segment being read
  bool segment_open_ = false;
  const unsigned char* map_ = nullptr;
  std::uint64_t map_size_ = 0;
  std::uint64_t off_ = 0;
  std::uint64_t records_ = 0;
  std::uint64_t first_seq_ = 0;
  std::uint64_t last_seq_ = 0;
};

}  // namespace hft::recorder
