// A small synchronous Redis client (hiredis) for cold-path coordination: the session lease
// (session_lease.hpp) and `hft lease`. Every call is bounded by the timeout given at connect, so
// an unreachable or hung server costs at most that long and never blocks a caller for good.
// Not for the hot path, and not thread-safe: one thread per client.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

struct redisContext;

namespace hft::lease {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // AUTH when non-empty; never logged
  int timeout_ms = 500;  // connect and every command
};

/// One reply, flattened to what the lease needs.
struct RedisReply {
  enum class Kind : std::uint8_t { kIoError, kServerError, kNil, kInteger, kString };
  Kind kind = Kind::kIoError;
  std::int64_t integer = 0;
  std::string text;  // kString: the value; kServerError / kIoError: the message

  bool failed() const { return kind == Kind::kIoError || kind == Kind::kServerError; }
};

class RedisClient {
 public:
  explicit RedisClient(RedisEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  /// Runs one command (binary-safe arguments). Connects (and authenticates) first when not
  /// connected; after an I/O error the connection is dropped, so the next call reconnects.
  RedisReply command(std::initializer_list<std::string_view> args);

  /// "host:port", for messages.
  std::string where() const;

 private:
  std::string connect();  // "" or why not
  void drop();

  RedisEndpoint endpoint_;
  redisContext* ctx_ = nullptr;
};

}  // namespace hft::lease
