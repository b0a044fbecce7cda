// Recorder: the hot thread hands every event to a ring (never blocking); a writer thread
// drains it in batches into the binary WAL (wal_format.hpp). The WAL is the source of truth.
//
// Parts: recorder.hpp (this: hot-thread API), wal_format.hpp (on-disk layout), wal_writer.hpp
// (writer-thread side, recovery), wal_reader.hpp (verified iteration for tools and replay).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>

#include "hft/events/events.hpp"
#include "hft/recorder/detail/line_ring.hpp"
#include "hft/recorder/disk_pressure.hpp"
#include "hft/recorder/wal_format.hpp"

namespace hft::recorder {

enum class FsyncPolicy : std::uint8_t {
  kNone,        // page cache only; fsync at rotation is skipped too (fastest, loses on power cut)
  kInterval,    // at most fsync_interval_ms after a write
  kEveryBatch,  // after every batch write
};

struct WalOptions {
  std::string dir = "var/wal";
  std::uint64_t segment_bytes = 256ull << 20;  // rotate before a segment grows past this
  std::int64_t segment_max_age_ms = 0;         // also rotate segments older than this; 0 = off
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  std::int64_t fsync_interval_ms = 100;
  std::size_t batch_bytes = 1u << 20;  // writer buffer: at most one pwrite() per this many bytes
  DiskPolicy disk;
  /// Called on the writer thread after every fsync with its duration in ns (metrics).
  std::function<void(std::int64_t ns)> on_fsync;
};

class WalWriter;

/// Recorder counters for metrics (snapshot; each field read with relaxed loads).
struct RecorderStats {
  std::uint64_t records = 0;  // records written to the WAL (in the page cache)
  std::uint64_t bytes = 0;    // WAL bytes written, record headers included
  std::uint64_t batches = 0;
  std::uint64_t fsyncs = 0;
  std::uint64_t fsync_ns_total = 0;
  std::uint64_t fsync_ns_max = 0;
  std::uint64_t fsync_ns_last = 0;
  std::uint64_t segments_opened = 0;
  std::uint64_t write_errors = 0;
  std::uint64_t dropped = 0;                // market data refused because the ring was full
  std::uint64_t critical_waits = 0;         // times an order/fill/risk/state event waited for room
  std::uint64_t invalid = 0;                // events whose type does not match their size (bug)
  std::uint64_t ring_depth = 0;             // events queued
  std::uint64_t ring_capacity_lines = 0;    // ring size in 64-byte lines (an event takes 1-3)
  std::uint64_t ring_depth_lines = 0;       // lines queued now
  std::uint64_t ring_high_water_lines = 0;  // most lines queued, seen by the writer's drains
  std::uint64_t durable_seq = 0;            // every record up to this seq has been fsynced
  std::uint64_t disk_dropped = 0;           // market data not written because the disk is low
  DiskPressure disk_pressure = DiskPressure::kOk;
  double disk_free_ratio = -1;  // last reading, 0..1; -1 before the first or when unreadable
};

class Recorder {
 public:
  /// `ring_capacity`: events of the largest kind (5-level snapshot) the ring can hold; a
  /// 64-byte event takes a third of such a slot. One eighth of the ring is kept free for
  /// orders, fills, risk rejects and state changes.
  Recorder(WalOptions options, std::size_t ring_capacity);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  /// Opens the WAL (recovering an existing one) and starts the writer thread. Returns an empty
  /// string or one line saying what failed and how to fix it.
  std::string start();

  /// Hot thread (one producer thread only): copies the event into the ring, no allocation,
  /// no syscall, no lock. Market data is dropped (false, counted) when the ring is full.
  /// Orders, exec reports, risk rejects and state changes are never dropped: they use a
  /// reserved part of the ring and, if even that is full, wait for the writer (counted in
  /// critical_waits; only possible when the disk stalls for longer than the reserve lasts).
  template <class E>
  bool record(const E& event) {
    static_assert(sizeof(E) <= sizeof(MarketData) && kIsEvent<E>);
    const EventType type = event.h.type;
    const std::uint32_t size = wal::event_size(type);
    bool size_ok;
    if constexpr (std::is_same_v<E, MarketData>) {
      size_ok = size != 0;  // the union is recorded as its active member
    } else {
      size_ok = size == sizeof(E);  // the writer frames records by type: they must agree
    }
    if (!size_ok) [[unlikely]] {
      bump(invalid_);
      return false;
    }
    const std::size_t lines = size / detail::kLine;
    if (!wal::is_critical(type)) {
      if (ring_.try_push(&event, lines, critical_headroom_)) [[likely]]
        return true;
      bump(dropped_);
      return false;
    }
    if (ring_.try_push(&event, lines, 0)) [[likely]]
      return true;
    return record_critical_slow(&event, lines);
  }

  /// Drains the ring, flushes and fsyncs the WAL, joins the writer thread. Call after the hot
  /// thread has stopped recording.
  void stop();

  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  std::uint64_t records_written() const { return written_.load(std::memory_order_relaxed); }
  std::uint64_t bytes_written() const { return bytes_.load(std::memory_order_relaxed); }
  std::size_t ring_depth() const { return ring_.events(); }
  /// Any thread (the hot thread reads it in its timer): one relaxed load.
  DiskPressure disk_pressure() const {
    return static_cast<DiskPressure>(disk_level_.load(std::memory_order_relaxed));
  }
  RecorderStats stats() const;
  /// The writer (recovery report, next sequence); valid after start() returned "".
  const WalWriter* wal() const { return writer_.get(); }

 private:
  static void bump(std::atomic<std::uint64_t>& c) {
    // Single writer (the hot thread): a plain load+store, no locked instruction.
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  bool record_critical_slow(const void* event, std::size_t lines);
  void writer_loop();
  std::size_t drain(std::size_t max_records);
  void check_disk(std::int64_t now_mono_ns);

  WalOptions options_;
  detail::LineRing ring_;
  std::size_t critical_headroom_;
  std::unique_ptr<WalWriter> writer_;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> critical_waits_{0};
  std::atomic<std::uint64_t> high_water_lines_{0};  // written by the writer thread only
  std::atomic<std::uint64_t> invalid_{0};
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> bytes_{0};
  // Written by the writer thread only.
  std::atomic<std::uint8_t> disk_level_{0};
  std::atomic<double> disk_free_ratio_{-1};
  std::atomic<std::uint64_t> disk_dropped_{0};
  std::int64_t next_disk_check_ = 0;
};

}  // namespace hft::recorder
