#include "hft/ipc/shm_segment.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "hft/core/clock.hpp"

namespace hft::ipc {
namespace {

std::string path_of(const std::string& name) { return name.starts_with('/') ? name : "/" + name; }

std::string sys_error(const std::string& what, const std::string& name) {
  return what + " /dev/shm" + path_of(name) + ": " + std::strerror(errno);
}

const char* kind_name(SegmentKind k) {
  switch (k) {
    case SegmentKind::kSpscRing: return "spsc-ring";
    case SegmentKind::kKillSwitch: return "kill-switch";
    case SegmentKind::kRaw: return "raw";
  }
  return "unknown";
}

std::size_t total_bytes(const ShmSpec& spec) {
  return ShmSegment::kPayloadOffset + (spec.payload_bytes + 63) / 64 * 64;
}

std::byte* map_fd(int fd, std::size_t size, const std::string& name) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) throw IpcError(sys_error("cannot mmap", name));
  return static_cast<std::byte*>(p);
}

// Reads the header of an existing segment without validating it (for the reclaim decision).
struct Peek {
  bool opened = false;
  bool initialised = false;
  pid_t pid = 0;
  std::uint64_t start = 0;
  std::int64_t created = 0;
};

Peek peek(const std::string& name) {
  Peek out;
  const int fd = shm_open(path_of(name).c_str(), O_RDONLY, 0);
  if (fd < 0) return out;
  out.opened = true;
  struct stat st {};
  if (fstat(fd, &st) == 0 && static_cast<std::size_t>(st.st_size) >= sizeof(ShmHeader)) {
    void* p = mmap(nullptr, sizeof(ShmHeader), PROT_READ, MAP_SHARED, fd, 0);
    if (p != MAP_FAILED) {
      const auto* h = static_cast<const ShmHeader*>(p);
      out.initialised = h->magic == kShmMagic && h->ready.load(std::memory_order_acquire) == 1;
      out.pid = h->producer_pid.load(std::memory_order_acquire);
      out.start = h->producer_start.load(std::memory_order_relaxed);
      out.created = h->created_wall_ns;
      munmap(p, sizeof(ShmHeader));
    }
  }
  close(fd);
  return out;
}

}  // namespace

std::uint64_t process_start_time(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(f, line)) return 0;
  const auto rp = line.rfind(')');
  if (rp == std::string::npos) return 0;
  std::istringstream rest(line.substr(rp + 2));
  std::string field;
  // Fields after the command name start at field 3 (state); starttime is field 22.
  for (int i = 3; i <= 22 && (rest >> field); ++i) {
    if (i == 22) return std::strtoull(field.c_str(), nullptr, 10);
  }
  return 0;
}

bool process_alive(pid_t pid, std::uint64_t expected_start) {
  if (pid <= 0) return false;
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (std::getline(f, line)) {
    const auto rp = line.rfind(')');
    if (rp != std::string::npos && rp + 2 < line.size()) {
      const char state = line[rp + 2];
      if (state == 'Z' || state == 'X') return false;  // exited, not yet reaped
    }
    if (expected_start != 0) {
      const std::uint64_t start = process_start_time(pid);
      if (start != 0 && start != expected_start) return false;  // pid recycled
    }
    return true;
  }
  return kill(pid, 0) == 0 || errno == EPERM;
}

ShmSegment ShmSegment::create(const std::string& name, const ShmSpec& spec) {
  return create_impl(name, spec, true);
}

