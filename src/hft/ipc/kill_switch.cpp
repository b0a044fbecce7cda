#include "hft/ipc/kill_switch.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <new>
#include <thread>

#include "hft/core/clock.hpp"
#include "hft/ipc/shm_segment.hpp"

namespace hft::ipc {
namespace {

ShmSpec kill_spec() {
  ShmSpec spec;
  spec.kind = SegmentKind::kKillSwitch;
  spec.elem_size = static_cast<std::uint32_t>(sizeof(KillSwitchState));
  spec.capacity = 1;
  spec.payload_bytes = sizeof(KillSwitchState);
  return spec;
}

}  // namespace

std::string KillSwitch::default_name() {
  const char* env = std::getenv("HFT_KILL_SWITCH_NAME");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string("hft_kill_switch");
}

KillSwitch KillSwitch::open(const std::string& name) {
  return KillSwitch(ShmSegment::open_or_create(name, kill_spec()));
}

bool KillSwitch::remove(const std::string& name) { return ShmSegment::remove(name); }

KillSwitch::KillSwitch(ShmSegment seg)
    : segment_(std::move(seg)), hot_(reinterpret_cast<KillSwitchState*>(segment_.payload())) {}

void KillSwitch::engage(std::string_view reason) { write(true, reason); }
void KillSwitch::release() { write(false, {}); }

bool KillSwitch::request_resume(bool rebase) {
  if (engaged()) return false;
  // The re-base first: an engine that sees the new resume request sees it too.
  if (rebase) hot_->rebases.fetch_add(1, std::memory_order_acq_rel);
  hot_->resumes.fetch_add(1, std::memory_order_acq_rel);  // several shells may ask at once
  return true;
}

void KillSwitch::attach_engine(std::int64_t wall_ns) {
  hot_->engine_seen_ns.store(wall_ns, std::memory_order_relaxed);
  hot_->engine_pid.store(getpid(), std::memory_order_release);
}

void KillSwitch::detach_engine() {
  std::int32_t me = getpid();
  hot_->engine_pid.compare_exchange_strong(me, 0, std::memory_order_acq_rel);
}

KillSwitch::EngineSeen KillSwitch::engine(std::int64_t now_wall_ns, std::int64_t max_age_ns) const {
  EngineSeen e;
  e.pid = hot_->engine_pid.load(std::memory_order_acquire);
  e.seen_ns = hot_->engine_seen_ns.load(std::memory_order_relaxed);
  e.alive = e.pid != 0 && process_alive(e.pid) && now_wall_ns - e.seen_ns <= max_age_ns;
  return e;
}

bool KillSwitch::request_flatten(std::int64_t deadline_ns) {
  if (engaged()) return false;
  // The deadline first: an engine that sees the new request reads this request's deadline.
  hot_->flatten_deadline_ns.store(deadline_ns, std::memory_order_release);
  hot_->flattens.fetch_add(1, std::memory_order_acq_rel);
  return true;
}

void KillSwitch::write(bool engage, std::string_view reason) {
  KillSwitchState& s = *hot_;
  // Writers' lock, with recovery if its holder died mid-update (e.g. a killed shell).
  const std::int32_t me = getpid();
  for (int spins = 0;; ++spins) {
    std::int32_t expected = 0;
    if (s.writer_pid.compare_exchange_weak(expected, me, std::memory_order_acquire)) break;
    if (expected != 0 && expected != me && spins > 1000 && !process_alive(expected)) {
      s.writer_pid.compare_exchange_strong(expected, 0, std::memory_order_relaxed);
    }
    std::this_thread::yield();
  }
  // Seqlock: odd while updating. Every store below is a release store, so none of them can
  // become visible before the odd value (no stand-alone fence: TSan does not model those).
  const std::uint64_t seq = s.seq.load(std::memory_order_relaxed);
  const std::uint64_t open_seq = (seq & 1) != 0 ? seq : seq + 1;
  s.seq.store(open_seq, std::memory_order_relaxed);
  constexpr auto rel = std::memory_order_release;
  if (engage) {
    const std::size_t n = std::min(reason.size(), kKillReasonMax);
    for (std::size_t i = 0; i < n; ++i) s.reason[i].store(reason[i], rel);
    s.reason_len.store(static_cast<std::uint32_t>(n), rel);
  }
  s.since_wall_ns.store(wall_ns(), rel);
  s.since_mono_ns.store(mono_ns(), rel);
  s.by_pid.store(me, rel);
  s.changes.store(s.changes.load(std::memory_order_relaxed) + 1, rel);
  s.engaged.store(engage ? 1u : 0u, rel);
  s.seq.store(open_seq + 1, rel);
  s.writer_pid.store(0, std::memory_order_release);
}

KillStatus KillSwitch::status() const {
  const KillSwitchState& s = *hot_;
  KillStatus out;
  for (;;) {
    const std::uint64_t s1 = s.seq.load(std::memory_order_acquire);
    if ((s1 & 1) != 0) {
      std::this_thread::yield();
      continue;
    }
    out.engaged = s.engaged.load(std::memory_order_acquire) != 0;
    out.changes = s.changes.load(std::memory_order_acquire);
    const std::uint32_t n =
        std::min<std::uint32_t>(s.reason_len.load(std::memory_order_acquire), kKillReasonMax);
    out.reason.resize(n);
    for (std::uint32_t i = 0; i < n; ++i)
      out.reason[i] = s.reason[i].load(std::memory_order_acquire);
    out.since_wall_ns = s.since_wall_ns.load(std::memory_order_acquire);
    out.since_mono_ns = s.since_mono_ns.load(std::memory_order_acquire);
    out.by_pid = s.by_pid.load(std::memory_order_acquire);
    if (s.seq.load(std::memory_order_acquire) == s1) return out;
  }
}

}  // namespace hft::ipc
