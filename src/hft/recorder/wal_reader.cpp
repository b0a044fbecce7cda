#include "hft/recorder/wal_reader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>

namespace hft::recorder {

namespace fs = std::filesystem;

const char* to_string(WalIssue::Kind k) {
  switch (k) {
    case WalIssue::Kind::kCorruptRecord: return "corrupt record";
    case WalIssue::Kind::kTornTail: return "torn tail";
    case WalIssue::Kind::kBadSegmentHeader: return "bad segment header";
    case WalIssue::Kind::kSequenceGap: return "sequence gap";
    case WalIssue::Kind::kOutOfOrder: return "out-of-order record";
    case WalIssue::Kind::kUnreadable: return "unreadable segment";
  }
  return "unknown";
}

std::string WalIssue::to_string() const {
  std::string s = segment + " offset " + std::to_string(offset) + ": " + recorder::to_string(kind);
  if (kind == Kind::kSequenceGap) {
    s += " (seq " + std::to_string(seq_from) + ".." + std::to_string(seq_to) + " missing)";
  } else if (kind == Kind::kOutOfOrder) {
    s += " (seq " + std::to_string(seq_from) + " after " + std::to_string(seq_to) + ", skipped)";
  }
  if (bytes != 0) s += ", " + std::to_string(bytes) + " bytes skipped";
  if (!detail.empty()) s += " (" + detail + ")";
  return s;
}

WalReader::WalReader(std::string dir) : dir_(std::move(dir)) {}
WalReader::~WalReader() { close_segment(); }

std::string WalReader::open() {
  std::error_code ec;
  const fs::file_status st = fs::status(dir_, ec);
  if (ec || !fs::exists(st)) return "wal: directory '" + dir_ + "' does not exist";
  if (!fs::is_directory(st)) return "wal: '" + dir_ + "' is not a directory";
  fs::directory_iterator it(dir_, ec);
  if (ec) return "wal: cannot read directory '" + dir_ + "' (" + ec.message() + ")";
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    std::uint64_t first = 0;
    if (!wal::parse_segment_file_name(name, first)) continue;
    WalSegmentInfo info;
    info.name = name;
    info.path = entry.path().string();
    info.name_first_seq = first;
    segments_.push_back(std::move(info));
  }
  // Zero-padded first sequence first in the name: name order is sequence order.
  std::sort(segments_.begin(), segments_.end(),
            [](const WalSegmentInfo& a, const WalSegmentInfo& b) { return a.name < b.name; });
  return {};
}

bool WalReader::corrupt() const {
  return std::any_of(issues_.begin(), issues_.end(),
                     [](const WalIssue& i) { return i.is_corruption(); });
}

void WalReader::close_segment() {
  if (map_ != nullptr) munmap(const_cast<unsigned char*>(map_), map_size_);
  map_ = nullptr;
  map_size_ = 0;
  segment_open_ = false;
}

bool WalReader::open_segment(std::size_t index) {
  WalSegmentInfo& seg = segments_[index];
  const int fd = ::open(seg.path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    issues_.push_back({WalIssue::Kind::kUnreadable, seg.name, 0, 0, 0, 0, std::strerror(err)});
    return false;
  }
  seg.file_bytes = static_cast<std::uint64_t>(st.st_size);
  if (seg.file_bytes > 0) {
    void* p = mmap(nullptr, seg.file_bytes, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      issues_.push_back({WalIssue::Kind::kUnreadable, seg.name, 0, 0, 0, 0, std::strerror(err)});
      return false;
    }
    madvise(p, seg.file_bytes, MADV_SEQUENTIAL);
    map_ = static_cast<const unsigned char*>(p);
    map_size_ = seg.file_bytes;
  }
  ::close(fd);
  segment_open_ = true;

  const bool last = index + 1 == segments_.size();
  off_ = sizeof(wal::SegmentHeader);
  seg.valid_end = off_;
  if (map_size_ < sizeof(wal::SegmentHeader)) {
    // A segment created just before a crash may not even have its whole header.
    issues_.push_back({last ? WalIssue::Kind::kTornTail : WalIssue::Kind::kBadSegmentHeader,
                       seg.name, 0, map_size_, 0, 0, "segment shorter than its header"});
    seg.torn_tail = last;
    seg.valid_end = 0;
    off_ = map_size_;
    return true;
  }
  wal::SegmentHeader h;
  std::memcpy(&h, map_, sizeof h);
  seg.header_ok = wal::segment_header_ok(h);
  if (seg.header_ok) {
    seg.created_ns = h.created_ns;
  } else {
    issues_.push_back({WalIssue::Kind::kBadSegmentHeader, seg.name, 0, sizeof h, 0, 0,
                       "magic, version or checksum wrong; scanning records anyway"});
  }
  return true;
}

