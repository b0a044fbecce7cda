// Families about the process itself (memory, CPU, file descriptors, threads, start time) and
// the build, named like the Prometheus client libraries' process_* families with our hft_
// prefix.
#pragma once

#include <string>

#include "hft/obs/metrics.hpp"

namespace hft::obs {

/// Registers hft_process_{cpu_seconds_total, resident_memory_bytes, virtual_memory_bytes,
/// open_fds, threads, start_time_seconds} and a collector that refreshes them from /proc/self
/// at every render(), i.e. on the thread that renders (the exporter's). Call once at start-up.
void register_process_metrics(Registry& registry);

/// hft_build_info{version="...",git_sha="..."} 1 (git_sha omitted when empty): lets dashboards
/// join any series with the build that produced it.
void register_build_info(Registry& registry, const std::string& version,
                         const std::string& git_sha = "");

/// Reads /proc/self once and sets the process families registered above; what the collector
/// runs. Exposed for tests and for callers that render without a collector.
void update_process_metrics(Registry& registry);

}  // namespace hft::obs
