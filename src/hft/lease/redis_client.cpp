#include "hft/lease/redis_client.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <string>
#include <vector>

namespace hft::lease {
namespace {

timeval to_timeval(int ms) {
  return timeval{.tv_sec = ms / 1000, .tv_usec = static_cast<suseconds_t>(ms % 1000) * 1000};
}

RedisReply io_error(std::string what) {
  return RedisReply{.kind = RedisReply::Kind::kIoError, .integer = 0, .text = std::move(what)};
}

RedisReply flatten(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_NIL: out.kind = RedisReply::Kind::kNil; break;
    case REDIS_REPLY_INTEGER:
      out.kind = RedisReply::Kind::kInteger;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      out.kind = RedisReply::Kind::kString;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.kind = RedisReply::Kind::kServerError;
      out.text.assign(r.str, r.len);
      break;
    default:  // arrays and RESP3 types: no command of ours returns them
      out.kind = RedisReply::Kind::kServerError;
      out.text = "unexpected reply type " + std::to_string(r.type);
  }
  return out;
}

}  // namespace

RedisClient::~RedisClient() { drop(); }

std::string RedisClient::where() const {
  return endpoint_.host + ":" + std::to_string(endpoint_.port);
}

void RedisClient::drop() {
  if (ctx_ != nullptr) redisFree(ctx_);
  ctx_ = nullptr;
}

std::string RedisClient::connect() {
  const timeval tv = to_timeval(endpoint_.timeout_ms);
  ctx_ = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, tv);
  if (ctx_ == nullptr) return "out of memory";
  if (ctx_->err != 0) {
    std::string why = ctx_->errstr;
    drop();
    return why;
  }
  redisSetTimeout(ctx_, tv);
  if (endpoint_.password.empty()) return "";
  const RedisReply auth = command({"AUTH", endpoint_.password});
  if (auth.failed()) {
    drop();
    return "AUTH refused: " + auth.text;
  }
  return "";
}

RedisReply RedisClient::command(std::initializer_list<std::string_view> args) {
  if (ctx_ == nullptr) {
    if (std::string why = connect(); !why.empty()) return io_error(std::move(why));
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (std::string_view a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (reply == nullptr) {  // I/O error or timeout: the context cannot be used again
    RedisReply out = io_error(ctx_->errstr[0] != '\0' ? ctx_->errstr : "no reply");
    drop();
    return out;
  }
  RedisReply out = flatten(*reply);
  freeReplyObject(reply);
  return out;
}

}  // namespace hft::lease