bool WalReader::valid_record_at(std::uint64_t off) const {
  if (map_size_ - off < sizeof(wal::RecordHeader)) return false;
  wal::RecordHeader h;
  std::memcpy(&h, map_ + off, sizeof h);
  // Cheap plausibility first: resynchronisation calls this at every byte offset.
  if (h.length == 0 || h.length > wal::kMaxPayload || h.schema == 0 || h.seq == 0) return false;
  if (map_size_ - off - sizeof h < h.length) return false;
  return wal::record_checksum(map_ + off) == h.checksum;
}

bool WalReader::next(WalRecord& out) {
  while (current_ < segments_.size()) {
    if (!segment_open_ && !open_segment(current_)) {
      ++current_;
      continue;
    }
    WalSegmentInfo& seg = segments_[current_];
    const bool last = current_ + 1 == segments_.size();
    while (off_ < map_size_) {
      if (!valid_record_at(off_)) {
        // Damage: find the next offset where a whole record verifies. Nothing after it in the
        // last segment means a write cut short by a crash (torn tail), not corruption.
        const std::uint64_t bad = off_;
        std::uint64_t p = bad + 1;
        while (p < map_size_ && !valid_record_at(p)) ++p;
        std::string detail;
        if (map_size_ - bad >= sizeof(wal::RecordHeader)) {
          wal::RecordHeader h;
          std::memcpy(&h, map_ + bad, sizeof h);
          detail = "length " + std::to_string(h.length) + ", seq field " + std::to_string(h.seq);
        } else {
          detail = "partial record header";
        }
        if (p < map_size_) {
          issues_.push_back(
              {WalIssue::Kind::kCorruptRecord, seg.name, bad, p - bad, 0, 0, std::move(detail)});
          off_ = p;
          continue;
        }
        issues_.push_back({last ? WalIssue::Kind::kTornTail : WalIssue::Kind::kCorruptRecord,
                           seg.name, bad, map_size_ - bad, 0, 0,
                           last ? "incomplete last write; recovery truncates it"
                                : detail + "; to end of segment"});
        seg.torn_tail = last;
        off_ = map_size_;
        break;
      }
      wal::RecordHeader h;
      std::memcpy(&h, map_ + off_, sizeof h);
      const std::uint64_t at = off_;
      off_ += sizeof h + h.length;
      seg.valid_end = off_;
      if (last_seq_ != 0 && h.seq <= last_seq_) {
        issues_.push_back(
            {WalIssue::Kind::kOutOfOrder, seg.name, at, 0, h.seq, last_seq_, std::string{}});
        continue;
      }
      if (last_seq_ != 0 && h.seq != last_seq_ + 1) {
        issues_.push_back({WalIssue::Kind::kSequenceGap, seg.name, at, 0, last_seq_ + 1, h.seq - 1,
                           std::string{}});
      }
      if (first_seq_ == 0) first_seq_ = h.seq;
      last_seq_ = h.seq;
      ++records_;
      if (seg.records++ == 0) seg.first_seq = h.seq;
      seg.last_seq = h.seq;
      out.seq = h.seq;
      out.type = static_cast<EventType>(h.type);
      out.schema = h.schema;
      out.flags = h.flags;
      out.length = h.length;
      out.payload = map_ + at + sizeof h;
      out.segment_index = current_;
      out.offset = at;
      return true;
    }
    close_segment();
    ++current_;
  }
  return false;
}

}  // namespace hft::recorder
