// Layering and provenance: defaults → base → env/<mode> → env/<HFT_ENV> → --config → HFT_* → CLI.
#include <gtest/gtest.h>

#include <algorithm>

#include "hft/config/config.hpp"
#include "temp_dir.hpp"

namespace hft::config {
namespace {

using testing::TempDir;

std::string origin_of(const LoadResult& r, const std::string& key) {
  for (const auto& p : r.provenance) {
    if (p.key == key) return p.origin;
  }
  return "<no such key>";
}

std::string value_of(const LoadResult& r, const std::string& key) {
  for (const auto& p : r.provenance) {
    if (p.key == key) return p.value;
  }
  return "<no such key>";
}

std::string all_errors(const LoadResult& r) {
  std::string out;
  for (const auto& e : r.errors) out += e + "\n";
  return out;
}

LoadOptions options_for(const TempDir& dir) {
  LoadOptions o;
  o.config_dir = dir.path("config");
  return o;
}

TEST(ConfigLoad, MissingConfigDirMeansBuiltInDefaults) {
  TempDir dir;
  const LoadResult r = load(options_for(dir));
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_EQ(r.config.sim.rate, 100'000);
  EXPECT_EQ(origin_of(r, "sim.rate"), "default");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("does not exist"), std::string::npos);
}

TEST(ConfigLoad, ExistingConfigDirWithoutBaseIsAnError) {
  TempDir dir;
  dir.write("config/env/sim/main.yaml", "mode: sim\n");
  const LoadResult r = load(options_for(dir));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("base/main.yaml: missing"), std::string::npos);
}

TEST(ConfigLoad, BaseOverridesDefaultsAndNamesFileAndLine) {
  TempDir dir;
  const auto base = dir.write("config/base/main.yaml", "# comment\nsim:\n  rate: 5\n");
  const LoadResult r = load(options_for(dir));
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_EQ(r.config.sim.rate, 5);
  EXPECT_EQ(origin_of(r, "sim.rate"), base + ":3");
  EXPECT_EQ(origin_of(r, "sim.seed"), "default");
}

TEST(ConfigLoad, EachLayerOverridesThePreviousOne) {
  TempDir dir;
  const auto base = dir.write("config/base/main.yaml",
                              "sim:\n  rate: 1\n  seed: 1\nrisk:\n  max_position: 1\n"
                              "  max_order_qty: 1\n  price_collar_ticks: 1\nduration_s: 1\n");
  const auto mode = dir.write("config/env/replay/main.yaml",
                              "mode: replay\nsim:\n  seed: 2\nrisk:\n  max_position: 2\n"
                              "  max_order_qty: 2\n  price_collar_ticks: 2\nduration_s: 2\n");
  const auto envf = dir.write("config/env/staging/main.yaml",
                              "risk:\n  max_position: 3\n  max_order_qty: 3\n"
                              "  price_collar_ticks: 3\nduration_s: 3\n");
  const auto extra = dir.write("extra.yaml",
                               "risk:\n  max_order_qty: 4\n  price_collar_ticks: 4\n"
                               "duration_s: 4\n");
  LoadOptions o = options_for(dir);
  o.mode = "replay";
  o.extra_file = extra;
  o.env = {{"HFT_ENV", "staging"}, {"HFT_RISK_PRICE_COLLAR_TICKS", "5"}, {"HFT_DURATION_S", "5"}};
  o.cli = {{"duration_s", "6"}};
  const LoadResult r = load(o);
  ASSERT_TRUE(r.ok()) << all_errors(r);

  EXPECT_EQ(r.config.sim.rate, 1);
  EXPECT_EQ(origin_of(r, "sim.rate"), base + ":2");
  EXPECT_EQ(r.config.sim.seed, 2u);
  EXPECT_EQ(origin_of(r, "sim.seed"), mode + ":3");
  EXPECT_EQ(r.config.risk.max_position, 3);
  EXPECT_EQ(origin_of(r, "risk.max_position"), envf + ":2");
  EXPECT_EQ(r.config.risk.max_order_qty, 4);
  EXPECT_EQ(origin_of(r, "risk.max_order_qty"), extra + ":2");
  EXPECT_EQ(r.config.risk.price_collar_ticks, 5);
  EXPECT_EQ(origin_of(r, "risk.price_collar_ticks"), "env HFT_RISK_PRICE_COLLAR_TICKS");
  EXPECT_DOUBLE_EQ(r.config.duration_s, 6.0);
  EXPECT_EQ(origin_of(r, "duration_s"), "cli --duration_s");

  EXPECT_EQ(r.config.mode, "replay");
  EXPECT_EQ(origin_of(r, "mode"), "cli --mode");
  EXPECT_EQ(r.config.env, "staging");
  EXPECT_EQ(origin_of(r, "env"), "env HFT_ENV");
}

TEST(ConfigLoad, MissingOverlaysAreFine) {
  TempDir dir;
  dir.write("config/base/main.yaml", "sim:\n  rate: 7\n");
  LoadOptions o = options_for(dir);
  o.mode = "live";
  o.env = {{"HFT_ENV", "prod"}};
  const LoadResult r = load(o);
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_EQ(r.config.sim.rate, 7);
}

TEST(ConfigLoad, ProvenanceIsSortedAndCoversEveryLeaf) {
  TempDir dir;
  const LoadResult r = load(options_for(dir));
  ASSERT_FALSE(r.provenance.empty());
  EXPECT_TRUE(std::is_sorted(r.provenance.begin(), r.provenance.end(),
                             [](const auto& a, const auto& b) { return a.key < b.key; }));
  EXPECT_EQ(value_of(r, "bus.raw"), "65536");
  EXPECT_EQ(value_of(r, "symbols"), "[TXFD6, 2330]");
  EXPECT_EQ(value_of(r, "strategy.params"), "{}");
}

TEST(ConfigLoad, StrategyParamsMergeEntryByEntryAcrossLayers) {
  TempDir dir;
  const auto base =
      dir.write("config/base/main.yaml", "strategy:\n  params:\n    spread: 1\n    size: 2\n");
  LoadOptions o = options_for(dir);
  o.env = {{"HFT_STRATEGY_PARAMS_SIZE", "3"}};
  o.cli = {{"strategy.params.skew", "0.5"}};
  const LoadResult r = load(o);
  ASSERT_TRUE(r.ok()) << all_errors(r);
  const std::map<std::string, double> want = {{"spread", 1}, {"size", 3}, {"skew", 0.5}};
  EXPECT_EQ(r.config.strategy.params, want);
  EXPECT_EQ(origin_of(r, "strategy.params.spread"), base + ":3");
  EXPECT_EQ(origin_of(r, "strategy.params.size"), "env HFT_STRATEGY_PARAMS_SIZE");
  EXPECT_EQ(origin_of(r, "strategy.params.skew"), "cli --strategy.params.skew");
}

TEST(ConfigLoad, ListsFromEnvAndCliAreCommaSeparated) {
  TempDir dir;
  LoadOptions o = options_for(dir);
  o.env = {{"HFT_SYMBOLS", "TXFR1, MXFR1"}};
  LoadResult r = load(o);
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_EQ(r.config.symbols, (std::vector<std::string>{"TXFR1", "MXFR1"}));
  o.cli = {{"symbols", "2330"}};
  r = load(o);
  EXPECT_EQ(r.config.symbols, (std::vector<std::string>{"2330"}));
}

TEST(ConfigLoad, BusSizesFromEnvironment) {
  TempDir dir;
  LoadOptions o = options_for(dir);
  o.env = {{"HFT_BUS_RAW", "1024"}, {"HFT_BUS_ORDER", "64"}};
  const LoadResult r = load(o);
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_EQ(r.config.bus.raw, 1024);
  EXPECT_EQ(r.config.bus.order, 64);
  EXPECT_EQ(origin_of(r, "bus.raw"), "env HFT_BUS_RAW");
}

TEST(ConfigLoad, FilesMayRepeatButNotContradictTheMode) {
  TempDir dir;
  dir.write("config/base/main.yaml", "mode: sim\n");
  dir.write("config/env/live/main.yaml", "mode: live\n");
  LoadOptions o = options_for(dir);
  o.mode = "live";
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
  EXPECT_NE(r.errors[0].find("base/main.yaml:1: key 'mode': 'sim' contradicts the mode 'live' "
                             "chosen by cli --mode"),
            std::string::npos)
      << r.errors[0];
}

TEST(ConfigLoad, EnvironmentMayNotContradictTheMode) {
  TempDir dir;
  LoadOptions o = options_for(dir);
  o.env = {{"HFT_MODE", "live"}};
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("env HFT_MODE: key 'mode': 'live' contradicts"), std::string::npos);
}

