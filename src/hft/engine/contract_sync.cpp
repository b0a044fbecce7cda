#include "hft/engine/contract_sync.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <type_traits>

#include "hft/core/clock.hpp"
#include "hft/core/taiwan_time.hpp"
#include "hft/engine/bridge_process.hpp"
#include "hft/feed/shioaji/stream_framer.hpp"

namespace hft::engine {
namespace {

using Json = nlohmann::json;

/// A string or integer field; absent or null leaves `out` as it is.
template <class T>
bool read_field(const Json& j, const char* name, T& out, std::string* error) {
  constexpr bool kText = std::is_same_v<T, std::string>;
  const auto it = j.find(name);
  if (it == j.end() || it->is_null()) return true;
  if (kText ? !it->is_string() : !it->is_number_integer()) {
    *error = fmt::format("field '{}': expected {}", name, kText ? "a string" : "an integer");
    return false;
  }
  out = it->get<T>();
  return true;
}

// Far above any Taiwan price at any scale we use; keeps the limit arithmetic from overflowing.
constexpr std::int64_t kMaxPrice = 1'000'000'000'000'000;

/// The broker's price at our scale; nullopt when empty, zero, absurd or not representable.
std::optional<Price> at_scale(const std::string& text, std::int64_t scale) {
  if (text.empty()) return std::nullopt;
  const ParsedFixed p = parse_price(text, scale);
  if (!p.ok() || p.value <= 0 || p.value > kMaxPrice) return std::nullopt;
  return Price{p.value};
}

}  // namespace

bool parse_contract_line(std::string_view json, BrokerContract& out, std::string* error) {
  const Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "not a JSON object";
    return false;
  }
  out = BrokerContract{};
  const bool ok = read_field(j, "code", out.code, error) &&
                  read_field(j, "target_code", out.target_code, error) &&
                  read_field(j, "security_type", out.security_type, error) &&
                  read_field(j, "exchange", out.exchange, error) &&
                  read_field(j, "name", out.name, error) &&
                  read_field(j, "category", out.category, error) &&
                  read_field(j, "delivery_month", out.delivery_month, error) &&
                  read_field(j, "delivery_date", out.delivery_date, error) &&
                  read_field(j, "update_date", out.update_date, error) &&
                  read_field(j, "unit", out.unit, error) &&
                  read_field(j, "multiplier", out.multiplier, error) &&
                  read_field(j, "reference", out.reference, error) &&
                  read_field(j, "limit_up", out.limit_up, error) &&
                  read_field(j, "limit_down", out.limit_down, error);
  if (ok && out.code.empty()) {
    *error = "field 'code': missing";
    return false;
  }
  return ok;
}

bool updated_today(const BrokerContract& c, Timestamp now) {
  int y = 0, m = 0, d = 0;
  char extra = 0;
  if (std::sscanf(c.update_date.c_str(), "%4d/%2d/%2d%c", &y, &m, &d, &extra) != 3) return false;
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  return days_from_civil(y, m, d) == taipei_day(now);
}

std::optional<PriceLimits> broker_limits(const ContractSpec& spec, const BrokerContract& c) {
  const std::optional<Price> down = at_scale(c.limit_down, spec.price_scale);
  const std::optional<Price> up = at_scale(c.limit_up, spec.price_scale);
  if (!down || !up) return std::nullopt;
  return PriceLimits{.down = *down, .up = *up};
}

std::vector<SpecDifference> compare_contract(const ContractSpec& spec, const BrokerContract& c) {
  std::vector<SpecDifference> out;
  if (!c.exchange.empty() && exchange_from_string(c.exchange) != spec.exchange) {
    out.push_back({"exchange", to_string(spec.exchange), c.exchange});
  }
  if (c.unit > 0 && c.unit != spec.lot_size) {
    out.push_back({"lot_size", std::to_string(spec.lot_size), fmt::format("unit {}", c.unit)});
  }
  const bool derivative = spec.type != ProductType::kStock && spec.type != ProductType::kEtf;
  if (derivative && c.multiplier > 0 && c.multiplier != spec.multiplier) {
    out.push_back({"multiplier", std::to_string(spec.multiplier), std::to_string(c.multiplier)});
  }
  if (c.reference.empty()) return out;
  const std::optional<Price> ref = at_scale(c.reference, spec.price_scale);
  if (!ref) {
    out.push_back({"price_scale", std::to_string(spec.price_scale),
                   fmt::format("reference {} (not a price at that scale)", c.reference)});
    return out;
  }
  const std::optional<PriceLimits> theirs = broker_limits(spec, c);
  if (!theirs) return out;
  const PriceLimits ours = daily_limits(*ref, spec, spec.ladder());
  if (ours.up.v != theirs->up.v || ours.down.v != theirs->down.v) {
    out.push_back({"limit_pct_bp",
                   fmt::format("{} ({}..{} from the reference {})", spec.limit_pct_bp,
                               format_fixed(ours.down.v, spec.price_scale),
                               format_fixed(ours.up.v, spec.price_scale), c.reference),
                   fmt::format("{}..{}", c.limit_down, c.limit_up), /*limits_only=*/true});
  }
  return out;
}

