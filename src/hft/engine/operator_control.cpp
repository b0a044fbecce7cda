#include "hft/engine/operator_control.hpp"

#include <cstdio>
#include <stdexcept>

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
    : kill_(open_switch(who)),
      gauge_(registry.gauge("hft_kill_switch", "1 when the shared-memory kill switch is engaged")),
      resumes_seen_(kill_.resume_requests()) {
  if (kill_.engaged()) {
    std::fprintf(stderr,
                 "%s: kill switch is ON (%s): starting HALTED; `hft kill off` then "
                 "`hft risk resume` resumes trading\n",
                 who.c_str(), kill_.status().reason.c_str());
  }
  sync_metrics();
}

}  // namespace hft::engine
