#include "hft/lease/session_lease.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <utility>

#include "hft/core/clock.hpp"

namespace hft::lease {
namespace {

// Refresh: 1 = ours, expiry renewed; 2 = the key had vanished, taken again; 0 = another's.
constexpr std::string_view kRefreshScript =
    "local v = redis.call('GET', KEYS[1]) "
    "if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end "
    "if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end "
    "return 0";
// Compare-and-delete: never removes another runtime's lease.
constexpr std::string_view kReleaseScript =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
    "return 0";

constexpr std::array<const char*, 3> kOpNames = {"acquire", "refresh", "release"};
constexpr std::array<const char*, 5> kResultNames = {"ok", "conflict", "lost", "retaken", "error"};

}  // namespace

std::string default_owner() {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}", host[0] != '\0' ? host.data() : "localhost", ::getpid());
}

LeaseSettings lease_settings(const config::LeaseConfig& cfg) {
  LeaseSettings s;
  s.redis.host = cfg.redis_host;
  s.redis.port = static_cast<int>(cfg.redis_port);
  s.redis.password = cfg.redis_password;
  s.redis.timeout_ms = static_cast<int>(cfg.timeout_ms);
  s.key = cfg.key;
  s.owner = cfg.owner.empty() ? default_owner() : cfg.owner;
  s.ttl_ms = cfg.ttl_s * 1000;
  return s;
}

std::optional<LeaseHolder> read_holder(RedisClient& redis, const std::string& key,
                                       std::string* error) {
  const RedisReply owner = redis.command({"GET", key});
  if (owner.failed()) {
    if (error != nullptr) *error = owner.text;
    return std::nullopt;
  }
  if (owner.kind != RedisReply::Kind::kString) return std::nullopt;
  const RedisReply ttl = redis.command({"PTTL", key});
  return LeaseHolder{.owner = owner.text,
                     .ttl_ms = ttl.kind == RedisReply::Kind::kInteger ? ttl.integer : -1};
}

bool release_if_owner(RedisClient& redis, const std::string& key, const std::string& owner,
                      std::string* error) {
  const RedisReply r = redis.command({"EVAL", kReleaseScript, "1", key, owner});
  if (r.failed() && error != nullptr) *error = r.text;
  return r.kind == RedisReply::Kind::kInteger && r.integer == 1;
}

SessionLease::SessionLease(LeaseSettings settings, obs::Registry& registry)
    : settings_(std::move(settings)),
      redis_(settings_.redis),
      held_gauge_(registry.gauge("hft_session_lease_held",
                                 "1 while this runtime holds the single-runtime session lease")) {
  const auto add = [&](Op op, Result result) {
    ops_[static_cast<int>(op)][static_cast<int>(result)] = &registry.counter(
        "hft_session_lease_ops_total", "Session lease operations in Redis, by outcome",
        {{"op", kOpNames[static_cast<int>(op)]},
         {"result", kResultNames[static_cast<int>(result)]}});
  };
  for (Result r : {Result::kOk, Result::kConflict, Result::kError}) add(Op::kAcquire, r);
  for (Result r : {Result::kOk, Result::kLost, Result::kRetaken, Result::kError}) {
    add(Op::kRefresh, r);
  }
  for (Result r : {Result::kOk, Result::kError}) add(Op::kRelease, r);
}

SessionLease::~SessionLease() { release(); }

void SessionLease::count(Op op, Result result) {
  if (obs::Counter* c = ops_[static_cast<int>(op)][static_cast<int>(result)]) c->inc();
}

std::uint64_t SessionLease::losses() const {
  return ops_[static_cast<int>(Op::kRefresh)][static_cast<int>(Result::kLost)]->value();
}

void SessionLease::set_held(bool held) {
  held_.store(held, std::memory_order_release);
  held_gauge_.set(held ? 1.0 : 0.0);
}

std::string SessionLease::holder_text() {
  std::string error;
  const std::optional<LeaseHolder> h = read_holder(redis_, settings_.key, &error);
  return holder_text(h, error);
}

