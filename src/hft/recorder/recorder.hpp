// Recorder: the hot thread hands every event to a ring (never blocking); a writer thread
// drains it in batches into the binary WAL (wal_format.hpp). The WAL is the source of truth.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "hft/bus/spsc_ring.hpp"
#include "hft/events/events.hpp"

namespace hft::recorder {

enum class FsyncPolicy : std::uint8_t { kNone, kInterval, kEveryBatch };

struct WalOptions {
  std::string dir = "var/wal";
  std::uint64_t segment_bytes = 256ull << 20;  // rotate after this many bytes
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  std::int64_t fsync_interval_ms = 100;
};

/// One slot of the recorder ring: a copy of one event (at most sizeof(MarketData) bytes).
struct alignas(64) RecordSlot {
  std::uint16_t size;
  EventType type;
  std::uint8_t pad[61];
  unsigned char payload[sizeof(MarketData)];
};

class WalWriter;

class Recorder {
 public:
  Recorder(WalOptions options, std::size_t ring_capacity);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  /// Opens the WAL (recovering an existing one) and starts the writer thread. Returns an empty
  /// string or one line saying what failed and how to fix it.
  std::string start();

  /// Hot thread: copies the event into the ring. Never blocks; false (and counted) when full.
  template <class E>
  bool record(const E& event) {
    static_assert(sizeof(E) <= sizeof(MarketData) && kIsEvent<E>);
    RecordSlot& slot = staging_;
    slot.size = static_cast<std::uint16_t>(sizeof(E));
    slot.type = event.h.type;
    std::memcpy(slot.payload, &event, sizeof(E));
    if (ring_.try_push(slot)) return true;
    dropped_.store(dropped_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return false;
  }

  /// Drains the ring, flushes and fsyncs the WAL, joins the writer thread.
  void stop();

  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  std::uint64_t records_written() const { return written_.load(std::memory_order_relaxed); }
  std::uint64_t bytes_written() const { return bytes_.load(std::memory_order_relaxed); }
  std::size_t ring_depth() const { return ring_.size(); }

 private:
  void writer_loop();

  WalOptions options_;
  bus::SpscRing<RecordSlot> ring_;
  RecordSlot staging_{};
  std::unique_ptr<WalWriter> writer_;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> bytes_{0};
};

}  // namespace hft::recorder
