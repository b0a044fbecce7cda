// Fuzz target: the JSON control lines the Shioaji bridge writes to `hft run live` — "@exec",
// "@working", "@position", "@positions", the start-up reconciliation's line sequence and
// `hft config sync`'s "@contract" (checked against a spec as well). The
// first input byte picks the parser, the rest is the line. Checks: no crash or exception, and
// what a parser accepts is within its contract (a configured symbol, quantities in range, one
// position per symbol with the last one flagged).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hft/engine/contract_sync.hpp"
#include "hft/engine/order_wire.hpp"
#include "hft/engine/position_check.hpp"
#include "hft/engine/reconciliation.hpp"
#include "shioaji_fixture.hpp"

namespace {

using hft::fuzz::check;
using namespace hft::engine;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hft::fuzz::ShioajiFixture f({"2330", "TXFD6", "TXFR1"});
  static BrokerStartState start;
  if (size == 0) return 0;
  const std::string_view line(reinterpret_cast<const char*>(data + 1), size - 1);
  const hft::SymbolTable& symbols = f.symbols;
  switch (data[0] % 6) {
    case 0: {
      hft::ExecReport r{};
      BrokerRejectText why;
      if (parse_exec_line(line, symbols, 1, r, &why) == ExecLineError::kOk) {
        check(r.h.symbol < symbols.size() && r.qty >= 0 && r.leaves >= 0);
      }
      break;
    }
    case 1: {
      WorkingAtStart w;
      if (parse_working_line(line, symbols, w) == ExecLineError::kOk) {
        check(w.symbol < symbols.size() && w.qty > 0 && w.open > 0 && w.open <= w.qty);
      }
      break;
    }
    case 2: {
      PositionAtStart p;
      if (parse_position_line(line, symbols, p) == ExecLineError::kOk) {
        check(p.symbol < symbols.size() && p.qty != 0 && p.avg_price.v >= 0);
      }
      break;
    }
    case 3: {
      std::vector<BrokerPosition> out;
      if (parse_positions_line(line, symbols, out) == ExecLineError::kOk) {
        check(out.size() == symbols.size() && out.back().last);
        for (std::size_t i = 0; i < out.size(); ++i) check(out[i].symbol == i);
      }
      break;
    }
    case 5: {
      BrokerContract c;
      std::string why;
      if (parse_contract_line(line, c, &why)) {
        check(!c.code.empty());
        for (const SpecDifference& d : compare_contract(symbols.spec(0), c)) {
          check(!d.field.empty() && !d.ours.empty());
        }
      } else {
        check(!why.empty());
      }
      break;
    }
    default:
      if (start.done) start = BrokerStartState{};
      (void)start.on_line(line, symbols);
      check(start.working.size() <= start.working_lines &&
            start.positions.size() <= start.position_lines);
  }
  return 0;
}