TEST(ConfigLoad, UnknownModeAndEnvAreErrors) {
  TempDir dir;
  LoadOptions o = options_for(dir);
  o.mode = "paper";
  o.env = {{"HFT_ENV", "qa"}};
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_NE(all_errors(r).find("expected one of sim|live|replay, got 'paper'"), std::string::npos);
  EXPECT_NE(all_errors(r).find("expected one of dev|staging|prod, got 'qa'"), std::string::npos);
}

TEST(ConfigLoad, SymbolsFileMustExist) {
  TempDir dir;
  LoadOptions o = options_for(dir);
  o.cli = {{"symbols_file", dir.path("nope.yaml")}};
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("does not exist (create it with `hft config build`)"),
            std::string::npos);
}

TEST(ConfigLoad, CheckedInConfigIsValidForEveryModeAndEnv) {
  for (const char* mode : {"sim", "live", "replay"}) {
    for (const char* env : {"dev", "staging", "prod"}) {
      LoadOptions o;
      o.config_dir = (testing::repo_root() / "config").string();
      o.mode = mode;
      o.env = {{"HFT_ENV", env}};
      o.cli = {{"symbols_file", ""}};  // relative to the repo root, not the test's cwd
      const LoadResult r = load(o);
      EXPECT_TRUE(r.ok()) << mode << "/" << env << ":\n" << all_errors(r);
      EXPECT_EQ(r.config.mode, mode);
      EXPECT_EQ(r.config.env, env);
    }
  }
}

TEST(ConfigLoad, LiveOverlayTurnsOffShioajiSimulation) {
  LoadOptions o;
  o.config_dir = (testing::repo_root() / "config").string();
  o.mode = "live";
  o.cli = {{"symbols_file", ""}};
  const LoadResult r = load(o);
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_FALSE(r.config.shioaji.simulation);
  EXPECT_TRUE(r.config.recorder.fsync);
}

TEST(ConfigLoad, ProcessEnvironmentIsReadable) {
  const auto env = process_env();
  EXPECT_FALSE(env.empty());
}

}  // namespace
}  // namespace hft::config
