// libFuzzer target for the WAL reader and start-up recovery. The input is one to four segment
// files (split at "SEG!"); the first byte chooses whether checksums are repaired first, so the
// fuzzer reaches records that verify (odd lengths, types, sequences), not only damage.
// Invariants: the reader yields strictly increasing sequences with in-bounds payloads, its
// counters agree with what it yielded, and recovery (WalWriter::open) keeps exactly the records
// the reader found and leaves a WAL with no torn tail (unless it was damaged elsewhere).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "hft/recorder/wal_reader.hpp"
#include "hft/recorder/wal_writer.hpp"

namespace {

namespace fs = std::filesystem;
namespace wal = hft::recorder::wal;

/// A per-process directory, removed at exit.
struct WorkDir {
  fs::path path;
  WorkDir() {
    // Every input is written to files and recovered: tmpfs keeps that off the disk.
    const fs::path base =
        fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    path = base / ("hft_fuzz_wal_" + std::to_string(::getpid()));
    fs::create_directories(path);
  }
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const fs::path& work_dir() {
  static const WorkDir dir;
  return dir.path;
}

// Recomputes the segment header checksum and the checksum of every record reachable by walking
// the length fields from the first record.
void repair_checksums(std::string& seg) {
  if (seg.size() < sizeof(wal::SegmentHeader)) return;
  wal::SegmentHeader h;
  std::memcpy(&h, seg.data(), sizeof h);
  const wal::SegmentHeader fixed = wal::make_segment_header(h.first_seq, h.created_ns);
  std::memcpy(seg.data() + offsetof(wal::SegmentHeader, checksum), &fixed.checksum,
              sizeof fixed.checksum);
  std::size_t off = sizeof(wal::SegmentHeader);
  while (seg.size() - off >= sizeof(wal::RecordHeader)) {
    wal::RecordHeader r;
    std::memcpy(&r, seg.data() + off, sizeof r);
    if (r.length > wal::kMaxPayload || seg.size() - off - sizeof r < r.length) break;
    const std::uint64_t sum = wal::record_checksum(seg.data() + off);
    std::memcpy(seg.data() + off + offsetof(wal::RecordHeader, checksum), &sum, sizeof sum);
    off += sizeof r + r.length;
  }
}

std::vector<std::uint64_t> read_all(const std::string& dir, bool& torn_tail, bool& corrupt) {
  hft::recorder::WalReader reader(dir);
  if (!reader.open().empty()) std::abort();  // the directory exists
  std::vector<std::uint64_t> seqs;
  std::uint64_t prev = 0;
  for (hft::recorder::WalRecord rec; reader.next(rec);) {
    if (rec.seq <= prev || rec.length == 0 || rec.length > wal::kMaxPayload) std::abort();
    if (rec.segment_index >= reader.segments().size()) std::abort();
    const auto& seg = reader.segments()[rec.segment_index];
    if (rec.offset + sizeof(wal::RecordHeader) + rec.length > seg.file_bytes) std::abort();
    hft::MarketData md;
    (void)rec.as(md);
    volatile unsigned char sink = rec.payload[rec.length - 1];  // payload must be readable
    (void)sink;
    prev = rec.seq;
    seqs.push_back(rec.seq);
  }
  if (reader.records() != seqs.size()) std::abort();
  if (!seqs.empty() && (reader.first_seq() != seqs.front() || reader.last_seq() != seqs.back())) {
    std::abort();
  }
  torn_tail = false;
  corrupt = reader.corrupt();
  for (const auto& issue : reader.issues()) {
    if (issue.kind == hft::recorder::WalIssue::Kind::kTornTail) torn_tail = true;
    if (issue.to_string().empty()) std::abort();
  }
  return seqs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool repair = (data[0] & 1) != 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

  const fs::path& dir = work_dir();
  for (const auto& entry : fs::directory_iterator(dir)) fs::remove_all(entry.path());
  std::size_t start = 0;
  for (int i = 0; i < 4 && start <= body.size(); ++i) {
    std::size_t end = body.find("SEG!", start);
    if (end == std::string_view::npos || i == 3) end = body.size();
    std::string seg(body.substr(start, end - start));
    if (repair) repair_checksums(seg);
    std::ofstream(dir / wal::segment_file_name(static_cast<std::uint64_t>(i) * 1000 + 1, 0),
                  std::ios::binary)
        .write(seg.data(), static_cast<std::streamsize>(seg.size()));
    start = end + 4;
  }

  bool torn = false, corrupt = false;
  const std::vector<std::uint64_t> before = read_all(dir.string(), torn, corrupt);
  const bool corrupt_before = corrupt;

  hft::recorder::WalOptions opt;
  opt.dir = dir.string();
  opt.fsync = hft::recorder::FsyncPolicy::kNone;
  {
    hft::recorder::WalWriter writer(opt);
    if (!writer.open().empty()) std::abort();
    const std::uint64_t expect_next = before.empty() ? 1 : before.back() + 1;
    if (writer.next_seq() != expect_next) std::abort();
    writer.close();
  }
  const std::vector<std::uint64_t> after = read_all(dir.string(), torn, corrupt);
  if (after != before) std::abort();  // recovery keeps every verified record
  // ... and cuts a torn tail. Damage at the end of an earlier segment becomes the tail when
  // recovery deletes an empty last segment: that is corruption, reported, never truncated.
  if (torn && !corrupt_before) std::abort();
  return 0;
}
