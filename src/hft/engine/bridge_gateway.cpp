#include "hft/engine/bridge_gateway.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "hft/broker/tw_rules.hpp"
#include "hft/engine/ring_metrics.hpp"

namespace hft::engine {

namespace {
constexpr std::size_t kSampleChars = 200;
}  // namespace

LineCounters line_counters(obs::Registry& registry, const char* name, const char* help,
                           std::initializer_list<ExecLineError> never) {
  LineCounters out{};
  for (std::size_t e = 1; e < out.size(); ++e) {
    const auto reason = static_cast<ExecLineError>(e);
    if (std::find(never.begin(), never.end(), reason) != never.end()) continue;
    out[e] = &registry.counter(name, help, {{"reason", to_string(reason)}});
  }
  return out;
}

BridgeGateway::BridgeGateway(const config::Config& cfg, const SymbolTable& symbols,
                             obs::Registry& registry)
    : symbols_(symbols),
      orders_(static_cast<std::size_t>(cfg.bus.order)),
      reports_(static_cast<std::size_t>(cfg.bus.exec)),
      positions_(std::max<std::size_t>(16, 4 * symbols.size())),
      refused_(registry.counter("hft_gateway_orders_refused_total",
                                "Orders, cancels and replaces refused because the order ring to "
                                "the bridge was full (hft run live)")),
      write_errors_(registry.counter("hft_gateway_write_errors_total",
                                     "Order lines that could not be written to the bridge")),
      exec_lines_(registry.counter("hft_bridge_exec_total",
                                   "Execution reports (@exec lines) accepted from the bridge")),
      exec_rejected_(line_counters(registry, "hft_bridge_exec_rejected_total",
                                   "@exec lines from the bridge refused, by reason",
                                   {ExecLineError::kBadId})),
      positions_lines_(line_counters(registry, "hft_bridge_positions_rejected_total",
                                     "@positions lines (broker position checks) refused, by "
                                     "reason",
                                     {ExecLineError::kBadType, ExecLineError::kBadId})),
      positions_failed_(registry.counter("hft_position_checks_failed_total",
                                         "Broker position checks the bridge could not make "
                                         "(@positions_failed: list_positions raised)")) {
  const char* ops[] = {"place", "cancel", "update"};  // OrderAction order
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    lines_[i] = &registry.counter("hft_gateway_orders_written_total",
                                  "Order lines written to the bridge, by op", {{"op", ops[i]}});
  }
  exec_rejected_[0] = &exec_lines_;
  positions_lines_[0] = &registry.counter("hft_bridge_positions_total",
                                          "@positions lines (broker position checks) accepted");
  register_ring_metrics(registry, "order", [this] { return orders_.metrics(); });
  register_ring_metrics(registry, "exec", [this] { return reports_.metrics(); });
}

BridgeGateway::~BridgeGateway() { stop(); }

void BridgeGateway::start(int fd, std::string first) {
  fd_ = fd;
  first_ = std::move(first);
  // Non-blocking, so that a bridge that stopped reading cannot hold up stop() forever.
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  writer_ = std::thread([this] { write_loop(); });
}

void BridgeGateway::stop() {
  stop_.store(true, std::memory_order_release);
  if (writer_.joinable()) writer_.join();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void BridgeGateway::submit(const OrderEvent& order, Timestamp now) {
  if (orders_.try_push(order)) return;
  refused_.inc();
  if (refusal_count_ == kMaxRefusals) return;  // the ack timeout reports it
  ExecReport& r = refusals_[(refusal_head_ + refusal_count_++) % kMaxRefusals];
  r = ExecReport{};
  r.h = EventHeader{now, now, 0, order.h.symbol, EventType::kExecReport, 0};
  r.client_id = order.client_id;
  r.price = order.price;
  r.exec_type = ExecType::kRejected;
  r.side = order.side;
  r.reject_reason = static_cast<std::uint8_t>(broker::VenueReject::kVenueFull);
}

bool BridgeGateway::next_report(ExecReport& out) {
  if (refusal_count_ > 0) {
    out = refusals_[refusal_head_];
    refusal_head_ = (refusal_head_ + 1) % kMaxRefusals;
    --refusal_count_;
    return true;
  }
  return reports_.try_pop(out);
}

bool BridgeGateway::write_all(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {  // the pipe is full: the bridge is busy placing orders
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, 100) == 0 && stop_.load(std::memory_order_acquire)) {
        errno = ETIMEDOUT;
        return false;  // stopping, and the bridge does not read
      }
      continue;
    }
    return false;
  }
  return true;
}

