// A small reader for the Prometheus text exposition format (0.0.4), enough for `hft monitor`:
// samples with labels and values, `# TYPE` lines, and the cumulative buckets of histograms.
// It never throws: malformed lines are skipped and listed in Scrape::errors with their line
// number, so a dashboard keeps showing what it could read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hft::obs::monitor {

using LabelSet = std::vector<std::pair<std::string, std::string>>;  // sorted by name

struct Sample {
  std::string name;  // series name as written, e.g. hft_tick_to_order_seconds_bucket
  LabelSet labels;
  double value = 0;

  /// Value of a label, or "" when absent.
  std::string label(std::string_view key) const;
};

/// One cumulative bucket of a histogram: count of samples <= le (le may be +Inf).
struct Bucket {
  double le = 0;
  double count = 0;
};

struct Scrape {
  std::vector<Sample> samples;
  std::vector<std::pair<std::string, std::string>> types;  // family -> counter|gauge|histogram|...
  std::vector<std::string> errors;                         // "line 12: ..."

  /// Every sample of series `name`.
  std::vector<const Sample*> series(std::string_view name) const;
  /// Sum of every sample of `name` whose labels include all of `match`; nullopt when none.
  std::optional<double> sum(std::string_view name, const LabelSet& match = {}) const;
  /// Type of a family from its `# TYPE` line, or "".
  std::string type(std::string_view family) const;
  /// Cumulative buckets of histogram `family` (from `<family>_bucket`), summed over every label
  /// set that includes `match`, sorted by le. Empty when the family has no buckets.
  std::vector<Bucket> buckets(std::string_view family, const LabelSet& match = {}) const;
  /// Distinct values of label `key` across the samples of `name`, in order of appearance.
  std::vector<std::string> label_values(std::string_view name, std::string_view key) const;
};

/// Parses exposition text. Accepts `NaN`, `+Inf`, `-Inf`, escaped label values (\\ \" \n) and
/// an optional timestamp after the value.
Scrape parse_prometheus_text(std::string_view text);

/// The q-quantile (0..1) from cumulative buckets, interpolating linearly inside the bucket that
/// holds the rank (as PromQL's histogram_quantile does; the first bucket starts at 0). A rank in
/// the +Inf bucket returns the highest finite bound. nullopt when there are no samples.
std::optional<double> quantile_from_buckets(const std::vector<Bucket>& buckets, double q);

/// Bucket-wise difference `now - before` (the samples recorded between two scrapes). Buckets
/// are matched by `le`; a counter that went down (a restart) yields `now` unchanged.
std::vector<Bucket> bucket_delta(const std::vector<Bucket>& now, const std::vector<Bucket>& before);

}  // namespace hft::obs::monitor
