#include "hft/engine/ring_metrics.hpp"

namespace hft::engine {

void register_ring_metrics(obs::Registry& registry, const std::string& ring,
                           std::function<bus::RingMetrics()> read) {
  const obs::Labels labels{{"ring", ring}};
  obs::Gauge& capacity = registry.gauge("hft_ring_capacity", "Slots of a ring", labels);
  obs::Gauge& depth = registry.gauge("hft_ring_depth", "Items queued in a ring", labels);
  obs::Gauge& high_water =
      registry.gauge("hft_ring_high_water", "Most items ever queued in a ring", labels);
  obs::Counter& full =
      registry.counter("hft_ring_full_total", "Pushes that found a ring full", labels);
  obs::Counter& dropped =
      registry.counter("hft_ring_dropped_total", "Items discarded because a ring was full", labels);
  registry.add_collector([=, &capacity, &depth, &high_water, &full, &dropped] {
    const bus::RingMetrics m = read();
    capacity.set(static_cast<double>(m.capacity));
    depth.set(static_cast<double>(m.depth));
    high_water.set(static_cast<double>(m.high_water));
    full.set(m.full);
    dropped.set(m.dropped);
  });
}

}  // namespace hft::engine
