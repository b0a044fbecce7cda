#include "hft/recorder/wal_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "hft/core/clock.hpp"

namespace hft::recorder {

namespace fs = std::filesystem;

namespace {

std::string cannot_write(const std::string& dir, const std::string& reason) {
  return "recorder: cannot write WAL directory '" + dir + "' (" + reason +
         "); choose another with --wal-dir or recorder.wal_dir";
}

bool pwrite_all(int fd, const unsigned char* data, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, data, n, static_cast<off_t>(offset));
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
    offset += static_cast<std::uint64_t>(w);
  }
  return true;
}

}  // namespace

WalWriter::WalWriter(WalOptions options) : options_(std::move(options)) {
  buf_.resize(std::max<std::size_t>(options_.batch_bytes,
                                    2 * (sizeof(wal::RecordHeader) + wal::kMaxPayload)));
}

WalWriter::~WalWriter() { close(); }

std::string WalWriter::open() {
  std::error_code ec;
  fs::create_directories(options_.dir, ec);
  if (ec) return cannot_write(options_.dir, ec.message());
  if (!fs::is_directory(options_.dir, ec)) return cannot_write(options_.dir, "Not a directory");
  dir_fd_ = ::open(options_.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) return cannot_write(options_.dir, std::strerror(errno));
  if (std::string err = recover(); !err.empty()) return err;
  if (!open_segment(mono_ns()) || !write_manifest()) {
    return cannot_write(options_.dir, std::strerror(last_errno_));
  }
  open_ = true;
  return {};
}

std::string WalWriter::recover() {
  WalReader reader(options_.dir);
  if (std::string err = reader.open(); !err.empty()) return "recorder: " + err;
  WalRecord rec;
  while (reader.next(rec)) {
  }
  recovery_.segments = reader.segments().size();
  recovery_.records = reader.records();
  recovery_.last_seq = reader.last_seq();
  recovery_.issues = reader.issues();

  std::vector<WalSegmentInfo> segs = reader.segments();
  if (!segs.empty()) {
    const WalSegmentInfo& last = segs.back();
    if (last.records == 0) {
      // Created just before a crash (or holds nothing valid at all): nothing to keep.
      if (::unlink(last.path.c_str()) != 0) {
        return "recorder: cannot remove empty WAL segment '" + last.path + "' (" +
               std::strerror(errno) + ")";
      }
      ++recovery_.removed_empty_segments;
      segs.pop_back();
    } else if (last.torn_tail) {
      if (::truncate(last.path.c_str(), static_cast<off_t>(last.valid_end)) != 0) {
        return "recorder: cannot truncate torn tail of WAL segment '" + last.path + "' (" +
               std::strerror(errno) + ")";
      }
      recovery_.truncated_bytes = last.file_bytes - last.valid_end;
      segs.back().file_bytes = last.valid_end;
    }
  }
  for (const WalSegmentInfo& s : segs) {
    manifest_.push_back({s.name, s.first_seq, s.last_seq, s.records, s.file_bytes, true});
  }
  next_seq_ = reader.last_seq() + 1;
  written_seq_ = reader.last_seq();
  if (!segs.empty() && options_.fsync != FsyncPolicy::kNone) {
    // A crashed run may have left its last records in the page cache only; earlier segments
    // were synced when they were sealed.
    const int fd = ::open(segs.back().path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ::fdatasync(fd) != 0) {
      const std::string err = std::strerror(errno);
      if (fd >= 0) ::close(fd);
      return "recorder: cannot sync WAL segment '" + segs.back().path + "' (" + err + ")";
    }
    ::close(fd);
  }
  durable_seq_.store(options_.fsync != FsyncPolicy::kNone ? written_seq_ : 0,
                     std::memory_order_relaxed);
  return {};
}

