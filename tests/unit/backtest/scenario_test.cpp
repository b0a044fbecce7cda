// Scenario tests (`hft strat test`): a strategy that throws fails the scenario with when and
// what instead of ending the tool.
#include "hft/backtest/scenario.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "unit/config/temp_dir.hpp"

namespace hft::backtest {
namespace {

TEST(Scenario, AStrategyThatThrowsFailsTheScenarioWithWhenAndWhat) {
  Scenario sc;
  const std::string path = (config::testing::repo_root() / "examples" / "strategy_project" /
                            "scenarios" / "joins_heavy_side.yaml")
                               .string();
  ASSERT_EQ(load_scenario(path, sc), "");
  struct Throws final : strategy::Strategy {
    void on_book(strategy::Context&, SymbolId, const lob::BookStats&) override {
      throw std::invalid_argument("threshold out of range");
    }
  } throws;
  std::string report;
  const std::vector<std::string> failures = run_scenario(sc, throws, &report);
  ASSERT_FALSE(failures.empty());
  EXPECT_NE(failures[0].find("the strategy threw at "), std::string::npos) << failures[0];
  EXPECT_NE(failures[0].find(" Taipei: threshold out of range"), std::string::npos) << failures[0];
}

}  // namespace
}  // namespace hft::backtest
