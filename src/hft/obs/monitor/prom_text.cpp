#include "hft/obs/monitor/prom_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace hft::obs::monitor {

namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

std::optional<double> parse_value(std::string_view s) {
  if (s == "+Inf" || s == "Inf") return std::numeric_limits<double>::infinity();
  if (s == "-Inf") return -std::numeric_limits<double>::infinity();
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s.empty()) return std::nullopt;
  // strtod needs a terminated string; values are short.
  const std::string buf(s);
  char* end = nullptr;
  const double v = std::strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size()) return std::nullopt;
  return v;
}

/// Parses one sample line into `out`; returns "" or what was wrong.
std::string parse_sample(std::string_view line, Sample& out) {
  std::size_t i = 0;
  if (i >= line.size() || !is_name_start(line[i])) return "expected a metric name";
  while (i < line.size() && is_name_char(line[i])) ++i;
  out.name = std::string(line.substr(0, i));
  if (i < line.size() && line[i] == '{') {
    ++i;
    for (;;) {
      while (i < line.size() && line[i] == ' ') ++i;
      if (i < line.size() && line[i] == '}') {
        ++i;
        break;
      }
      const std::size_t k0 = i;
      if (i >= line.size() || !is_name_start(line[i])) return "expected a label name";
      while (i < line.size() && is_name_char(line[i])) ++i;
      std::string key(line.substr(k0, i - k0));
      if (i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') {
        return "expected =\" after label '" + key + "'";
      }
      i += 2;
      std::string value;
      bool closed = false;
      while (i < line.size()) {
        const char c = line[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < line.size()) {
          const char e = line[i++];
          value += e == 'n' ? '\n' : e;
        } else {
          value += c;
        }
      }
      if (!closed) return "unterminated value of label '" + key + "'";
      out.labels.emplace_back(std::move(key), std::move(value));
      while (i < line.size() && line[i] == ' ') ++i;
      if (i < line.size() && line[i] == ',') {
        ++i;
        continue;
      }
      if (i < line.size() && line[i] == '}') {
        ++i;
        break;
      }
      return "expected , or } in the label set";
    }
  }
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  std::size_t e = i;
  while (e < line.size() && line[e] != ' ' && line[e] != '\t') ++e;
  const auto v = parse_value(line.substr(i, e - i));
  if (!v) return "bad value '" + std::string(line.substr(i, e - i)) + "'";
  out.value = *v;
  std::sort(out.labels.begin(), out.labels.end());
  return "";
}

bool includes(const LabelSet& labels, const LabelSet& match) {
  for (const auto& m : match) {
    if (std::find(labels.begin(), labels.end(), m) == labels.end()) return false;
  }
  return true;
}

}  // namespace

std::string Sample::label(std::string_view key) const {
  for (const auto& [k, v] : labels) {
    if (k == key) return v;
  }
  return "";
}

Scrape parse_prometheus_text(std::string_view text) {
  Scrape s;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line.empty()) continue;
    if (line.front() == '#') {
      constexpr std::string_view kType = "# TYPE ";
      if (line.substr(0, kType.size()) == kType) {
        const std::string_view rest = line.substr(kType.size());
        const std::size_t sp = rest.find(' ');
        if (sp != std::string_view::npos) {
          s.types.emplace_back(std::string(rest.substr(0, sp)), std::string(rest.substr(sp + 1)));
        }
      }
      continue;
    }
    Sample sample;
    if (std::string err = parse_sample(line, sample); !err.empty()) {
      s.errors.push_back("line " + std::to_string(line_no) + ": " + err);
      continue;
    }
    s.samples.push_back(std::move(sample));
  }
  return s;
}

std::vector<const Sample*> Scrape::series(std::string_view name) const {
  std::vector<const Sample*> out;
  for (const Sample& smp : samples) {
    if (smp.name == name) out.push_back(&smp);
  }
  return out;
}

std::optional<double> Scrape::sum(std::string_view name, const LabelSet& match) const {
  std::optional<double> total;
  for (const Sample& smp : samples) {
    if (smp.name == name && includes(smp.labels, match)) total = total.value_or(0) + smp.value;
  }
  return total;
}

std::string Scrape::type(std::string_view family) const {
  for (const auto& [f, t] : types) {
    if (f == family) return t;
  }
  return "";
}

std::vector<Bucket> Scrape::buckets(std::string_view family, const LabelSet& match) const {
  const std::string name = std::string(family) + "_bucket";
  std::vector<Bucket> out;
  for (const Sample& smp : samples) {
    if (smp.name != name || !includes(smp.labels, match)) continue;
    const auto le = parse_value(smp.label("le"));
    if (!le || std::isnan(*le)) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const Bucket& b) { return b.le == *le; });
    if (it == out.end()) {
      out.push_back({*le, smp.value});
    } else {
      it->count += smp.value;
    }
  }
  std::sort(out.begin(), out.end(), [](const Bucket& a, const Bucket& b) { return a.le < b.le; });
  return out;
}

std::vector<std::string> Scrape::label_values(std::string_view name, std::string_view key) const {
  std::vector<std::string> out;
  for (const Sample& smp : samples) {
    if (smp.name != name) continue;
    std::string v = smp.label(key);
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
  }
  return out;
}

std::optional<double> quantile_from_buckets(const std::vector<Bucket>& buckets, double q) {
  if (buckets.empty()) return std::nullopt;
  const double total = buckets.back().count;
  if (!(total > 0)) return std::nullopt;
  q = std::clamp(q, 0.0, 1.0);
  const double rank = q * total;
  double prev_le = 0;
  double prev_count = 0;
  double highest_finite = 0;
  for (const Bucket& b : buckets) {
    if (std::isfinite(b.le)) highest_finite = b.le;
    if (b.count >= rank && b.count > prev_count) {
      if (!std::isfinite(b.le)) return highest_finite;
      const double lower = prev_le;
      const double in_bucket = b.count - prev_count;
      return lower + (b.le - lower) * ((rank - prev_count) / in_bucket);
    }
    if (std::isfinite(b.le)) prev_le = b.le;
    prev_count = b.count;
  }
  return highest_finite;
}

std::vector<Bucket> bucket_delta(const std::vector<Bucket>& now,
                                 const std::vector<Bucket>& before) {
  std::vector<Bucket> out = now;
  for (Bucket& b : out) {
    const auto it =
        std::find_if(before.begin(), before.end(), [&](const Bucket& o) { return o.le == b.le; });
    if (it == before.end()) continue;
    if (b.count < it->count) return now;  // counter reset: the process restarted
    b.count -= it->count;
  }
  return out;
}

}  // namespace hft::obs::monitor
