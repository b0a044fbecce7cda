// The schema table and secrets handling.
#include "hft/config/schema.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>

#include "temp_dir.hpp"

namespace hft::config {
namespace {

using testing::TempDir;

TEST(ConfigSchema, KeysAreSortedAndUnique) {
  std::set<std::string_view> keys;
  std::string_view prev;
  for (const Field& f : schema()) {
    EXPECT_TRUE(keys.insert(f.key).second) << f.key;
    EXPECT_LT(prev, f.key);
    prev = f.key;
  }
}

TEST(ConfigSchema, EnvironmentVariableNamesAreUnique) {
  std::set<std::string> vars;
  for (const Field& f : schema()) EXPECT_TRUE(vars.insert(f.env_var()).second) << f.env_var();
}

TEST(ConfigSchema, EnvironmentVariableIsTheUpperCasedPath) {
  EXPECT_EQ(find_field("sim.rate")->env_var(), "HFT_SIM_RATE");
  EXPECT_EQ(find_field("risk.max_position")->env_var(), "HFT_RISK_MAX_POSITION");
  EXPECT_EQ(find_field("bus.raw")->env_var(), "HFT_BUS_RAW");
}

TEST(ConfigSchema, EveryDefaultPassesItsOwnChecks) {
  for (const Field& f : schema()) {
    if (f.type() == FieldType::kDoubleMap) continue;
    Config c;
    const std::string text = render_value(f, c);
    if (f.type() == FieldType::kStringList) continue;  // rendered as [a, b]
    EXPECT_EQ(assign_text(f, c, text), "") << f.key << " = " << text;
  }
}

TEST(ConfigSchema, MapEntriesFindTheMapField) {
  const Field* f = find_field("strategy.params.spread");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->key, "strategy.params");
  EXPECT_EQ(find_field("strategy.paramsx"), nullptr);
}

TEST(ConfigSchema, IntegersAcceptDigitSeparators) {
  Config c;
  EXPECT_EQ(assign_text(*find_field("sim.rate"), c, "100_000"), "");
  EXPECT_EQ(c.sim.rate, 100'000);
}

TEST(ConfigSchema, IntegerOverflowIsRejected) {
  Config c;
  EXPECT_EQ(assign_text(*find_field("sim.rate"), c, "99999999999999999999"),
            "expected an integer, got '99999999999999999999'");
}

TEST(ConfigSchema, BooleansAcceptCommonSpellings) {
  Config c;
  const Field& f = *find_field("recorder.fsync");
  for (const char* yes : {"true", "True", "yes", "on", "1"}) {
    c.recorder.fsync = false;
    EXPECT_EQ(assign_text(f, c, yes), "");
    EXPECT_TRUE(c.recorder.fsync) << yes;
  }
}

TEST(ConfigSchema, MarkdownListsEveryKeyAndEnvVar) {
  const std::string md = schema_markdown();
  for (const Field& f : schema()) {
    EXPECT_NE(md.find("`" + std::string(f.key) + "`"), std::string::npos) << f.key;
    EXPECT_NE(md.find(f.env_var()), std::string::npos) << f.key;
  }
}

TEST(ConfigSchema, DocsDescribeEveryKey) {
  std::ifstream in(testing::repo_root() / "docs" / "configuration.md");
  ASSERT_TRUE(in) << "docs/configuration.md is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  for (const Field& f : schema()) {
    EXPECT_NE(ss.str().find("`" + std::string(f.key) + "`"), std::string::npos)
        << f.key << " is not in docs/configuration.md (paste `hft config keys --markdown`)";
  }
}

// --- secrets -----------------------------------------------------------------------------------

const Provenance* row(const LoadResult& r, const std::string& key) {
  for (const auto& p : r.provenance) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

TEST(ConfigSecrets, ComeFromTheConventionalEnvironmentVariables) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.env = {{"SHIOAJI_API_KEY", "key-123"},
           {"SHIOAJI_SECRET_KEY", "sec-456"},
           {"SHIOAJI_CA_PASSWORD", "pw-789"}};
  const LoadResult r = load(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.shioaji.api_key, "key-123");
  EXPECT_EQ(r.config.shioaji.secret_key, "sec-456");
  EXPECT_EQ(r.config.shioaji.ca_password, "pw-789");
  EXPECT_EQ(row(r, "shioaji.api_key")->origin, "env SHIOAJI_API_KEY");
}

TEST(ConfigSecrets, AreRedactedInProvenance) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.env = {{"SHIOAJI_API_KEY", "key-123"}, {"HFT_SHIOAJI_SECRET_KEY", "sec-456"}};
  const LoadResult r = load(o);
  for (const auto& p : r.provenance) {
    EXPECT_EQ(p.value.find("key-123"), std::string::npos) << p.key;
    EXPECT_EQ(p.value.find("sec-456"), std::string::npos) << p.key;
  }
  EXPECT_EQ(row(r, "shioaji.api_key")->value, "<redacted>");
  EXPECT_EQ(row(r, "shioaji.secret_key")->value, "<redacted>");
  EXPECT_EQ(row(r, "shioaji.ca_password")->value, "");  // unset shows as empty
}

TEST(ConfigSecrets, HftFormWinsOverTheConventionalName) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.env = {{"SHIOAJI_API_KEY", "a"}, {"HFT_SHIOAJI_API_KEY", "b"}};
  const LoadResult r = load(o);
  EXPECT_EQ(r.config.shioaji.api_key, "b");
  EXPECT_EQ(row(r, "shioaji.api_key")->origin, "env HFT_SHIOAJI_API_KEY");
}

TEST(ConfigSecrets, AreRefusedOnTheCommandLine) {
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.cli = {{"shioaji.api_key", "key-123"}};
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("secrets cannot be given on the command line"), std::string::npos);
  EXPECT_EQ(r.errors[0].find("key-123"), std::string::npos);
  EXPECT_TRUE(r.config.shioaji.api_key.empty());
}

TEST(ConfigSecrets, AreRefusedInAFileOthersCanRead) {
  TempDir dir;
  const auto p = dir.write("secrets.yaml", "shioaji:\n  api_key: key-123\n");
  ::chmod(p.c_str(), 0644);
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.extra_file = p;
  const LoadResult r = load(o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find(p + ":2: key 'shioaji.api_key' is a secret but the file is "
                                 "readable by group/others"),
            std::string::npos)
      << r.errors[0];
  EXPECT_EQ(r.errors[0].find("key-123"), std::string::npos);
}

TEST(ConfigSecrets, AreAcceptedFromAPrivateFileAndRedacted) {
  TempDir dir;
  const auto p = dir.write("secrets.yaml", "shioaji:\n  api_key: key-123\n");
  ::chmod(p.c_str(), 0600);
  LoadOptions o;
  o.config_dir = "/nonexistent";
  o.extra_file = p;
  const LoadResult r = load(o);
  ASSERT_TRUE(r.ok()) << r.errors[0];
  EXPECT_EQ(r.config.shioaji.api_key, "key-123");
  EXPECT_EQ(row(r, "shioaji.api_key")->value, "<redacted>");
  EXPECT_EQ(row(r, "shioaji.api_key")->origin, p + ":2");
}

}  // namespace
}  // namespace hft::config
