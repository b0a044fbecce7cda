// `hft strat test`: a scripted market scenario with the orders, fills and positions a strategy
// is expected to produce — how users unit-test strategies, with an exit code for CI.
//
//   name: buys the ask when bids dominate
//   symbols: [TXFD6]                 # built-in codes; ids in this order
//   start: "2026-11-25 10:00:00"     # Taipei time of t = 0 (default: a Wednesday 10:00)
//   params: {threshold: 0.5}         # strategy parameters (--param overrides them)
//   latency_us: {entry: 0, response: 0}
//   queue: risk_averse               # or power:2
//   steps:                           # t in seconds from start; one step = one atomic update
//     - {t: 0,     book: {symbol: TXFD6, bids: [[20000, 30]], asks: [[20001, 5]]}}
//     - {t: 0.001, trade: {symbol: TXFD6, price: 20001, qty: 2, side: B}}
//     - {t: 0.002, level: {symbol: TXFD6, side: S, price: 20001, qty: 3}}
//   expect:
//     orders: [{side: B, price: 20001, qty: 2, tif: IOC}]   # in order; listed fields only
//     fills:  [{side: B, price: 20001, qty: 2}]
//     position: {TXFD6: 2}
// Expected lists must match the actual ones in length and, entry by entry, in every field given.
#pragma once

#include <string>
#include <vector>

#include "hft/backtest/backtest.hpp"

namespace hft::backtest {

struct ExpectedOrder {
  std::string symbol, side, tif, type;  // empty = not checked
  std::string price;                    // decimal; empty = not checked
  Qty qty = -1;                         // -1 = not checked
};

struct Scenario {
  std::string name;
  MarketInput input;
  BacktestConfig config;
  bool check_orders = false, check_fills = false;
  std::vector<ExpectedOrder> orders;
  std::vector<ExpectedOrder> fills;  // side/price/qty/symbol
  std::vector<std::pair<std::string, Qty>> positions;
};

/// Parses a scenario file. "" or "file:line: what is wrong".
std::string load_scenario(const std::string& path, Scenario& out);

/// Runs `strategy` through the scenario; returns the failures (empty = pass) and fills
/// `report` with a readable account of what happened.
std::vector<std::string> run_scenario(Scenario& sc, strategy::Strategy& strategy,
                                      std::string* report);

}  // namespace hft::backtest
