// Prometheus text exposition format 0.0.4:
// https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
#include <charconv>
#include <cmath>
#include <string_view>

#include "hft/obs/metrics.hpp"

namespace hft::obs {
namespace {

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// Shortest text that reads back as the same double ("0.37", "1e-07", "123456789").
void append_double(std::string& out, double v, std::chars_format fmt = std::chars_format{}) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto r = fmt == std::chars_format{} ? std::to_chars(buf, buf + sizeof buf, v)
                                        : std::to_chars(buf, buf + sizeof buf, v, fmt);
    out.append(buf, r.ptr);
  }
}

/// raw samples of `unit` in base units. Dividing by an integer 1/unit (1e9 for ns) gives the
/// correctly rounded result (1500 ns → 1.5e-06), where multiplying by 1e-9 may not.
double to_base_units(double raw, double unit) {
  if (unit == 1.0) return raw;
  if (unit < 1.0) {
    const double inv = std::round(1.0 / unit);
    if (std::abs(inv * unit - 1.0) < 1e-12) return raw / inv;
  }
  return raw * unit;
}

void append_escaped(std::string& out, std::string_view s, bool quote) {
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '"':
        if (quote) {
          out += "\\\"";
          break;
        }
        [[fallthrough]];
      default: out += c;
    }
  }
}

/// `name{k="v",...,extra_k="extra_v"}` (no braces when there are no labels).
void append_series(std::string& out, std::string_view name, std::string_view suffix,
                   const Labels& labels, std::string_view extra_k = {},
                   std::string_view extra_v = {}) {
  out += name;
  out += suffix;
  if (labels.empty() && extra_k.empty()) return;
  out += '{';
  bool first = true;
  auto pair = [&](std::string_view k, std::string_view v) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    append_escaped(out, v, true);
    out += '"';
  };
  for (const auto& [k, v] : labels) pair(k, v);
  if (!extra_k.empty()) pair(extra_k, extra_v);
  out += '}';
}

}  // namespace

std::vector<double> Registry::histogram_bounds(double sample_unit) {
  std::vector<double> bounds;
  if (sample_unit < 1.0) {
    // 1-2-5 series, 100 ns .. 10 s. m / 10^k (both exact integers) is the double nearest to the
    // decimal bound, so it prints as "1e-07", not "1.0000000000000001e-07".
    for (int k = -7; k <= 1; ++k) {
      for (double m : {1.0, 2.0, 5.0}) {
        const double le = k < 0 ? m / std::pow(10.0, -k) : m * std::pow(10.0, k);
        if (le > 10.0) break;
        if (le >= sample_unit * (1 - 1e-9)) bounds.push_back(le);
      }
    }
  } else {
    for (int k = 0; k <= 9; ++k) {
      const double le = std::pow(10.0, k);
      if (le >= sample_unit * (1 - 1e-9)) bounds.push_back(le);
    }
  }
  return bounds;
}

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  for (const auto& collect : collectors_) collect();

  std::string out;
  out.reserve(4096);
  std::vector<std::uint64_t> cumulative;
  for (const auto& [name, f] : families_) {
    if (f.series.empty()) continue;
    out += "# HELP ";
    out += name;
    out += ' ';
    append_escaped(out, f.help, false);
    out += "\n# TYPE ";
    out += name;
    switch (f.kind) {
      case Kind::kCounter: out += " counter\n"; break;
      case Kind::kGauge: out += " gauge\n"; break;
      case Kind::kHistogram: out += " histogram\n"; break;
    }

    const std::vector<double> bounds =
        f.kind == Kind::kHistogram ? histogram_bounds(f.sample_unit) : std::vector<double>{};
    // Bound in sample units: a sample s is counted under `le` when s <= limit (with the
    // histogram's precision, see Histogram::count_at_or_below).
    std::vector<int> last_bucket;
    std::vector<std::string> le_text;
    for (double le : bounds) {
      const double limit = std::floor(le / f.sample_unit + 1e-6);
      last_bucket.push_back(Histogram::bucket_of(static_cast<std::uint64_t>(limit)));
      append_double(le_text.emplace_back(), le, std::chars_format::general);
    }

    for (const auto& [labels, s] : f.series) {
      switch (f.kind) {
        case Kind::kCounter: {
          append_series(out, name, "", labels);
          out += ' ';
          const std::uint64_t v = s.counter->metric.value();
          if (f.sample_unit == 1.0) {
            append_uint(out, v);
          } else {
            append_double(out, to_base_units(static_cast<double>(v), f.sample_unit));
          }
          out += '\n';
          break;
        }
        case Kind::kGauge:
          append_series(out, name, "", labels);
          out += ' ';
          append_double(out, s.gauge->metric.value());
          out += '\n';
          break;
        case Kind::kHistogram: {
          // One pass over a relaxed snapshot of the buckets: cumulative counts are monotonic
          // and +Inf equals _count even while the writer keeps recording.
          const Histogram& h = s.histogram->metric;
          const std::int64_t sum = h.sum();
          cumulative.assign(bounds.size(), 0);
          std::uint64_t total = 0;
          std::size_t next = 0;
          for (int b = 0; b < Histogram::kBucketCount; ++b) {
            while (next < bounds.size() && last_bucket[next] < b) cumulative[next++] = total;
            total += h.bucket_count(b);
          }
          while (next < bounds.size()) cumulative[next++] = total;
          for (std::size_t i = 0; i < bounds.size(); ++i) {
            append_series(out, name, "_bucket", labels, "le", le_text[i]);
            out += ' ';
            append_uint(out, cumulative[i]);
            out += '\n';
          }
          append_series(out, name, "_bucket", labels, "le", "+Inf");
          out += ' ';
          append_uint(out, total);
          out += '\n';
          append_series(out, name, "_sum", labels);
          out += ' ';
          append_double(out, to_base_units(static_cast<double>(sum), f.sample_unit));
          out += '\n';
          append_series(out, name, "_count", labels);
          out += ' ';
          append_uint(out, total);
          out += '\n';
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace hft::obs
