// Human durations on the command line: "30s", "500ms", "2m", "1h", "1.5s", or plain seconds.
#pragma once

#include <optional>
#include <string_view>

namespace hft::cli {

/// Seconds, or nullopt when `text` is not a non-negative duration.
std::optional<double> parse_duration_seconds(std::string_view text);

}  // namespace hft::cli
