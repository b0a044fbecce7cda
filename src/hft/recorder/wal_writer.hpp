// WalWriter: the recorder thread's side of the WAL. Recovers the directory on open(), then
// appends records into a batch buffer and writes each batch with one pwrite(); rotates
// segments by size and age; fsyncs per FsyncPolicy; keeps the MANIFEST current.
// Single-threaded: only the writer thread calls it. Counters are atomics so other threads
// (metrics) may read them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "hft/recorder/recorder.hpp"
#include "hft/recorder/wal_format.hpp"
#include "hft/recorder/wal_reader.hpp"

namespace hft::recorder {

/// What start-up recovery found and did.
struct WalRecoveryReport {
  std::uint64_t segments = 0;
  std::uint64_t records = 0;
  std::uint64_t last_seq = 0;         // the WAL continues at last_seq + 1
  std::uint64_t truncated_bytes = 0;  // torn tail cut off the last segment
  std::uint64_t removed_empty_segments = 0;
  std::vector<WalIssue> issues;  // everything WalReader reported (corruption stays reported)
};

class WalWriter {
 public:
  explicit WalWriter(WalOptions options);
  ~WalWriter();
  WalWriter(const WalWriter&) = delete;
  WalWriter& operator=(const WalWriter&) = delete;

  /// Creates the directory, recovers it and opens a new segment. "" or one line on failure.
  std::string open();
  const WalRecoveryReport& recovery() const { return recovery_; }

  /// Room for one record's payload in the batch buffer (writes the batch out first if it is
  /// full, rotates first if the record would overflow the segment). Follow with commit().
  unsigned char* reserve(std::uint32_t payload_bytes);
  /// Completes the record reserved last: assigns the next sequence number and checksums it.
  void commit(EventType type, std::uint32_t payload_bytes);
  void append(EventType type, const void* payload, std::uint32_t payload_bytes);

  /// Writes the batch (one pwrite), then fsyncs if the policy says so. False on an I/O error
  /// (the batch is kept and retried by the next call; last_error() says what failed).
  bool flush(std::int64_t now_mono_ns);
  /// Idle housekeeping: interval fsync and age-based rotation.
  void tick(std::int64_t now_mono_ns);
  /// Flushes, fsyncs, writes the MANIFEST, closes. Idempotent.
  void close();

  // Writer thread (or after close):
  std::uint64_t next_seq() const { return next_seq_; }
  std::size_t pending_bytes() const { return buf_used_; }
  std::string current_segment() const;
  std::string last_error() const;

  // Any thread:
  std::uint64_t records() const { return records_.load(std::memory_order_relaxed); }
  std::uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  std::uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }
  std::uint64_t fsyncs() const { return fsyncs_.load(std::memory_order_relaxed); }
  std::uint64_t fsync_ns_total() const { return fsync_ns_total_.load(std::memory_order_relaxed); }
  std::uint64_t fsync_ns_max() const { return fsync_ns_max_.load(std::memory_order_relaxed); }
  std::uint64_t fsync_ns_last() const { return fsync_ns_last_.load(std::memory_order_relaxed); }
  std::uint64_t segments_opened() const { return segments_opened_.load(std::memory_order_relaxed); }
  std::uint64_t write_errors() const { return write_errors_.load(std::memory_order_relaxed); }
  /// Every record with seq <= this has been fdatasync'ed (0 = none yet).
  std::uint64_t durable_seq() const { return durable_seq_.load(std::memory_order_relaxed); }

 private:
  struct ManifestEntry {
    std::string name;
    std::uint64_t first_seq = 0;
    std::uint64_t last_seq = 0;  // 0 while empty
    std::uint64_t records = 0;
    std::uint64_t bytes = 0;
    bool sealed = false;
  };

  std::string recover();
  bool open_segment(std::int64_t now_mono_ns);
  bool seal_segment();
  bool rotate(std::int64_t now_mono_ns);
  bool write_pending();
  void do_fsync();
  bool write_manifest();
  void fail(const std::string& what);

  WalOptions options_;
  WalRecoveryReport recovery_;
  std::vector<ManifestEntry> manifest_;

  std::vector<unsigned char> buf_;
  std::size_t buf_used_ = 0;
  std::size_t buf_records_ = 0;
  std::uint64_t buf_first_seq_ = 0;
  std::size_t reserved_at_ = 0;

  int dir_fd_ = -1;
  int seg_fd_ = -1;
  std::uint64_t seg_bytes_ = 0;    // bytes in the segment file, header included
  std::uint64_t seg_records_ = 0;  // records in the file or in the batch
  std::int64_t seg_opened_mono_ = 0;
  std::uint64_t next_seq_ = 1;
  std::uint64_t written_seq_ = 0;  // last seq handed to pwrite()
  bool dirty_ = false;             // written since the last fsync
  std::int64_t last_fsync_mono_ = 0;
  bool open_ = false;
  std::string last_error_;
  int last_errno_ = 0;

  std::atomic<std::uint64_t> records_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::uint64_t> fsyncs_{0};
  std::atomic<std::uint64_t> fsync_ns_total_{0};
  std::atomic<std::uint64_t> fsync_ns_max_{0};
  std::atomic<std::uint64_t> fsync_ns_last_{0};
  std::atomic<std::uint64_t> segments_opened_{0};
  std::atomic<std::uint64_t> write_errors_{0};
  std::atomic<std::uint64_t> durable_seq_{0};
};

}  // namespace hft::recorder