ContractSync fetch_contracts(const config::Config& cfg, const SymbolTable& symbols,
                             std::int64_t timeout_ms) {
  ContractSync sync;
  BridgeProcess bridge;
  if (std::string e = bridge.start(cfg, symbols, BridgeMode::kContracts); !e.empty()) {
    sync.error = e;
    return sync;
  }
  const std::int64_t deadline = mono_ns() + timeout_ms * 1'000'000;
  feed::shioaji::StreamFramer framer;  // lines, an overlong one dropped
  bool done = false;
  bool ended = false;
  while (!done && !ended) {
    const std::int64_t left_ms = (deadline - mono_ns()) / 1'000'000;
    if (left_ms <= 0) break;
    pollfd p{bridge.fd(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left_ms, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const std::span<char> area = framer.write_area();
    const ssize_t n = ::read(p.fd, area.data(), area.size());
    if (n <= 0) {
      ended = n == 0 || (errno != EINTR && errno != EAGAIN);
      continue;
    }
    framer.commit(static_cast<std::size_t>(n));
    for (std::string_view line; !done && framer.next(line);) {
      if (line.starts_with("@contract ")) {
        BrokerContract c;
        std::string why;
        if (!parse_contract_line(line.substr(10), c, &why)) {
          sync.error =
              fmt::format("unreadable @contract line from the bridge ({}): {:.120}", why, line);
          return sync;
        }
        sync.contracts.push_back(std::move(c));
      } else if (line.starts_with("@contract_missing ")) {
        sync.missing.emplace_back(line.substr(18));
      } else if (line.starts_with("@contracts_done")) {
        done = true;
      }
    }
  }
  const int status = bridge.stop(ended || done);
  if (!done) {
    sync.error =
        ended ? fmt::format(
                    "the bridge ended before it reported the contracts (exit status {}); "
                    "its messages are above",
                    status)
              : fmt::format("no answer from the bridge within {} ms (--timeout)", timeout_ms);
  }
  return sync;
}

std::string contracts_json(const ContractSync& sync, const SymbolTable& symbols, bool simulation,
                           std::int64_t fetched_at_ns) {
  Json doc;
  doc["fetched_at_ns"] = fetched_at_ns;
  doc["environment"] = simulation ? "simulation" : "production";
  doc["contracts"] = Json::array();
  for (const BrokerContract& c : sync.contracts) {
    Json row = {{"code", c.code},
                {"target_code", c.target_code},
                {"security_type", c.security_type},
                {"exchange", c.exchange},
                {"name", c.name},
                {"category", c.category},
                {"delivery_month", c.delivery_month},
                {"delivery_date", c.delivery_date},
                {"update_date", c.update_date},
                {"unit", c.unit},
                {"multiplier", c.multiplier},
                {"reference", c.reference},
                {"limit_up", c.limit_up},
                {"limit_down", c.limit_down}};
    Json diffs = Json::array();
    if (const std::optional<SymbolId> id = symbols.find(c.code)) {
      for (const SpecDifference& d : compare_contract(symbols.spec(*id), c)) {
        diffs.push_back({{"field", d.field}, {"ours", d.ours}, {"broker", d.broker}});
      }
    }
    row["differences"] = std::move(diffs);
    doc["contracts"].push_back(std::move(row));
  }
  doc["missing"] = sync.missing;
  return doc.dump(2) + "\n";
}

}  // namespace hft::engine