void BridgeGateway::write_loop() {
  // A bridge that died makes write() fail with EPIPE instead of SIGPIPE ending the engine (a
  // pipe's SIGPIPE goes to the writing thread, which blocks it).
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  std::string buf;
  OrderEvent order;
  bool open = first_.empty() || write_all(first_);
  if (!open) {
    std::fprintf(stderr, "hft run live: cannot write the start-up cancels to the bridge: %s\n",
                 std::strerror(errno));
  }
  for (;;) {
    // Read the flag before draining: whatever was pushed before stop() is still written.
    const bool stopping = stop_.load(std::memory_order_acquire);
    buf.clear();
    std::size_t n = 0;
    for (; n < 256 && orders_.try_pop(order); ++n) {
      append_order_line(order, symbols_.spec(order.h.symbol), buf);
      lines_[static_cast<std::size_t>(order.action)]->inc();
    }
    if (n > 0 && open && !write_all(buf)) {
      open = false;  // the bridge is gone; its end of the quote stream ends the run
      std::fprintf(stderr, "hft run live: cannot write orders to the bridge: %s\n",
                   std::strerror(errno));
    }
    if (n > 0 && !open) write_errors_.inc(n);
    if (n == 256) continue;
    if (stopping) return;
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

bool BridgeGateway::on_exec_line(std::string_view json, Timestamp recv,
                                 const std::atomic<bool>& stop) {
  ExecReport r;
  BrokerRejectText why;
  const ExecLineError e = parse_exec_line(json, symbols_, recv, r, &why);
  exec_rejected_[static_cast<std::size_t>(e)]->inc();
  if (e != ExecLineError::kOk) {
    ++bad_since_log_;
    bad_sample_ = fmt::format("reason={}: {}", to_string(e), json.substr(0, kSampleChars));
    return true;
  }
  if (r.exec_type == ExecType::kRejected) {
    ++rejects_since_log_;
    reject_sample_ = fmt::format("order {} ({}): op_code {} {}", r.client_id,
                                 symbols_.spec(r.h.symbol).code, why.op_code, why.msg);
  }
  r.h.seq = ++exec_seq_;
  while (!reports_.try_push(r)) {  // never lose a fill: wait for the hot thread
    if (stop.load(std::memory_order_relaxed)) return false;
    std::this_thread::yield();
  }
  return true;
}

bool BridgeGateway::on_positions_line(std::string_view json, const std::atomic<bool>& stop) {
  std::string what;
  const ExecLineError e = parse_positions_line(json, symbols_, broker_, &what);
  if (e != ExecLineError::kOk) {
    positions_lines_[static_cast<std::size_t>(e)]->inc();
    std::fprintf(stderr, "hft run live: bridge @positions line refused: %s (reason=%s): %.*s\n",
                 what.c_str(), to_string(e), static_cast<int>(std::min(json.size(), kSampleChars)),
                 json.data());
    return true;
  }
  positions_lines_[0]->inc();
  std::string differ;
  for (const BrokerPosition& p : broker_) {
    const auto ours = p.symbol < ours_.size() ? static_cast<Qty>(ours_[p.symbol]->value()) : p.qty;
    if (ours != p.qty) {
      differ += fmt::format("{}{} broker {:+d}, ours {:+d}", differ.empty() ? "" : "; ",
                            symbols_.spec(p.symbol).code, p.qty, ours);
    }
  }
  if (differ != last_differ_) {  // said once while it stays the same
    if (!differ.empty()) {
      std::fprintf(stderr,
                   "hft run live: position check: %s (a fill on its way may explain one check; "
                   "a difference in %u checks in a row halts)\n",
                   differ.c_str(), PositionCheck::kConfirmations);
    } else {
      std::fprintf(stderr, "hft run live: position check: equal to the broker's again\n");
    }
    last_differ_ = std::move(differ);
  }
  for (const BrokerPosition& p : broker_) {
    while (!positions_.try_push(p)) {
      if (stop.load(std::memory_order_relaxed)) return false;
      std::this_thread::yield();
    }
  }
  return true;
}

void BridgeGateway::on_positions_failed(std::string_view why) {
  positions_failed_.inc();
  std::fprintf(stderr, "hft run live: broker position check failed: %.*s\n",
               static_cast<int>(std::min(why.size(), kSampleChars)), why.data());
}

void BridgeGateway::log_samples() {
  if (bad_since_log_ > 0) {
    std::fprintf(stderr, "hft run live: bridge @exec line refused (%llu since the last log) %s\n",
                 static_cast<unsigned long long>(bad_since_log_), bad_sample_.c_str());
    bad_since_log_ = 0;
  }
  if (rejects_since_log_ > 0) {
    std::fprintf(stderr, "hft run live: broker rejected %llu request(s); latest: %s\n",
                 static_cast<unsigned long long>(rejects_since_log_), reject_sample_.c_str());
    rejects_since_log_ = 0;
  }
}

}  // namespace hft::engine
