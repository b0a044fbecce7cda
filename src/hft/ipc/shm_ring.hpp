// Cross-process SPSC ring: bus::SpscRingView over a shared-memory segment, so both processes run
// exactly the in-process ring's code (same speed; see BM_Bus_ShmThroughput). The producer process
// create()s the segment (and unlinks it when the ring is destroyed); the consumer attach()es,
// which checks element size, type tag and layout version, and refuses a stale segment.
// Payload layout: [bus::SpscState][slots]; blocking waits use process-shared futexes.
#pragma once

#include <new>
#include <string>

#include "hft/bus/spsc_ring.hpp"
#include "hft/core/clock.hpp"
#include "hft/ipc/shm_segment.hpp"

namespace hft::ipc {

namespace detail {
struct ShmRingHolder {
  explicit ShmRingHolder(ShmSegment s) : segment(std::move(s)) {}
  ShmSegment segment;
};

template <class T>
ShmSpec ring_spec(std::size_t capacity, std::uint64_t type_tag) {
  ShmSpec spec;
  spec.kind = SegmentKind::kSpscRing;
  spec.elem_size = static_cast<std::uint32_t>(sizeof(T));
  spec.capacity = capacity;
  spec.type_tag = type_tag;
  spec.payload_bytes = sizeof(bus::SpscState) + bus::SpscSlot<T>::bytes_for(capacity);
  return spec;
}

inline bus::WaitStrategy shared_wait(bus::WaitStrategy w) {
  w.process_shared = true;
  return w;
}
}  // namespace detail

template <class T>
class ShmSpscRing : private detail::ShmRingHolder, public bus::SpscRingView<T> {
  using View = bus::SpscRingView<T>;

 public:
  /// Producer: creates `name` with `capacity` (rounded up to a power of two) slots. `type_tag`
  /// lets both sides tell apart item types of equal size (e.g. a hash of the type name).
  static ShmSpscRing create(const std::string& name, std::size_t capacity,
                            bus::WaitStrategy wait = {}, std::uint64_t type_tag = 0) {
    const std::size_t cap = bus::ring_capacity_for(capacity);
    ShmSegment seg = ShmSegment::create(name, detail::ring_spec<T>(cap, type_tag));
    new (seg.payload()) bus::SpscState{};
    return ShmSpscRing(std::move(seg), cap, wait);
  }

  /// Consumer: attaches to a live producer's ring; IpcError on mismatch or stale segment.
  static ShmSpscRing attach(const std::string& name, bus::WaitStrategy wait = {},
                            std::uint64_t type_tag = 0) {
    ShmSegment seg = ShmSegment::attach(name, detail::ring_spec<T>(0, type_tag), true);
    const auto cap = static_cast<std::size_t>(seg.header().capacity);
    if (cap < 2 || (cap & (cap - 1)) != 0 ||
        seg.size() < ShmSegment::kPayloadOffset + detail::ring_spec<T>(cap, type_tag).payload_bytes)
      throw IpcError("shared-memory segment " + name + ": corrupt capacity " + std::to_string(cap));
    seg.claim_consumer();
    return ShmSpscRing(std::move(seg), cap, wait);
  }

  ShmSegment& segment() { return this->ShmRingHolder::segment; }
  const ShmSegment& segment() const { return this->ShmRingHolder::segment; }
  bool producer_alive() const { return segment().producer_alive(); }
  void heartbeat() const { segment().heartbeat(); }

  /// Consumer: waits (per the wait strategy) for the next item; false once the producer has died
  /// and everything it pushed has been read.
  bool pop_or_dead(T& out) {
    // Liveness reads /proc: at most once per 10 ms of waiting, never while items flow.
    std::int64_t last_check = 0;
    auto producer_dead = [&] {
      const std::int64_t now = mono_ns();
      if (now - last_check < 10'000'000) return false;
      last_check = now;
      return !producer_alive();
    };
    for (;;) {
      if (View::pop(out, producer_dead)) return true;
      if (!this->front_ready()) return false;
    }
  }

 private:
  ShmSpscRing(ShmSegment seg, std::size_t cap, bus::WaitStrategy wait)
      : ShmRingHolder(std::move(seg)),
        View(reinterpret_cast<bus::SpscState*>(this->ShmRingHolder::segment.payload()),
             this->ShmRingHolder::segment.payload() + sizeof(bus::SpscState), cap,
             detail::shared_wait(wait)) {}
};

}  // namespace hft::ipc
