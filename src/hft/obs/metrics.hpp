// Metrics the hot thread can update without shared atomics: each metric has exactly one writer
// thread, which updates it with a relaxed load + store (no read-modify-write, no lock prefix);
// the exporter thread reads with relaxed loads. Registration allocates and happens at start-up.
//
// Parts: Counter, Gauge, Histogram (values), Registry (names, labels, Prometheus text),
// Exporter (HTTP /metrics). Process and build-info families: process_metrics.hpp.
// Conventions and the list of exported families: docs/metrics.md.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hft::obs {

using Labels = std::vector<std::pair<std::string, std::string>>;

/// Monotonic count. One writer thread; readers on any thread.
class Counter {
 public:
  void inc(std::uint64_t n = 1) {
    v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  /// Mirrors a total kept elsewhere (e.g. CPU ticks from /proc); must never go down.
  void set(std::uint64_t total) { v_.store(total, std::memory_order_relaxed); }
  std::uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

/// Current value of something that goes up and down. One writer thread; readers on any thread.
class Gauge {
 public:
  void set(double v) { bits_.store(std::bit_cast<std::uint64_t>(v), std::memory_order_relaxed); }
  double value() const { return std::bit_cast<double>(bits_.load(std::memory_order_relaxed)); }

 private:
  std::atomic<std::uint64_t> bits_{std::bit_cast<std::uint64_t>(0.0)};
};

/// Log-linear histogram of non-negative integer samples (e.g. ns): values below kSubCount have a
/// bucket each; above, each power of two [2^k, 2^(k+1)) is split into kSubCount linear
/// sub-buckets, so any recorded value is known within 1/kSubCount (~3 %) (HDR-histogram layout).
/// record() is O(1) and allocation-free; negative samples count as 0.
class Histogram {
 public:
  static constexpr int kSubBits = 5;
  static constexpr int kSubCount = 1 << kSubBits;
  static constexpr int kBucketCount = (64 - kSubBits + 1) * kSubCount;

  void record(std::int64_t value) {
    const std::uint64_t v = value < 0 ? 0 : static_cast<std::uint64_t>(value);
    bump(buckets_[bucket_of(v)], 1);
    bump(count_, 1);
    // Saturates instead of overflowing: a bogus sample (e.g. an exchange time of 0) must not
    // turn _sum negative or trip UB.
    const std::int64_t s = sum_.load(std::memory_order_relaxed);
    const std::int64_t add = value < 0 ? 0 : value;
    sum_.store(add > std::numeric_limits<std::int64_t>::max() - s
                   ? std::numeric_limits<std::int64_t>::max()
                   : s + add,
               std::memory_order_relaxed);
  }
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  std::int64_t sum() const { return sum_.load(std::memory_order_relaxed); }
  /// Approximate value at quantile q in [0, 1] (upper bound of the bucket); 0 when empty.
  std::int64_t quantile(double q) const;
  /// Number of samples <= value (exact at bucket bounds; otherwise may include samples up to
  /// bucket_upper(bucket_of(value)), i.e. within 1/kSubCount above value).
  std::uint64_t count_at_or_below(std::int64_t value) const;
  void reset();  // only by the writer thread

  /// Samples in one bucket (0 <= bucket < kBucketCount).
  std::uint64_t bucket_count(int bucket) const {
    return buckets_[bucket].load(std::memory_order_relaxed);
  }

  // Bucket b < 2*kSubCount holds exactly the value b. Above, with m = bit_width(v) - 1 (the
  // top bit) and s = m - kSubBits, bucket = (s + 1) * kSubCount + (v >> s) - kSubCount: the
  // top kSubBits + 1 bits of v choose the bucket, the s bits below are the lost precision.
  static constexpr int bucket_of(std::uint64_t value) {
    if (value < 2 * static_cast<std::uint64_t>(kSubCount)) return static_cast<int>(value);
    const int shift = static_cast<int>(std::bit_width(value)) - 1 - kSubBits;
    return (shift + 1) * kSubCount + static_cast<int>(value >> shift) - kSubCount;
  }
  /// Largest value that falls into `bucket`.
  static constexpr std::uint64_t bucket_upper(int bucket) {
    if (bucket < 2 * kSubCount) return static_cast<std::uint64_t>(bucket);
    const int shift = bucket / kSubCount - 1;
    const auto top = static_cast<std::uint64_t>(kSubCount + bucket % kSubCount);
    return (top << shift) + ((std::uint64_t{1} << shift) - 1);
  }

 private:
  static void bump(std::atomic<std::uint64_t>& a, std::uint64_t n) {
    a.store(a.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }

  std::atomic<std::uint64_t> buckets_[kBucketCount] = {};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::int64_t> sum_{0};
};

/// Owns every metric. Families are named by Prometheus conventions (hft_ prefix, _total for
/// counters, base units _seconds/_bytes). Histograms record integers in `sample_unit`
/// (1e-9 for ns) and are exposed in base units with fixed `le` bounds.
///
/// Registration is for start-up: it allocates, takes a lock, and throws std::logic_error on a
/// programming error (invalid name or label, counter without _total, empty help, a name reused
/// with another kind or unit). Asking again for the same name + label set (in any label order)
/// returns the same object. Returned references stay valid for the registry's lifetime.
class Registry {
 public:
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  /// A counter counting integer `unit`s (e.g. 1e-6 for µs of CPU time), exposed in base units.
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels,
                   double unit);
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                       double sample_unit = 1e-9);

  /// Runs `collect` at the start of every render() (on the rendering thread, with the registry
  /// locked: it may update metrics it holds, but must not call the registry).
  void add_collector(std::function<void()> collect);

  /// Prometheus text exposition format 0.0.4 of every metric: families sorted by name, series
  /// sorted by label set, so equal values give byte-identical output.
  std::string render() const;

  /// `le` bounds (in base units) at which histograms with this sample unit are exposed:
  /// sample_unit < 1 (time): 1-2-5 series from 1e-7 (or one sample unit) to 10;
  /// sample_unit >= 1 (counts, bytes): powers of ten from 1 to 1e9. +Inf is always added.
  static std::vector<double> histogram_bounds(double sample_unit);

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  // Each metric gets its own cache lines, so metrics written by different threads never share
  // one (false sharing would put the exporter's or another writer's misses on the hot thread).
  template <class T>
  struct alignas(64) Padded {
    T metric;
  };
  struct Series {
    std::unique_ptr<Padded<Counter>> counter;
    std::unique_ptr<Padded<Gauge>> gauge;
    std::unique_ptr<Padded<Histogram>> histogram;
  };
  struct Family {
    Kind kind;
    std::string help;
    double sample_unit = 1.0;
    std::map<Labels, Series> series;  // key: labels sorted by name; node addresses are stable
  };
  Family& family(const std::string& name, const std::string& help, Kind kind, double unit);
  Series& series(Family& f, const std::string& name, const Labels& labels);

  mutable std::mutex mu_;  // guards registration vs rendering; never taken by metric writers
  std::map<std::string, Family> families_;
  std::vector<std::function<void()>> collectors_;
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
  /// Port 0 picks a free port; port() then tells which.
  std::string start(const std::string& address, int port);
  /// Stops serving and joins the thread; safe to call when not started.
  void stop();
  int port() const { return port_; }

 private:
  struct Impl;
  const Registry& registry_;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace hft::obs