std::string SessionLease::holder_text(const std::optional<LeaseHolder>& h,
                                      const std::string& error) {
  if (!error.empty()) return fmt::format("a holder Redis could not name ({})", error);
  if (!h) return "nobody any more (it has just expired)";
  if (h->ttl_ms < 0) return fmt::format("'{}' (without expiry: set by hand?)", h->owner);
  return fmt::format("'{}' (expires in {:.0f} s)", h->owner,
                     static_cast<double>(h->ttl_ms) / 1000.0);
}

std::string SessionLease::acquire(std::int64_t now_ms) {
  const RedisReply r = redis_.command(
      {"SET", settings_.key, settings_.owner, "NX", "PX", std::to_string(settings_.ttl_ms)});
  if (r.failed()) {
    count(Op::kAcquire, Result::kError);
    return fmt::format(
        "session lease: cannot reach Redis at {} ({}): start redis-server there, point "
        "lease.redis_host / lease.redis_port at it, or set lease.enabled=false to run without "
        "the single-runtime guard",
        redis_.where(), r.text);
  }
  if (r.kind == RedisReply::Kind::kNil) {
    count(Op::kAcquire, Result::kConflict);
    std::string error;
    const std::optional<LeaseHolder> h = read_holder(redis_, settings_.key, &error);
    return fmt::format(
        "refusing to start: the session lease '{}' is held by {}: another engine is using this "
        "broker session. Stop it first; if it crashed, let the lease expire or clear it with "
        "`hft lease release --owner {}`",
        settings_.key, holder_text(h, error), h ? h->owner : "ID");
  }
  count(Op::kAcquire, Result::kOk);
  acquired_ = true;
  last_ok_ms_ = now_ms;
  set_held(true);
  return "";
}

void SessionLease::refresh(std::int64_t now_ms) {
  const bool was_held = held();
  const RedisReply r = redis_.command({"EVAL", kRefreshScript, "1", settings_.key, settings_.owner,
                                       std::to_string(settings_.ttl_ms)});
  if (r.failed()) {
    count(Op::kRefresh, Result::kError);
    if (was_held && now_ms - last_ok_ms_ >= settings_.give_up_ms()) {
      count(Op::kRefresh, Result::kLost);
      set_held(false);
      std::fprintf(stderr,
                   "session lease '%s' LOST: no refresh for %.1f s (Redis at %s: %s); given up "
                   "before it expires, so no other engine can have taken it — HALTED\n",
                   settings_.key.c_str(), static_cast<double>(now_ms - last_ok_ms_) / 1000.0,
                   redis_.where().c_str(), r.text.c_str());
    }
    return;
  }
  if (r.kind == RedisReply::Kind::kInteger && (r.integer == 1 || r.integer == 2)) {
    last_ok_ms_ = now_ms;
    count(Op::kRefresh, r.integer == 1 ? Result::kOk : Result::kRetaken);
    set_held(true);
    if (!was_held) {
      std::fprintf(stderr,
                   "session lease '%s' held again; trading stays HALTED until `hft risk resume`\n",
                   settings_.key.c_str());
    } else if (r.integer == 2) {
      std::fprintf(stderr,
                   "session lease '%s': the key had vanished (Redis restarted without "
                   "persistence?); taken again\n",
                   settings_.key.c_str());
    }
    return;
  }
  if (!was_held) return;  // still another's: said when it was lost
  count(Op::kRefresh, Result::kLost);
  set_held(false);
  std::fprintf(stderr, "session lease '%s' LOST: another runtime holds it: %s — HALTED\n",
               settings_.key.c_str(), holder_text().c_str());
}

void SessionLease::start_keeper() {
  keeper_ = std::thread([this] {
    const auto period = std::chrono::milliseconds(settings_.refresh_ms());
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, period, [this] { return stop_; })) {
      lock.unlock();
      refresh(mono_ns() / 1'000'000);
      lock.lock();
    }
  });
}

void SessionLease::release() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (keeper_.joinable()) keeper_.join();
  if (!acquired_ || released_) return;
  released_ = true;
  std::string error;
  release_if_owner(redis_, settings_.key, settings_.owner, &error);
  count(Op::kRelease, error.empty() ? Result::kOk : Result::kError);
  if (!error.empty()) {
    std::fprintf(stderr, "session lease '%s': not released (%s); it expires by itself\n",
                 settings_.key.c_str(), error.c_str());
  }
  set_held(false);
}

}  // namespace hft::lease