bool WalWriter::open_segment(std::int64_t now_mono_ns) {
  // Records already numbered and waiting in the batch (a retry after a failed open) go first.
  const std::uint64_t first_seq = buf_records_ != 0 ? buf_first_seq_ : next_seq_;
  const std::string name = wal::segment_file_name(first_seq, wall_ns());
  const std::string path = options_.dir + "/" + name;
  seg_fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (seg_fd_ < 0) {
    fail("create " + path);
    return false;
  }
  const wal::SegmentHeader h = wal::make_segment_header(first_seq, wall_ns());
  if (!pwrite_all(seg_fd_, reinterpret_cast<const unsigned char*>(&h), sizeof h, 0)) {
    fail("write " + path);
    ::close(seg_fd_);
    seg_fd_ = -1;
    ::unlink(path.c_str());
    return false;
  }
  if (options_.fsync != FsyncPolicy::kNone) {
    // The new file's directory entry must survive a power cut too.
    ::fdatasync(seg_fd_);
    ::fsync(dir_fd_);
  }
  seg_bytes_ = sizeof h;
  seg_records_ = buf_records_;  // batch records not yet written belong to this segment
  seg_opened_mono_ = now_mono_ns;
  last_fsync_mono_ = now_mono_ns;
  manifest_.push_back({name, first_seq, 0, 0, seg_bytes_, false});
  segments_opened_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

bool WalWriter::seal_segment() {
  if (seg_fd_ < 0) return true;
  if (!write_pending()) return false;
  if (dirty_) do_fsync();
  ::close(seg_fd_);
  seg_fd_ = -1;
  ManifestEntry& e = manifest_.back();
  e.sealed = true;
  if (seg_records_ == 0) {
    // Never leave an empty segment behind: its name could be wanted again.
    ::unlink((options_.dir + "/" + e.name).c_str());
    manifest_.pop_back();
  }
  return true;
}

bool WalWriter::rotate(std::int64_t now_mono_ns) {
  if (!seal_segment()) return false;
  const bool ok = open_segment(now_mono_ns);
  write_manifest();
  return ok;
}

unsigned char* WalWriter::reserve(std::uint32_t payload_bytes) {
  const std::size_t rec = sizeof(wal::RecordHeader) + payload_bytes;
  if (seg_records_ > 0 && seg_bytes_ + buf_used_ + rec > options_.segment_bytes) {
    rotate(mono_ns());
  }
  if (buf_used_ + rec > buf_.size() && !write_pending()) {
    // Disk trouble: keep the records in memory (the writer loop stops draining while it
    // retries, so this growth is bounded by the ring).
    buf_.resize(buf_.size() * 2);
  }
  reserved_at_ = buf_used_;
  return buf_.data() + buf_used_ + sizeof(wal::RecordHeader);
}

void WalWriter::commit(EventType type, std::uint32_t payload_bytes) {
  unsigned char* rec = buf_.data() + reserved_at_;
  wal::RecordHeader h{};
  h.length = payload_bytes;
  h.type = static_cast<std::uint8_t>(type);
  h.schema = wal::kSchemaVersion;
  h.flags = 0;
  h.seq = next_seq_++;
  if (buf_records_ == 0) buf_first_seq_ = h.seq;
  std::memcpy(rec, &h, sizeof h);
  h.checksum = wal::record_checksum(rec);
  std::memcpy(rec + offsetof(wal::RecordHeader, checksum), &h.checksum, sizeof h.checksum);
  buf_used_ += sizeof h + payload_bytes;
  ++buf_records_;
  ++seg_records_;
}

void WalWriter::append(EventType type, const void* payload, std::uint32_t payload_bytes) {
  std::memcpy(reserve(payload_bytes), payload, payload_bytes);
  commit(type, payload_bytes);
}

bool WalWriter::write_pending() {
  if (buf_used_ == 0) return true;
  if (seg_fd_ < 0 && !open_segment(mono_ns())) return false;  // earlier open failed: retry
  if (!pwrite_all(seg_fd_, buf_.data(), buf_used_, seg_bytes_)) {
    fail("write " + current_segment());
    return false;
  }
  seg_bytes_ += buf_used_;
  ManifestEntry& e = manifest_.back();
  e.records += buf_records_;
  e.last_seq = next_seq_ - 1;
  e.bytes = seg_bytes_;
  written_seq_ = next_seq_ - 1;
  records_.fetch_add(buf_records_, std::memory_order_relaxed);
  bytes_.fetch_add(buf_used_, std::memory_order_relaxed);
  batches_.fetch_add(1, std::memory_order_relaxed);
  buf_used_ = 0;
  buf_records_ = 0;
  dirty_ = true;
  return true;
}

bool WalWriter::flush(std::int64_t now_mono_ns) {
  if (!write_pending()) return false;
  if (options_.fsync == FsyncPolicy::kEveryBatch ||
      (options_.fsync == FsyncPolicy::kInterval &&
       now_mono_ns - last_fsync_mono_ >= options_.fsync_interval_ms * 1'000'000)) {
    do_fsync();
  }
  tick(now_mono_ns);
  return true;
}

void WalWriter::tick(std::int64_t now_mono_ns) {
  if (seg_fd_ < 0) return;
  if (dirty_ && options_.fsync == FsyncPolicy::kInterval &&
      now_mono_ns - last_fsync_mono_ >= options_.fsync_interval_ms * 1'000'000) {
    do_fsync();
  }
  if (options_.segment_max_age_ms > 0 && seg_records_ > 0 &&
      now_mono_ns - seg_opened_mono_ >= options_.segment_max_age_ms * 1'000'000) {
    rotate(now_mono_ns);
  }
}

void WalWriter::do_fsync() {
  if (seg_fd_ < 0) return;
  const std::int64_t t0 = mono_ns();
  const std::uint64_t synced = written_seq_;
  const bool ok = ::fdatasync(seg_fd_) == 0;
  const std::int64_t t1 = mono_ns();
  if (ok) {
    durable_seq_.store(synced, std::memory_order_relaxed);
  } else {
    fail("fdatasync " + current_segment());
  }
  const auto dt = static_cast<std::uint64_t>(t1 - t0);
  if (options_.on_fsync) options_.on_fsync(t1 - t0);
  fsyncs_.fetch_add(1, std::memory_order_relaxed);
  fsync_ns_total_.fetch_add(dt, std::memory_order_relaxed);
  fsync_ns_last_.store(dt, std::memory_order_relaxed);
  if (dt > fsync_ns_max_.load(std::memory_order_relaxed)) {
    fsync_ns_max_.store(dt, std::memory_order_relaxed);
  }
  dirty_ = false;
  last_fsync_mono_ = t1;
}

void WalWriter::close() {
  if (!open_) return;
  write_pending();
  if (dirty_ || options_.fsync != FsyncPolicy::kNone) do_fsync();
  seal_segment();
  write_manifest();
  ::close(dir_fd_);
  dir_fd_ = -1;
  open_ = false;
}

bool WalWriter::write_manifest() {
  std::string text =
      "# hft WAL manifest. Advisory: the segment files are the source of truth (docs/wal.md).\n"
      "format 1\n";
  for (const ManifestEntry& e : manifest_) {
    text += "segment " + e.name + " first_seq " + std::to_string(e.first_seq) + " last_seq " +
            std::to_string(e.last_seq) + " records " + std::to_string(e.records) + " bytes " +
            std::to_string(e.bytes) + " state " + (e.sealed ? "sealed" : "open") + "\n";
  }
  const std::string path = options_.dir + "/" + wal::kManifestName;
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail("create " + tmp);
    return false;
  }
  const bool ok =
      pwrite_all(fd, reinterpret_cast<const unsigned char*>(text.data()), text.size(), 0) &&
      (options_.fsync == FsyncPolicy::kNone || ::fsync(fd) == 0);
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    fail("write " + path);
    return false;
  }
  if (options_.fsync != FsyncPolicy::kNone) ::fsync(dir_fd_);
  return true;
}

std::string WalWriter::current_segment() const {
  return manifest_.empty() || manifest_.back().sealed ? std::string{} : manifest_.back().name;
}

std::string WalWriter::last_error() const { return last_error_; }

void WalWriter::fail(const std::string& what) {
  last_errno_ = errno;
  last_error_ = what + ": " + std::strerror(last_errno_);
  write_errors_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace hft::recorder
