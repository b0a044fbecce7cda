// The single-runtime session lease (docs/operations.md "Session lease"). Shioaji allows one
// session per account, and two engines trading one account would each send their strategy's
// orders: so `hft run live` first takes a lease in Redis and refuses to start while another
// runtime holds it. The key (lease.key) holds the owner's id and expires after lease.ttl_s;
// the holder refreshes it every ttl/3 and deletes it when it stops.
//
// Held → lost, and the engine halts (StateTrigger lease_lost):
//   - another owner's id is in the key (the lease expired and another engine took it);
//   - no refresh has succeeded for ttl/2 (Redis unreachable): the lease is given up while the
//     key still has ttl/2 to live, so no other engine can have taken it yet.
// A key that has vanished while held (Redis restarted without persistence) is taken again, as
// nobody else can hold it at that moment. A lost lease is taken again when the key is free;
// trading resumes only on `hft risk resume` (HALTED is latched).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "hft/config/config.hpp"
#include "hft/lease/redis_client.hpp"
#include "hft/obs/metrics.hpp"

namespace hft::lease {

struct LeaseSettings {
  RedisEndpoint redis;
  std::string key = "feed:session:owner";
  std::string owner;  // never empty: default_owner() when not configured
  std::int64_t ttl_ms = 300'000;

  std::int64_t refresh_ms() const { return ttl_ms / 3; }
  std::int64_t give_up_ms() const { return ttl_ms / 2; }
};

LeaseSettings lease_settings(const config::LeaseConfig& cfg);
/// "<hostname>:<pid>".
std::string default_owner();

/// Who holds a lease key now (hft lease status, conflict messages).
struct LeaseHolder {
  std::string owner;
  std::int64_t ttl_ms = -1;  // -1: no expiry set
};
/// The key's holder, nullopt when the key is free; `error` is set when Redis cannot be asked.
std::optional<LeaseHolder> read_holder(RedisClient& redis, const std::string& key,
                                       std::string* error);
/// Deletes the key only if `owner` holds it; true when deleted. `error` as above.
bool release_if_owner(RedisClient& redis, const std::string& key, const std::string& owner,
                      std::string* error);

class SessionLease {
 public:
  /// Registers hft_session_lease_held and hft_session_lease_ops_total{op,result}.
  SessionLease(LeaseSettings settings, obs::Registry& registry);
  ~SessionLease();
  SessionLease(const SessionLease&) = delete;
  SessionLease& operator=(const SessionLease&) = delete;

  /// Takes the lease (SET NX with expiry). Empty when held, else why not and how to go on:
  /// another runtime holds it (its id and the time left), or Redis cannot be reached.
  std::string acquire(std::int64_t now_ms);

  /// One refresh round at `now_ms` (monotonic): keeps, retakes or loses the lease as the header
  /// says, and says on stderr when it is lost or taken again. The keeper thread calls it every
  /// refresh_ms(); tests call it directly.
  void refresh(std::int64_t now_ms);

  /// Starts the keeper thread (after acquire()).
  void start_keeper();
  /// Stops the keeper and deletes the key if it is still ours. Idempotent.
  void release();

  /// Any thread: whether this runtime may trade on the session.
  bool held() const { return held_.load(std::memory_order_acquire); }
  const LeaseSettings& settings() const { return settings_; }
  /// Times the lease was lost (read after the keeper stopped, or as a metric).
  std::uint64_t losses() const;

 private:
  enum class Op : std::uint8_t { kAcquire, kRefresh, kRelease, kCount };
  enum class Result : std::uint8_t { kOk, kConflict, kLost, kRetaken, kError, kCount };
  void count(Op op, Result result);
  void set_held(bool held);
  std::string holder_text();  // who holds the key now, for messages
  static std::string holder_text(const std::optional<LeaseHolder>& h, const std::string& error);

  LeaseSettings settings_;
  RedisClient redis_;  // the keeper thread's once it runs
  obs::Gauge& held_gauge_;
  obs::Counter* ops_[static_cast<int>(Op::kCount)][static_cast<int>(Result::kCount)] = {};
  std::atomic<bool> held_{false};
  std::int64_t last_ok_ms_ = 0;  // the last successful acquire or refresh
  bool acquired_ = false;
  bool released_ = false;

  std::thread keeper_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
};

}  // namespace hft::lease
