#include "hft/recorder/recorder.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "hft/core/clock.hpp"
#include "hft/recorder/wal_writer.hpp"

namespace hft::recorder {

namespace {
constexpr std::size_t kLinesPerSlot = sizeof(MarketData) / detail::kLine;
// Records the writer copies before it hands ring lines back to the producer: large enough to
// amortise the release store, small enough that a full ring frees up quickly.
constexpr std::size_t kReleaseEvery = 256;
constexpr std::size_t kMaxBatchRecords = 16384;
}  // namespace

Recorder::Recorder(WalOptions options, std::size_t ring_capacity)
    : options_(std::move(options)),
      ring_(ring_capacity * kLinesPerSlot),
      critical_headroom_(ring_.capacity() / 8) {}

Recorder::~Recorder() { stop(); }

std::string Recorder::start() {
  if (running_.load(std::memory_order_relaxed)) return {};
  auto writer = std::make_unique<WalWriter>(options_);
  if (std::string err = writer->open(); !err.empty()) return err;
  writer_ = std::move(writer);
  check_disk(mono_ns());  // the engine starts with a current reading
  running_.store(true, std::memory_order_release);
  thread_ = std::thread([this] { writer_loop(); });
  return {};
}

void Recorder::stop() {
  if (!thread_.joinable()) return;
  running_.store(false, std::memory_order_release);
  thread_.join();
  writer_->close();
  written_.store(writer_->records(), std::memory_order_relaxed);
  bytes_.store(writer_->bytes(), std::memory_order_relaxed);
}

bool Recorder::record_critical_slow(const void* event, std::size_t lines) {
  bump(critical_waits_);
  // Never drop an order, fill, risk decision or state change: wait for the writer to free
  // lines. Reached only when the writer is stalled for longer than the reserve lasts.
  while (running_.load(std::memory_order_acquire)) {
    if (ring_.try_push(event, lines, 0)) return true;
  }
  // Not started or already stopped: there is no writer to wait for.
  bump(invalid_);
  return false;
}

std::size_t Recorder::drain(std::size_t max_records) {
  std::uint64_t tail = ring_.consumer_tail();
  const std::uint64_t head = ring_.published_head();
  if (head - tail > high_water_lines_.load(std::memory_order_relaxed))
    high_water_lines_.store(head - tail, std::memory_order_relaxed);
  std::size_t n = 0;
  std::size_t unreleased = 0;
  const bool critical_only = disk_pressure() >= DiskPressure::kStopMarketData;
  while (tail != head && n < max_records) {
    const unsigned char* first = ring_.at(tail).bytes;
    const auto type = static_cast<EventType>(first[offsetof(EventHeader, type)]);
    const std::uint32_t size = wal::event_size(type);  // record() admitted only sizes != 0
    const std::size_t lines = size / detail::kLine;
    if (critical_only && !wal::is_critical(type)) [[unlikely]] {
      // Low disk: keep the space for what must never be lost.
      disk_dropped_.store(disk_dropped_.load(std::memory_order_relaxed) + 1,
                          std::memory_order_relaxed);
      tail += lines;
      if (++unreleased == kReleaseEvery) {
        ring_.release(tail, unreleased);
        unreleased = 0;
      }
      continue;
    }
    unsigned char* dst = writer_->reserve(size);
    for (std::size_t i = 0; i < lines; ++i) {
      std::memcpy(dst + i * detail::kLine, ring_.at(tail + i).bytes, detail::kLine);
    }
    writer_->commit(type, size);
    tail += lines;
    ++n;
    if (++unreleased == kReleaseEvery) {
      ring_.release(tail, unreleased);
      unreleased = 0;
    }
  }
  if (unreleased != 0) ring_.release(tail, unreleased);
  return n;
}

void Recorder::writer_loop() {
  bool healthy = true;
  int idle_spins = 0;
  for (;;) {
    const bool stopping = !running_.load(std::memory_order_acquire);
    check_disk(mono_ns());
    if (!healthy) {
      // Disk trouble: retry the held batch without draining more (the ring then fills, market
      // data is dropped and counted, critical events wait for room).
      healthy = writer_->flush(mono_ns());
      if (!healthy) {
        if (stopping) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      continue;
    }
    const std::size_t n = drain(kMaxBatchRecords);
    if (n != 0) {
      healthy = writer_->flush(mono_ns());
      written_.store(writer_->records(), std::memory_order_relaxed);
      bytes_.store(writer_->bytes(), std::memory_order_relaxed);
      idle_spins = 0;
      continue;
    }
    if (stopping) break;  // stop() is called after the producer is done: the ring is empty
    writer_->tick(mono_ns());
    // Spin briefly before sleeping: bursts arrive back to back, a sleep costs ~60 us.
    if (++idle_spins < 64) {
      std::this_thread::yield();
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
  }
}

void Recorder::check_disk(std::int64_t now_mono_ns) {
  const DiskPolicy& policy = options_.disk;
  if (policy.check_interval_ms <= 0 || now_mono_ns < next_disk_check_) return;
  next_disk_check_ = now_mono_ns + policy.check_interval_ms * 1'000'000;
  const std::optional<double> free =
      policy.probe ? policy.probe(options_.dir) : statvfs_free_ratio(options_.dir);
  disk_free_ratio_.store(free ? *free : -1, std::memory_order_relaxed);
  if (!free) return;  // unknown: keep the level we had
  const DiskPressure before = disk_pressure();
  const DiskPressure now = classify(policy, *free, before);
  if (now == before) return;
  disk_level_.store(static_cast<std::uint8_t>(now), std::memory_order_relaxed);
  std::fprintf(stderr, "recorder: WAL disk %.1f %% free: disk pressure %s -> %s\n", *free * 100,
               to_string(before), to_string(now));
}

RecorderStats Recorder::stats() const {
  RecorderStats s;
  if (writer_) {
    s.records = writer_->records();
    s.bytes = writer_->bytes();
    s.batches = writer_->batches();
    s.fsyncs = writer_->fsyncs();
    s.fsync_ns_total = writer_->fsync_ns_total();
    s.fsync_ns_max = writer_->fsync_ns_max();
    s.fsync_ns_last = writer_->fsync_ns_last();
    s.segments_opened = writer_->segments_opened();
    s.write_errors = writer_->write_errors();
    s.durable_seq = writer_->durable_seq();
  }
  s.disk_dropped = disk_dropped_.load(std::memory_order_relaxed);
  s.disk_pressure = disk_pressure();
  s.disk_free_ratio = disk_free_ratio_.load(std::memory_order_relaxed);
  s.dropped = dropped_.load(std::memory_order_relaxed);
  s.critical_waits = critical_waits_.load(std::memory_order_relaxed);
  s.invalid = invalid_.load(std::memory_order_relaxed);
  s.ring_depth = ring_.events();
  s.ring_capacity_lines = ring_.capacity();
  const std::uint64_t head = ring_.published_head();
  const std::uint64_t tail = ring_.consumer_tail();
  s.ring_depth_lines = head > tail ? head - tail : 0;
  s.ring_high_water_lines =
      std::max(high_water_lines_.load(std::memory_order_relaxed), s.ring_depth_lines);
  return s;
}

}  // namespace hft::recorder
