// Histogram queries and metric registration. Rendering lives in exposition.cpp.
#include "hft/obs/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string_view>

namespace hft::obs {

// ---------------------------------------------------------------------------------------------
// Histogram

std::int64_t Histogram::quantile(double q) const {
  std::uint64_t snapshot[kBucketCount];
  std::uint64_t total = 0;
  for (int b = 0; b < kBucketCount; ++b) {
    snapshot[b] = bucket_count(b);
    total += snapshot[b];
  }
  if (total == 0) return 0;
  q = std::clamp(std::isnan(q) ? 0.0 : q, 0.0, 1.0);
  // Rank of the sample we want, 1-based: q = 0 → the smallest, q = 1 → the largest.
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total)));
  rank = std::clamp<std::uint64_t>(rank, 1, total);
  std::uint64_t seen = 0;
  for (int b = 0; b < kBucketCount; ++b) {
    seen += snapshot[b];
    if (seen >= rank) {
      const std::uint64_t upper = bucket_upper(b);
      constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
      return static_cast<std::int64_t>(std::min(upper, kMax));
    }
  }
  return static_cast<std::int64_t>(bucket_upper(kBucketCount - 1) >> 1);  // not reached
}

std::uint64_t Histogram::count_at_or_below(std::int64_t value) const {
  if (value < 0) return 0;
  // Every sample <= value is counted; so are the samples in (value, bucket_upper(bucket_of(
  // value))], which are within 1/kSubCount of value. Exact when value is a bucket's upper bound.
  const int last = bucket_of(static_cast<std::uint64_t>(value));
  std::uint64_t n = 0;
  for (int b = 0; b <= last; ++b) n += bucket_count(b);
  return n;
}

void Histogram::reset() {
  for (auto& b : buckets_) b.store(0, std::memory_order_relaxed);
  count_.store(0, std::memory_order_relaxed);
  sum_.store(0, std::memory_order_relaxed);
}

// ---------------------------------------------------------------------------------------------
// Registry

namespace {

bool is_metric_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool is_label_name(std::string_view s) {
  return is_metric_name(s) && s.find(':') == std::string_view::npos && !s.starts_with("__");
}

bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw std::logic_error("metrics: " + name + ": " + what);
}

const char* kind_name(int kind) {
  switch (kind) {
    case 0: return "counter";
    case 1: return "gauge";
    default: return "histogram";
  }
}

constexpr std::string_view kHistogramSuffixes[] = {"_bucket", "_count", "_sum"};

}  // namespace

Registry::Family& Registry::family(const std::string& name, const std::string& help, Kind kind,
                                   double unit) {
  if (!is_metric_name(name)) {
    fail(name, "invalid metric name (expected [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. hft_orders_total)");
  }
  if (help.empty()) fail(name, "empty help text");
  if (kind == Kind::kCounter && !ends_with(name, "_total")) {
    fail(name, "counter names end in _total (Prometheus convention)");
  }
  if (!(unit > 0) || !std::isfinite(unit)) fail(name, "sample unit must be > 0");

  if (auto it = families_.find(name); it != families_.end()) {
    Family& f = it->second;
    if (f.kind != kind) {
      fail(name, std::string("already registered as a ") + kind_name(static_cast<int>(f.kind)) +
                     ", now asked for as a " + kind_name(static_cast<int>(kind)));
    }
    if (f.sample_unit != unit) fail(name, "already registered with another sample unit");
    return f;
  }
  // A histogram `x` exposes x_bucket, x_count and x_sum: no other family may take those names.
  for (std::string_view suffix : kHistogramSuffixes) {
    if (kind == Kind::kHistogram && families_.contains(name + std::string(suffix))) {
      fail(name, "clashes with family " + name + std::string(suffix));
    }
    if (ends_with(name, suffix)) {
      auto base = families_.find(name.substr(0, name.size() - suffix.size()));
      if (base != families_.end() && base->second.kind == Kind::kHistogram) {
        fail(name, "clashes with the series of histogram " + base->first);
      }
    }
  }
  Family& f = families_[name];
  f.kind = kind;
  f.help = help;
  f.sample_unit = unit;
  return f;
}

Registry::Series& Registry::series(Family& f, const std::string& name, const Labels& labels) {
  Labels key = labels;
  std::sort(key.begin(), key.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (!is_label_name(key[i].first)) {
      fail(name, "invalid label name '" + key[i].first + "' (expected [a-zA-Z_][a-zA-Z0-9_]*)");
    }
    if (i > 0 && key[i].first == key[i - 1].first) fail(name, "label '" + key[i].first + "' twice");
    if (f.kind == Kind::kHistogram && key[i].first == "le") {
      fail(name, "label 'le' is reserved for histogram buckets");
    }
  }
  auto [it, inserted] = f.series.try_emplace(std::move(key));
  Series& s = it->second;
  if (inserted) {
    switch (f.kind) {
      case Kind::kCounter: s.counter = std::make_unique<Padded<Counter>>(); break;
      case Kind::kGauge: s.gauge = std::make_unique<Padded<Gauge>>(); break;
      case Kind::kHistogram: s.histogram = std::make_unique<Padded<Histogram>>(); break;
    }
  }
  return s;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  return counter(name, help, labels, 1.0);
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels,
                           double unit) {
  std::lock_guard lock(mu_);
  Family& f = family(name, help, Kind::kCounter, unit);
  return series(f, name, labels).counter->metric;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Family& f = family(name, help, Kind::kGauge, 1.0);
  return series(f, name, labels).gauge->metric;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const Labels& labels, double sample_unit) {
  std::lock_guard lock(mu_);
  Family& f = family(name, help, Kind::kHistogram, sample_unit);
  return series(f, name, labels).histogram->metric;
}

void Registry::add_collector(std::function<void()> collect) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collect));
}

}  // namespace hft::obs