ShmSegment ShmSegment::create_impl(const std::string& name, const ShmSpec& spec,
                                   bool reclaim_stale) {
  const std::string path = path_of(name);
  const std::size_t size = total_bytes(spec);
  int fd = -1;
  for (int attempt = 0; attempt < 3 && fd < 0; ++attempt) {
    fd = shm_open(path.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd >= 0) break;
    if (errno != EEXIST || !reclaim_stale) throw IpcError(sys_error("cannot create", name));
    Peek p = peek(name);
    if (p.opened && !p.initialised && p.pid == 0) {
      // Maybe a creator between shm_open and writing its pid: give it a moment.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      p = peek(name);
    }
    if (p.initialised && process_alive(p.pid, p.start)) {
      throw IpcError("shared-memory segment /dev/shm" + path + " is in use by live producer pid " +
                     std::to_string(p.pid) + "; stop that process or choose another name");
    }
    // Stale: producer died without cleaning up (crash, SIGKILL). Reclaim the name.
    shm_unlink(path.c_str());
  }
  if (fd < 0) throw IpcError(sys_error("cannot create", name));
  fchmod(fd, 0600);  // the umask can only narrow the mode; make it exact anyway
  if (ftruncate(fd, static_cast<off_t>(size)) != 0) {
    const std::string err = sys_error("cannot size", name);
    close(fd);
    shm_unlink(path.c_str());
    throw IpcError(err);
  }
  std::byte* base = nullptr;
  try {
    base = map_fd(fd, size, name);
  } catch (...) {
    close(fd);
    shm_unlink(path.c_str());
    throw;
  }
  close(fd);
  auto* h = new (base) ShmHeader{};
  h->producer_pid.store(getpid(), std::memory_order_relaxed);
  h->producer_start.store(process_start_time(getpid()), std::memory_order_relaxed);
  h->heartbeat_mono_ns.store(mono_ns(), std::memory_order_relaxed);
  h->magic = kShmMagic;
  h->version = kShmVersion;
  h->header_size = static_cast<std::uint32_t>(kPayloadOffset);
  h->kind = spec.kind;
  h->elem_size = spec.elem_size;
  h->capacity = spec.capacity;
  h->type_tag = spec.type_tag;
  h->total_size = size;
  h->created_wall_ns = wall_ns();
  // Payload pages are fresh from ftruncate (zero); touching them now keeps faults off the hot path.
  std::memset(base + kPayloadOffset, 0, size - kPayloadOffset);
  h->ready.store(1, std::memory_order_release);
  return ShmSegment(name, base, size, true);
}

ShmSegment ShmSegment::attach(const std::string& name, const ShmSpec& expect,
                              bool require_live_producer) {
  const std::string path = path_of(name);
  const std::string where = "shared-memory segment /dev/shm" + path;
  const int fd = shm_open(path.c_str(), O_RDWR, 0);
  if (fd < 0) {
    if (errno == ENOENT) throw IpcError(where + " does not exist (is its producer running?)");
    throw IpcError(sys_error("cannot open", name));
  }
  struct stat st {};
  // A creator racing us may not have sized the segment yet (shm_open, then ftruncate): give it
  // the time the ready flag below gets before calling the segment too small.
  for (int i = 0;; ++i) {
    if (fstat(fd, &st) != 0) {
      close(fd);
      throw IpcError(sys_error("cannot stat", name));
    }
    if (static_cast<std::size_t>(st.st_size) >= kPayloadOffset || i == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size < kPayloadOffset) {
    close(fd);
    throw IpcError(where + " is " + std::to_string(size) + " bytes, smaller than its " +
                   std::to_string(kPayloadOffset) + "-byte header: not an hft segment");
  }
  std::byte* base = nullptr;
  try {
    base = map_fd(fd, size, name);
  } catch (...) {
    close(fd);
    throw;
  }
  close(fd);
  ShmSegment seg(name, base, size, false);
  ShmHeader& h = seg.header();
  for (int i = 0; i < 200 && h.ready.load(std::memory_order_acquire) != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // creator still initialising
  }
  auto mismatch = [&](const char* field, const std::string& got, const std::string& want) {
    return IpcError(where + ": " + field + " is " + got + ", expected " + want +
                    " (built from a different version or for another item type; restart the "
                    "producer with the same build, or remove the segment)");
  };
  if (h.magic != kShmMagic) throw mismatch("magic", std::to_string(h.magic), "HFTSHM01");
  if (h.ready.load(std::memory_order_acquire) != 1)
    throw IpcError(where + " was never fully initialised (creator crashed?); remove it");
  if (h.version != kShmVersion)
    throw mismatch("layout version", std::to_string(h.version), std::to_string(kShmVersion));
  if (h.kind != expect.kind) throw mismatch("kind", kind_name(h.kind), kind_name(expect.kind));
  if (h.elem_size != expect.elem_size)
    throw mismatch("element size", std::to_string(h.elem_size) + " bytes",
                   std::to_string(expect.elem_size) + " bytes");
  if (h.type_tag != expect.type_tag)
    throw mismatch("type tag", std::to_string(h.type_tag), std::to_string(expect.type_tag));
  if (expect.capacity != 0 && h.capacity != expect.capacity)
    throw mismatch("capacity", std::to_string(h.capacity), std::to_string(expect.capacity));
  if (h.total_size != size)
    throw mismatch("size", std::to_string(size) + " bytes", std::to_string(h.total_size));
  if (require_live_producer && !seg.producer_alive()) {
    throw IpcError(where + " is stale: its producer pid " + std::to_string(h.producer_pid.load()) +
                   " is dead (last heartbeat " +
                   std::to_string(seg.heartbeat_age_ns() / 1'000'000) +
                   " ms ago); restart the producer, which reclaims it");
  }
  return seg;
}

ShmSegment ShmSegment::open_or_create(const std::string& name, const ShmSpec& spec) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (exists(name)) {
      try {
        return attach(name, spec, false);
      } catch (const IpcError&) {
        if (exists(name)) throw;  // a real mismatch, not a vanished segment
        continue;
      }
    }
    try {
      // No reclaiming here: a segment that appeared meanwhile is a racing opener's, not stale.
      ShmSegment seg = create_impl(name, spec, false);
      seg.set_unlink_on_close(false);
      // Persistent state has no producer: clear the pid so nobody reclaims it as stale.
      seg.header().producer_pid.store(0, std::memory_order_release);
      return seg;
    } catch (const IpcError&) {
      if (!exists(name)) throw;  // creation failed for a reason other than a race
    }
  }
  throw IpcError("cannot open or create shared-memory segment /dev/shm" + path_of(name));
}

