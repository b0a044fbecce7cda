#include "hft/engine/recorder_setup.hpp"

#include "hft/engine/ring_metrics.hpp"

namespace hft::engine {

recorder::WalOptions wal_options(const config::Config& cfg, obs::Registry& registry) {
  const config::RecorderConfig& c = cfg.recorder;
  recorder::WalOptions wal;
  wal.dir = c.wal_dir;
  wal.fsync = c.fsync ? recorder::FsyncPolicy::kEveryBatch : recorder::FsyncPolicy::kInterval;
  wal.disk.warn_free_pct = c.disk_warn_free_pct;
  wal.disk.stop_market_data_free_pct = c.disk_stop_market_data_free_pct;
  wal.disk.reduce_only_free_pct = c.disk_reduce_only_free_pct;
  wal.disk.halt_free_pct = c.disk_halt_free_pct;
  wal.disk.check_interval_ms = c.disk_check_interval_ms;
  obs::Histogram& fsync =
      registry.histogram("hft_wal_fsync_seconds", "Duration of each WAL fdatasync (writer thread)");
  wal.on_fsync = [&fsync](std::int64_t ns) { fsync.record(ns); };  // the writer thread only
  return wal;
}

void register_recorder_metrics(obs::Registry& registry, const recorder::Recorder& rec) {
  obs::Gauge& durable = registry.gauge(
      "hft_wal_durable_seq", "Highest WAL sequence fsynced: every record up to it is on disk");
  obs::Gauge& free_ratio = registry.gauge("hft_wal_disk_free_ratio",
                                          "Free share (0..1) of the WAL's file system; -1 unknown");
  obs::Gauge& state = registry.gauge("hft_wal_disk_pressure_state",
                                     "WAL disk pressure: 0 ok, 1 warn, 2 stop_market_data, "
                                     "3 reduce_only, 4 halted");
  obs::Counter& dropped =
      registry.counter("hft_wal_disk_dropped_total",
                       "Records other than orders, fills, risk rejects and state changes not "
                       "written to the WAL because its disk is low");
  registry.add_collector([&rec, &durable, &free_ratio, &state, &dropped] {
    const recorder::RecorderStats s = rec.stats();
    durable.set(static_cast<double>(s.durable_seq));
    free_ratio.set(s.disk_free_ratio);
    state.set(static_cast<double>(s.disk_pressure));
    dropped.set(s.disk_dropped);
  });
  // The recorder's ring in 64-byte lines (an event takes 1-3); "full" = critical events that had
  // to wait for room, "dropped" = market data refused because the ring was full.
  register_ring_metrics(registry, "recorder", [&rec] {
    const recorder::RecorderStats s = rec.stats();
    return bus::RingMetrics{s.ring_capacity_lines, s.ring_depth_lines, s.ring_high_water_lines,
                            s.critical_waits,      s.dropped,          0};
  });
}

RunRecorder::RunRecorder(obs::Registry& registry)
    : registry_(registry),
      records_(registry.counter("hft_wal_records_total", "Records written to the WAL")),
      bytes_(registry.counter("hft_wal_bytes_total", "Bytes written to the WAL")) {}

std::string RunRecorder::start(const config::Config& cfg) {
  if (!cfg.recorder.enabled) return {};
  rec_ = std::make_unique<recorder::Recorder>(wal_options(cfg, registry_),
                                              static_cast<std::size_t>(cfg.bus.recorder));
  if (std::string e = rec_->start(); !e.empty()) {
    rec_.reset();
    return e;
  }
  register_recorder_metrics(registry_, *rec_);
  id_state_ = cfg.recorder.wal_dir + "/client_order_epoch";
  return {};
}

void RunRecorder::sync_metrics() {
  if (!rec_) return;
  records_.inc(rec_->records_written() - last_records_);
  bytes_.inc(rec_->bytes_written() - last_bytes_);
  last_records_ = rec_->records_written();
  last_bytes_ = rec_->bytes_written();
}

void RunRecorder::stop() {
  if (rec_) rec_->stop();
}

}  // namespace hft::engine
