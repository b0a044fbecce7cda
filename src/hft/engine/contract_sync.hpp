// `hft config sync`: the broker's contract data for the configured symbols, fetched through the
// Shioaji bridge (--contracts, docs/configuration.md "hft config sync"), checked against the
// specs the engine trades with (symbols.yaml or the built-in table): exchange, lot size,
// multiplier, price scale, daily limits. A difference means the engine would size, price or
// limit-check orders wrongly; the fix is in symbols.list (then `hft config build`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hft/config/config.hpp"
#include "hft/core/contract.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/core/taiwan_time.hpp"

namespace hft::engine {

/// One `@contract {json}` line of the bridge (reference §2 fields; '' / 0 when absent).
struct BrokerContract {
  std::string code;         // as configured ("TXFR1")
  std::string target_code;  // the real contract behind a continuous code ("TXFD6"), or ""
  std::string security_type, exchange, name, category;
  std::string delivery_month, delivery_date, update_date;
  std::int64_t unit = 0;
  std::int64_t multiplier = 0;
  std::string reference, limit_up, limit_down;  // exact decimal text
};

/// Parses the JSON of an `@contract` line. False with `error` saying which field is wrong.
bool parse_contract_line(std::string_view json, BrokerContract& out, std::string* error);

struct SpecDifference {
  std::string field;   // our key in symbols.list: exchange, lot_size, multiplier, ...
  std::string ours;    // what our spec says
  std::string broker;  // what the broker says
  // Only the daily limits differ (limit_pct_bp): a live run takes the broker's limits instead.
  // Any other difference sizes, prices or values orders wrongly: a live run refuses to start.
  bool limits_only = false;
};

/// Whether the contract's update_date ("YYYY/MM/DD") is the Taipei date of `now`: the broker
/// refreshes contracts at 07:50 (futures), 08:00 (all) and 14:45 / 17:15 (night session)
/// (reference §2), so data read before that carries the previous day's reference and limits.
bool updated_today(const BrokerContract& c, Timestamp now);

/// The broker's limit_down..limit_up as prices at the spec's scale; nullopt when either is
/// absent, not positive, absurd or not a price at that scale.
std::optional<PriceLimits> broker_limits(const ContractSpec& spec, const BrokerContract& c);

/// Our spec against the broker's contract. Fields the broker leaves empty or 0 are not checked.
std::vector<SpecDifference> compare_contract(const ContractSpec& spec, const BrokerContract& c);

struct ContractSync {
  std::vector<BrokerContract> contracts;  // in the order the bridge wrote them
  std::vector<std::string> missing;       // codes the broker does not know
  std::string error;                      // non-empty: the fetch failed
};

/// Runs the bridge with --contracts for every symbol in `symbols` and reads its answer, for at
/// most `timeout_ms` (the contract download at login can take a while).
ContractSync fetch_contracts(const config::Config& cfg, const SymbolTable& symbols,
                             std::int64_t timeout_ms);

/// The snapshot `hft config sync` writes: when, which environment, each contract with the
/// differences found, the missing codes.
std::string contracts_json(const ContractSync& sync, const SymbolTable& symbols, bool simulation,
                           std::int64_t fetched_at_ns);

}  // namespace hft::engine