bool ShmSegment::remove(const std::string& name) { return shm_unlink(path_of(name).c_str()) == 0; }

bool ShmSegment::exists(const std::string& name) {
  const int fd = shm_open(path_of(name).c_str(), O_RDONLY, 0);
  if (fd < 0) return false;
  close(fd);
  return true;
}

ShmSegment::ShmSegment(ShmSegment&& o) noexcept
    : name_(std::move(o.name_)),
      base_(o.base_),
      size_(o.size_),
      unlink_on_close_(o.unlink_on_close_) {
  o.base_ = nullptr;
  o.unlink_on_close_ = false;
}

ShmSegment& ShmSegment::operator=(ShmSegment&& o) noexcept {
  if (this != &o) {
    release();
    name_ = std::move(o.name_);
    base_ = o.base_;
    size_ = o.size_;
    unlink_on_close_ = o.unlink_on_close_;
    o.base_ = nullptr;
    o.unlink_on_close_ = false;
  }
  return *this;
}

ShmSegment::~ShmSegment() { release(); }

void ShmSegment::release() noexcept {
  if (base_ == nullptr) return;
  if (unlink_on_close_) {
    header().producer_pid.store(0, std::memory_order_release);
    shm_unlink(path_of(name_).c_str());
  }
  munmap(base_, size_);
  base_ = nullptr;
}

void ShmSegment::heartbeat() const {
  header().heartbeat_mono_ns.store(mono_ns(), std::memory_order_relaxed);
}

void ShmSegment::claim_consumer() const {
  header().consumer_pid.store(getpid(), std::memory_order_relaxed);
}

bool ShmSegment::producer_alive() const {
  const ShmHeader& h = header();
  return process_alive(h.producer_pid.load(std::memory_order_acquire),
                       h.producer_start.load(std::memory_order_relaxed));
}

std::int64_t ShmSegment::heartbeat_age_ns() const {
  return mono_ns() - header().heartbeat_mono_ns.load(std::memory_order_relaxed);
}

}  // namespace hft::ipc
