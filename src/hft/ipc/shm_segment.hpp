// Named shared-memory segments in /dev/shm (mode 0600) with a self-describing header.
//
// A segment is created by its producer and attached by consumers. The header says what the segment
// holds (kind, element size, capacity, a caller-chosen type tag) and who produces it (pid plus the
// process start time, so a recycled pid is not mistaken for the producer, and a heartbeat).
// - attach() to a segment whose layout does not match what the caller expects, or whose producer is
//   dead, fails with an IpcError that names the segment, the field, both values and the fix.
// - The creating handle unlinks the segment when destroyed (normal exit). After a crash the stale
//   segment stays in /dev/shm; the next create() of that name notices the dead producer and
//   reclaims it.
// Errors are exceptions: segments are created and attached at start-up, never on the hot path.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace hft::ipc {

class IpcError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::uint64_t kShmMagic = 0x31304d4853544648ull;  // "HFTSHM01" little-endian
inline constexpr std::uint32_t kShmVersion = 1;

enum class SegmentKind : std::uint32_t { kSpscRing = 1, kKillSwitch = 2, kRaw = 3 };

/// First 256 bytes of every segment. Position independent (no pointers).
struct ShmHeader {
  // Immutable after `ready` is set.
  alignas(64) std::uint64_t magic;
  std::uint32_t version;
  std::uint32_t header_size;
  SegmentKind kind;
  std::uint32_t elem_size;
  std::uint64_t capacity;
  std::uint64_t type_tag;
  std::uint64_t total_size;
  std::int64_t created_wall_ns;
  std::atomic<std::uint32_t> ready;  // 1 once the creator finished initialising (release)
  // Liveness: written by the producer.
  alignas(64) std::atomic<std::int32_t> producer_pid;
  std::atomic<std::uint64_t> producer_start;  // /proc/<pid>/stat starttime, guards pid reuse
  std::atomic<std::int64_t> heartbeat_mono_ns;
  std::atomic<std::int32_t> consumer_pid;
};
static_assert(sizeof(ShmHeader) <= 256);

/// What the caller expects (or creates).
struct ShmSpec {
  SegmentKind kind = SegmentKind::kRaw;
  std::uint32_t elem_size = 0;
  std::uint64_t capacity = 0;
  std::uint64_t type_tag = 0;
  std::size_t payload_bytes = 0;
};

/// A process's liveness as seen from /proc (a zombie counts as dead).
bool process_alive(pid_t pid, std::uint64_t expected_start = 0);
/// /proc/<pid>/stat field 22 (start time in clock ticks since boot); 0 if unknown.
std::uint64_t process_start_time(pid_t pid);

class ShmSegment {
 public:
  static constexpr std::size_t kPayloadOffset = 256;

  /// Creates `name` (mode 0600) and claims it as producer. An existing segment with a dead
  /// producer is reclaimed; one with a live producer is an IpcError ("in use by pid N").
  static ShmSegment create(const std::string& name, const ShmSpec& spec);

  /// Opens an existing segment and checks it against `expect` (kind, version, element size, type
  /// tag, and capacity unless expect.capacity is 0). With `require_live_producer`, a segment whose
  /// producer is dead is an IpcError ("stale").
  static ShmSegment attach(const std::string& name, const ShmSpec& expect,
                           bool require_live_producer = true);

  /// Attaches if it exists (and matches), otherwise creates it. The result never unlinks the
  /// segment on destruction (state that must outlive any one process, e.g. the kill switch).
  static ShmSegment open_or_create(const std::string& name, const ShmSpec& spec);

  /// shm_unlink; false if it did not exist.
  static bool remove(const std::string& name);
  static bool exists(const std::string& name);

  ShmSegment(ShmSegment&& other) noexcept;
  ShmSegment& operator=(ShmSegment&& other) noexcept;
  ShmSegment(const ShmSegment&) = delete;
  ShmSegment& operator=(const ShmSegment&) = delete;
  ~ShmSegment();

  const std::string& name() const { return name_; }
  ShmHeader& header() const { return *reinterpret_cast<ShmHeader*>(base_); }
  std::byte* payload() const { return base_ + kPayloadOffset; }
  std::size_t size() const { return size_; }
  bool owner() const { return unlink_on_close_; }

  /// Producer: refresh the heartbeat (monotonic clock, comparable across processes).
  void heartbeat() const;
  /// Consumer: record our pid in the header (informational).
  void claim_consumer() const;
  bool producer_alive() const;
  /// ns since the last heartbeat (or since creation if none).
  std::int64_t heartbeat_age_ns() const;
  /// Keep or drop the segment when this handle is destroyed.
  void set_unlink_on_close(bool v) { unlink_on_close_ = v; }

 private:
  static ShmSegment create_impl(const std::string& name, const ShmSpec& spec, bool reclaim_stale);
  ShmSegment(std::string name, std::byte* base, std::size_t size, bool unlink_on_close)
      : name_(std::move(name)), base_(base), size_(size), unlink_on_close_(unlink_on_close) {}
  void release() noexcept;

  std::string name_;
  std::byte* base_ = nullptr;
  std::size_t size_ = 0;
  bool unlink_on_close_ = false;
};

}  // namespace hft::ipc
