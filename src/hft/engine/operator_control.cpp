#include "hft/engine/operator_control.hpp"

#include <cstdio>
#include <stdexcept>
#include <utility>

#include "hft/core/clock.hpp"

namespace hft::engine {
namespace {

ipc::KillSwitch open_switch(const std::string& who) {
  try {
    return ipc::KillSwitch::open();
  } catch (const std::exception& e) {
    throw std::runtime_error(who + ": kill switch: " + e.what());
  }
}

}  // namespace

OperatorControl::OperatorControl(obs::Registry& registry, std::string who)
    : who_(std::move(who)),
      kill_(open_switch(who_)),
      gauge_(registry.gauge("hft_kill_switch", "1 when the shared-memory kill switch is engaged")),
      resumes_seen_(kill_.resume_requests()),
      rebases_seen_(kill_.rebase_requests()),
      flattens_seen_(kill_.flatten_requests()) {
  kill_.attach_engine(wall_ns());
  if (kill_.engaged()) {
    std::fprintf(stderr,
                 "%s: kill switch is ON (%s): starting HALTED; `hft kill off` then "
                 "`hft risk resume` resumes trading\n",
                 who_.c_str(), kill_.status().reason.c_str());
  }
  sync_metrics();
}

OperatorControl::~OperatorControl() { kill_.detach_engine(); }

void OperatorControl::say(const HotPath::Rebase& done) const {
  if (done.symbols == 0 && done.unpriced == 0) {
    std::fprintf(stderr,
                 "%s: re-base requested: every position equals the broker's at the latest "
                 "position check; nothing to take\n",
                 who_.c_str());
    return;
  }
  std::fprintf(stderr,
               "%s: re-based %zu symbol(s) to the broker's position at the latest position check "
               "(the difference booked as an external position at the current price)%s\n",
               who_.c_str(), done.symbols,
               done.unpriced == 0 ? ""
                                  : "; a symbol without a price yet was left as it was (the "
                                    "next checks halt again while it differs)");
}

void OperatorControl::say_strategy_error(const HotPath::StrategyError& e) const {
  std::fprintf(stderr,
               "%s: the strategy threw in %s: %s — HALTED (trigger strategy_error, working orders "
               "cancelled); it is not called again until `hft risk resume` (it will have missed "
               "what happened meanwhile: a restart is the safer way on)\n",
               who_.c_str(), e.hook, e.what.data());
}

void OperatorControl::say_flatten(const HotPath& hot, bool started) const {
  const FlattenStatus& f = hot.flatten_status();
  if (started) {
    std::fprintf(stderr,
                 "%s: flatten requested: HALTED, working orders cancelled, closing every position "
                 "with IOC orders\n",
                 who_.c_str());
    return;
  }
  std::string open;
  const SymbolTable& symbols = hot.symbols();
  for (SymbolId s = 0; s < symbols.size(); ++s) {
    const Qty q = hot.position(s);
    if (q != 0) open += " " + symbols.spec(s).code + " " + (q > 0 ? "+" : "") + std::to_string(q);
  }
  const double ms = static_cast<double>(f.ended - f.started) / 1e6;
  const bool aborted = f.phase == FlattenPhase::kAborted;
  std::fprintf(stderr, "%s: flatten %s after %.1f ms, %u closing order(s)%s%s%s\n", who_.c_str(),
               f.phase == FlattenPhase::kDone ? "done: every position flat"
               : aborted                      ? "aborted by a resume or the kill switch"
                                              : "stopped at its deadline",
               ms, f.orders, open.empty() ? "" : "; still open:", open.c_str(),
               aborted ? "" : "; still HALTED (`hft risk resume` resumes trading)");
}

}  // namespace hft::engine
