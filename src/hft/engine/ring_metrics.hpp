// Ring metrics for the exporter (docs/metrics.md): capacity, depth, high-water mark, full and
// dropped counts of every ring the engine runs, labelled {ring="raw"} etc. The rings count on
// their own (single-writer fields on the producer's line); a collector copies them at each scrape,
// so the hot path pays nothing extra.
#pragma once

#include <functional>
#include <string>

#include "hft/bus/spsc_ring.hpp"
#include "hft/obs/metrics.hpp"

namespace hft::engine {

/// Registers the ring families for `ring` and refreshes them from `read()` at every scrape.
/// Whatever `read` refers to must outlive the registry's exporter.
void register_ring_metrics(obs::Registry& registry, const std::string& ring,
                           std::function<bus::RingMetrics()> read);

}  // namespace hft::engine
