// What `hft run sim` and `hft run replay` share around their threads: the stop request that
// SIGINT/SIGTERM raise, and pinning a thread to a core.
#pragma once

namespace hft::engine {

/// Installs SIGINT/SIGTERM handlers that raise the stop request, and clears it.
void arm_stop_request();
/// True once SIGINT or SIGTERM arrived after arm_stop_request() (async-signal-safe flag).
bool stop_requested();
/// Pins the calling thread to `cpu` when the machine has it; a no-op otherwise.
void pin_to_cpu(int cpu);

}  // namespace hft::engine
