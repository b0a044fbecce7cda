// Metrics the hot thread can update without shared atomics: each metric has exactly one writer
// thread, which updates it with a relaxed load + store (no read-modify-write, no lock prefix);
// the exporter thread reads with relaxed loads. Registration allocates and happens at start-up.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hft::obs {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

class Gauge {
 public:
  void set(double v) { bits_.store(std::bit_cast<std::uint64_t>(v), std::memory_order_relaxed); }
  double value() const { return std::bit_cast<double>(bits_.load(std::memory_order_relaxed)); }

 private:
  std::atomic<std::uint64_t> bits_{std::bit_cast<std::uint64_t>(0.0)};
};

/// Log-linear histogram of non-negative integer samples (e.g. ns): each power of two is split
/// into 2^kSubBits linear sub-buckets, so any recorded value is known within 1/2^kSubBits
/// (~3 %). record() is O(1) and allocation-free.
class Histogram {
 public:
  static constexpr int kSubBits = 5;
  static constexpr int kSubCount = 1 << kSubBits;
  static constexpr int kBucketCount = (64 - kSubBits + 1) * kSubCount;

  void record(std::int64_t value);
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  std::int64_t sum() const { return sum_.load(std::memory_order_relaxed); }
  /// Approximate value at quantile q in [0, 1] (upper bound of the bucket); 0 when empty.
  std::int64_t quantile(double q) const;
  /// Number of samples <= value (exact at bucket bounds).
  std::uint64_t count_at_or_below(std::int64_t value) const;
  void reset();  // only by the writer thread

  static int bucket_of(std::uint64_t value);
  static std::uint64_t bucket_upper(int bucket);

 private:
  std::atomic<std::uint64_t> buckets_[kBucketCount] = {};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::int64_t> sum_{0};
};

/// Owns every metric. Families are named by Prometheus conventions (hft_ prefix, _total for
/// counters, base units _seconds/_bytes). Histograms record integers in `sample_unit`
/// (1e-9 for ns) and are exposed in base units with fixed `le` bounds.
class Registry {
 public:
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                       double sample_unit = 1e-9);

  /// Prometheus text exposition format 0.0.4 of every metric.
  std::string render() const;

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct Series {
    Labels labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
  };
  struct Family {
    Kind kind;
    std::string help;
    double sample_unit = 1.0;
    std::deque<Series> series;
  };
  Family& family(const std::string& name, const std::string& help, Kind kind, double unit);
  Series& series(Family& f, const Labels& labels);

  mutable std::mutex mu_;  // guards registration vs rendering; never taken by metric writers
  std::map<std::string, Family> families_;
};

/// Serves GET /metrics (and /healthz) over HTTP on a background thread.
class Exporter {
 public:
  explicit Exporter(const Registry& registry);
  ~Exporter();
  Exporter(const Exporter&) = delete;
  Exporter& operator=(const Exporter&) = delete;

  /// Binds and starts serving. Returns an empty string on success, otherwise one line saying
  /// what failed and how to fix it (e.g. the port is in use: pick another with --metrics-port).
  std::string start(const std::string& address, int port);
  void stop();
  int port() const { return port_; }

 private:
  struct Impl;
  const Registry& registry_;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace hft::obs
