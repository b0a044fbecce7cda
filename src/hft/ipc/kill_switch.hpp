// Kill switch: one flag in shared memory that any shell can set (`hft kill on --reason ...`) and
// the engine's hot loop checks every iteration. The segment is opened-or-created by whoever comes
// first (engine or CLI), so the switch works whether or not the engine runs, and it is never
// unlinked automatically: an engaged switch survives engine restarts until someone releases it.
//
// Hot path: `engaged()` is one acquire load of one cache line that changes only when the switch
// flips (no false sharing, no syscall). Reason text and times sit on other lines and are read
// with a seqlock by `status()` (not for the hot loop).
//
// Segment name: $HFT_KILL_SWITCH_NAME, default "hft_kill_switch" (/dev/shm/hft_kill_switch,
// mode 0600).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hft/ipc/shm_segment.hpp"

namespace hft::ipc {

inline constexpr std::size_t kKillReasonMax = 240;  // bytes kept of the reason text

/// Shared layout (position independent). Versioned through ShmHeader + elem_size.
struct KillSwitchState {
  // Hot line: the engine reads only this.
  alignas(64) std::atomic<std::uint32_t> engaged{0};
  // The engine polling this switch (0: none) and when it last said so (its 1 ms timer; UTC ns):
  // lets `hft risk resume|flatten` tell a request nobody will act on (0 in an older segment).
  std::atomic<std::int32_t> engine_pid{0};
  std::atomic<std::uint64_t> changes{0};  // engage/release count: lets a reader spot a flip
  std::atomic<std::uint64_t> resumes{
      0};  // `hft risk resume` requests (the engine acts on a change)
  // `hft risk resume --rebase` requests, bumped before `resumes` (0 in a segment made before it)
  std::atomic<std::uint64_t> rebases{0};
  // `hft risk flatten` requests (the engine acts on a change) and the latest one's deadline,
  // stored before the request is bumped (0 in a segment made before them)
  std::atomic<std::uint64_t> flattens{0};
  std::atomic<std::int64_t> flatten_deadline_ns{0};
  std::atomic<std::int64_t> engine_seen_ns{0};
  // Writers' lock (several shells may flip concurrently) and the seqlock for the details.
  alignas(64) std::atomic<std::int32_t> writer_pid{0};
  std::atomic<std::uint64_t> seq{0};  // odd while a writer is updating the fields below
  std::atomic<std::int64_t> since_wall_ns{0};
  std::atomic<std::int64_t> since_mono_ns{0};
  std::atomic<std::int32_t> by_pid{0};
  std::atomic<std::uint32_t> reason_len{0};
  std::atomic<char> reason[kKillReasonMax];
};

static_assert(offsetof(KillSwitchState, writer_pid) == 64, "the hot line is one cache line");

struct KillStatus {
  bool engaged = false;
  std::string reason;              // why it was engaged (last engage, kept after release)
  std::int64_t since_wall_ns = 0;  // when it last changed state, UTC ns since the epoch
  std::int64_t since_mono_ns = 0;  // same instant on CLOCK_MONOTONIC (latency measurement)
  std::int32_t by_pid = 0;         // process that last changed it
  std::uint64_t changes = 0;       // how many times it was flipped since the segment was created
};

class KillSwitch {
 public:
  /// $HFT_KILL_SWITCH_NAME or "hft_kill_switch".
  static std::string default_name();

  /// Attaches to the switch, creating it (released) if it does not exist yet.
  static KillSwitch open(const std::string& name = default_name());
  /// Removes the segment (tests, uninstall). The next open() starts released.
  static bool remove(const std::string& name = default_name());

  /// Hot path: one load of one cache line.
  bool engaged() const noexcept { return hot_->engaged.load(std::memory_order_acquire) != 0; }
  /// Hot path alternative: a number that changes on every flip (cheap edge detection).
  std::uint64_t changes() const noexcept { return hot_->changes.load(std::memory_order_acquire); }

  /// Hot path: a number that changes on every resume request (`hft risk resume`). HALTED is left
  /// only by such an explicit command, never by releasing the switch alone.
  std::uint64_t resume_requests() const noexcept {
    return hot_->resumes.load(std::memory_order_acquire);
  }
  /// Hot path, read on a new resume request: changes when that request also asks to re-base.
  std::uint64_t rebase_requests() const noexcept {
    return hot_->rebases.load(std::memory_order_acquire);
  }
  /// Asks a running engine to leave HALTED — with `rebase`, after taking the broker's positions
  /// from its latest position check as its own; false (nothing requested) while the switch is
  /// engaged.
  bool request_resume(bool rebase = false);
  /// Hot path: a number that changes on every flatten request (`hft risk flatten`).
  std::uint64_t flatten_requests() const noexcept {
    return hot_->flattens.load(std::memory_order_acquire);
  }
  /// Read on a new flatten request: how long the engine may take to close every position.
  std::int64_t flatten_deadline_ns() const noexcept {
    return hot_->flatten_deadline_ns.load(std::memory_order_acquire);
  }
  /// Asks a running engine to halt and close every position within `deadline_ns`; false
  /// (nothing requested) while the switch is engaged — the kill switch means no order at all.
  bool request_flatten(std::int64_t deadline_ns);

  // --- the engine on the other side ---------------------------------------------------------
  /// The engine takes the switch (OperatorControl): its pid and the time, `wall_ns`.
  void attach_engine(std::int64_t wall_ns);
  /// The engine's timer: it still polls the switch (one store to the hot line it reads anyway).
  void heartbeat(std::int64_t wall_ns) noexcept {
    hot_->engine_seen_ns.store(wall_ns, std::memory_order_relaxed);
  }
  /// The engine stops: the switch is no longer polled (only if it is still this process's).
  void detach_engine();
  struct EngineSeen {
    std::int32_t pid = 0;      // 0: none attached (or it stopped)
    std::int64_t seen_ns = 0;  // its last heartbeat, UTC ns (0: never)
    bool alive = false;        // attached, the process exists and its heartbeat is recent
  };
  /// Whether an engine polls this switch now: attached, alive and heard from within `max_age_ns`.
  EngineSeen engine(std::int64_t now_wall_ns, std::int64_t max_age_ns) const;

  /// Engages (or re-engages, updating reason and time). Reason is truncated to kKillReasonMax.
  void engage(std::string_view reason);
  /// Releases; keeps the last reason for status.
  void release();
  KillStatus status() const;

  const std::string& name() const { return segment_.name(); }

 private:
  explicit KillSwitch(ShmSegment seg);
  void write(bool engage, std::string_view reason);

  ShmSegment segment_;
  KillSwitchState* hot_;
};

}  // namespace hft::ipc
