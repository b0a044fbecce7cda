// The configuration schema: one row per leaf key of Config. Validation, the HFT_* environment
// mapping, `hft config show` and the key table in docs/configuration.md all come from this table,
// so adding a key means adding a field to config.hpp and one row in schema.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hft/config/config.hpp"

namespace hft::config {

/// Address of a leaf inside a Config; the alternative says the leaf's type.
using FieldRef = std::variant<std::int64_t*, std::uint64_t*, double*, bool*, std::string*,
                              std::vector<std::string>*, std::map<std::string, double>*>;

enum class FieldType : std::uint8_t {
  kInt,
  kUint,
  kFloat,
  kBool,
  kString,
  kStringList,
  kDoubleMap
};

struct Field {
  std::string_view key;          // dotted path: "sim.rate"
  std::string_view description;  // one line, for docs and `hft config keys`
  FieldRef (*ref)(Config&);      // where the value lives
  bool secret = false;           // rendered as <redacted>; not settable on the command line
  double min = -1e300;           // numeric range, inclusive
  double max = 1e300;
  bool power_of_two = false;   // ring sizes
  std::string_view one_of;     // allowed strings, '|'-separated; empty = any
  std::string_view alias_env;  // extra environment variable, e.g. SHIOAJI_API_KEY

  FieldType type() const;
  /// "HFT_" + key upper-cased with '.' -> '_': sim.rate -> HFT_SIM_RATE.
  std::string env_var() const;
};

/// Every leaf key, sorted by key.
std::span<const Field> schema();

/// The field with exactly this key, or nullptr. For `strategy.params.<name>` returns the map field.
const Field* find_field(std::string_view key);

/// Closest known key (edit distance) for "did you mean"; empty when nothing is close.
std::string suggest_key(std::string_view key);

/// "an integer", "a number", "true or false", ...: what a value of this type must look like.
const char* type_expectation(FieldType t);
const char* type_name(FieldType t);

/// Parses `text` (from a YAML scalar, an env var or a flag) as a value of `f` and stores it in
/// `c` (for a map field, `map_key` names the entry). Returns empty on success, else the reason,
/// e.g. "expected an integer, got 'fast'" or "must be >= 0, got -1".
std::string assign_text(const Field& f, Config& c, std::string_view text,
                        std::string_view map_key = {});

/// The value of `f` in `c` as text: "100000", "true", "[TXFR1, 2330]", "<redacted>" for a set
/// secret (an empty secret renders as "").
std::string render_value(const Field& f, const Config& c);

/// Shortest text that reads back as the same double: 0.6, 100000, 1e-05.
std::string render_number(double v);

/// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// Markdown table of every key: key, type, default, env var, description.
std::string schema_markdown();

}  // namespace hft::config
