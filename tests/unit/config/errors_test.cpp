// Every way a configuration can be wrong gets a message with where (file:line, env VAR,
// cli --key), which key, and what was expected; all errors of a run are reported together.
#include <gtest/gtest.h>

#include <filesystem>

#include "hft/config/config.hpp"
#include "temp_dir.hpp"

namespace hft::config {
namespace {

using testing::TempDir;

// Loads `base` as config/base/main.yaml and returns (errors, base path).
std::pair<std::vector<std::string>, std::string> load_base(const std::string& base) {
  TempDir dir;
  const auto path = dir.write("config/base/main.yaml", base);
  LoadOptions o;
  o.config_dir = dir.path("config");
  return {load(o).errors, path};
}

void expect_one_error(const std::string& yaml, const std::string& want_after_path) {
  const auto [errors, path] = load_base(yaml);
  ASSERT_EQ(errors.size(), 1u) << yaml;
  EXPECT_EQ(errors[0], path + want_after_path);
}

TEST(ConfigErrors, UnknownKeySuggestsTheClosestKey) {
  expect_one_error("sim:\n  rat: 5\n", ":2: unknown key 'sim.rat' (did you mean 'sim.rate'?)");
}

TEST(ConfigErrors, UnknownTopLevelKeyWithoutSuggestion) {
  expect_one_error("broker: shioaji\n", ":1: unknown key 'broker'");
}

TEST(ConfigErrors, WrongTypeInteger) {
  expect_one_error("sim:\n  rate: fast\n", ":2: key 'sim.rate': expected an integer, got 'fast'");
}

TEST(ConfigErrors, WrongTypeUnsignedInteger) {
  expect_one_error("sim:\n  seed: -3\n",
                   ":2: key 'sim.seed': expected a non-negative integer, got '-3'");
}

TEST(ConfigErrors, WrongTypeFloat) {
  expect_one_error("duration_s: soon\n", ":1: key 'duration_s': expected a number, got 'soon'");
}

TEST(ConfigErrors, WrongTypeBool) {
  expect_one_error("recorder:\n  enabled: maybe\n",
                   ":2: key 'recorder.enabled': expected true or false, got 'maybe'");
}

TEST(ConfigErrors, WrongTypeString) {
  expect_one_error("strategy:\n  name: [a, b]\n",
                   ":2: key 'strategy.name': expected a string, got a list");
}

TEST(ConfigErrors, WrongTypeStringList) {
  expect_one_error("symbols: 2330\n", ":1: key 'symbols': expected a list of strings, got '2330'");
}

TEST(ConfigErrors, WrongTypeMap) {
  expect_one_error("strategy:\n  params: 3\n",
                   ":2: key 'strategy.params': expected a mapping of name -> number, got '3'");
}

TEST(ConfigErrors, WrongTypeMapEntry) {
  expect_one_error("strategy:\n  params:\n    spread: wide\n",
                   ":3: key 'strategy.params.spread': expected a number, got 'wide'");
}

TEST(ConfigErrors, SectionGivenAScalar) {
  expect_one_error("sim: 5\n", ":1: key 'sim': expected a section (a mapping of keys), got 5");
}

TEST(ConfigErrors, DuplicateKey) {
  expect_one_error("sim:\n  rate: 1\n  rate: 2\n",
                   ":3: duplicate key 'sim.rate' (first at line 2)");
}

TEST(ConfigErrors, YamlSyntaxErrorNamesTheLine) {
  const auto [errors, path] = load_base("sim:\n  rate: 1\n bad: [\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors[0].starts_with(path + ":")) << errors[0];
  EXPECT_NE(errors[0].find("YAML syntax error"), std::string::npos) << errors[0];
}

TEST(ConfigErrors, TopLevelMustBeAMapping) {
  expect_one_error("- a\n- b\n", ":1: expected a mapping of keys at the top level");
}

TEST(ConfigErrors, PortOutOfRange) {
  expect_one_error("metrics:\n  port: 70000\n",
                   ":2: key 'metrics.port': must be 1..65535, got 70000");
}

TEST(ConfigErrors, NegativeRate) {
  expect_one_error("sim:\n  rate: -1\n", ":2: key 'sim.rate': must be >= 0, got -1");
}

TEST(ConfigErrors, BusSizeMustBeAPowerOfTwo) {
  expect_one_error("bus:\n  raw: 1000\n",
                   ":2: key 'bus.raw': must be a power of two, 2..1073741824, got 1000");
}

TEST(ConfigErrors, BusSizeOfOneIsTooSmall) {
  expect_one_error("bus:\n  exec: 1\n",
                   ":2: key 'bus.exec': must be a power of two, 2..1073741824, got 1");
}

TEST(ConfigErrors, ProbabilityAboveOne) {
  expect_one_error("sim:\n  trade_probability: 1.5\n",
                   ":2: key 'sim.trade_probability': must be 0..1, got 1.5");
}

TEST(ConfigErrors, EmptyStrategyName) {
  expect_one_error("strategy:\n  name: \"\"\n", ":2: key 'strategy.name': must not be empty");
}

TEST(ConfigErrors, EveryErrorOfAFileIsReported) {
  const auto [errors, path] =
      load_base("sim:\n  rate: fast\n  rat: 1\nmetrics:\n  port: 0\nbus:\n  raw: 3\n");
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0], path + ":2: key 'sim.rate': expected an integer, got 'fast'");
  EXPECT_EQ(errors[1], path + ":3: unknown key 'sim.rat' (did you mean 'sim.rate'?)");
  EXPECT_EQ(errors[2], path + ":5: key 'metrics.port': must be 1..65535, got 0");
  EXPECT_EQ(errors[3], path + ":7: key 'bus.raw': must be a power of two, 2..1073741824, got 3");
}

TEST(ConfigErrors, ErrorsOfEveryLayerAreReported) {
  TempDir dir;
  dir.write("config/base/main.yaml", "sim:\n  rate: x\n");
  LoadOptions o;
  o.config_dir = dir.path("config");
  o.env = {{"HFT_SIM_SEED", "y"}};
  o.cli = {{"metrics.port", "z"}};
  EXPECT_EQ(load(o).errors.size(), 3u);
}

TEST(ConfigErrors, BadEnvironmentValue) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.env = {{"HFT_SIM_RATE", "fast"}};
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "env HFT_SIM_RATE: key 'sim.rate': expected an integer, got 'fast'");
}

TEST(ConfigErrors, BadEnvironmentBool) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.env = {{"HFT_RECORDER_FSYNC", "sometimes"}};
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(
      r.errors[0],
      "env HFT_RECORDER_FSYNC: key 'recorder.fsync': expected true or false, got 'sometimes'");
}

TEST(ConfigErrors, MisspeltEnvironmentVariableIsAWarning) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.env = {{"HFT_SIM_RAT", "5"}, {"HFT_LIVE_CONFIRM", "1"}, {"HFT_SOMETHING_ELSE", "1"}};
  const LoadResult r = load(o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.warnings.size(), 2u);  // the config dir, and the typo
  EXPECT_EQ(r.warnings[1], "env HFT_SIM_RAT: not a config variable (did you mean HFT_SIM_RATE?)");
}

TEST(ConfigErrors, BadCliValue) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.cli = {{"metrics.port", "http"}};
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "cli --metrics.port: key 'metrics.port': expected an integer, got 'http'");
}

TEST(ConfigErrors, UnknownCliKey) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.cli = {{"risk.max_pos", "3"}};
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0],
            "cli --risk.max_pos: unknown key 'risk.max_pos' (did you mean 'risk.max_position'?)");
}

TEST(ConfigErrors, MissingConfigFileGivenWithFlag) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.extra_file = "/nonexistent/extra.yaml";
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "/nonexistent/extra.yaml: --config file does not exist");
}

TEST(ConfigErrors, EmptySymbolListIsAnError) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.cli = {{"symbols", ""}};
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "cli --symbols: key 'symbols': at least one symbol is needed");
}

TEST(ConfigValidateFile, AcceptsAValidFile) {
  TempDir dir;
  const auto p = dir.write("a.yaml", "mode: live\nsim:\n  rate: 3\n");
  EXPECT_TRUE(validate_file(p).empty());
}

TEST(ConfigValidateFile, ReportsEveryError) {
  TempDir dir;
  const auto p = dir.write("a.yaml", "mode: paper\nsim:\n  rate: x\n");
  const auto errors = validate_file(p);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], p + ":1: key 'mode': expected one of sim|live|replay, got 'paper'");
}

TEST(ConfigValidateFile, MissingFile) {
  EXPECT_EQ(validate_file("/nonexistent.yaml"),
            std::vector<std::string>{"/nonexistent.yaml: file does not exist"});
}

}  // namespace
}  // namespace hft::config

namespace hft::config {
namespace {

// Odd but well-formed YAML never throws out of load() and always yields an error or a value.
TEST(ConfigErrors, OddYamlShapesAreReportedNotThrown) {
  const char* docs[] = {
      "? [a, b]\n: 1\n",                     // a list as a key
      "sim: &s {rate: 1}\nbus: *s\n",        // an alias to the wrong section
      "sim:\n  rate: [1, 2]\n",              // a list where a number belongs
      "symbols: [[TXFR1], {a: b}]\n",        // nested items in a list
      "strategy:\n  params:\n    [x]: 1\n",  // non-string map entry name
      "<<: {sim: {rate: 1}}\n",              // merge key
      "sim: !!binary aGVsbG8=\n",            // tagged scalar for a section
      "sim:\n  rate: !!str 5\n",             // explicit tag on an int
  };
  for (const char* doc : docs) {
    TempDir dir;
    dir.write("config/base/main.yaml", doc);
    LoadOptions o;
    o.config_dir = dir.path("config");
    LoadResult r;
    EXPECT_NO_THROW(r = load(o)) << doc;
  }
}

}  // namespace
}  // namespace hft::config
