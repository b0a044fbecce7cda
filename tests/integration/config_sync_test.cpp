// `hft config sync` end to end: the real binary starts bridge/shioaji_bridge.py --contracts
// against the stand-in SDK (tests/integration/mock_shioaji: the contract fields of reference §2),
// prints what the broker says, where our specs differ, and writes the snapshot.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "process.hpp"

namespace hft {
namespace {

/// Credentials and the bridge of the mock SDK; restored when the test ends.
class SyncEnv {
 public:
  SyncEnv() {
    setenv("SHIOAJI_API_KEY", "test-key", 1);
    setenv("SHIOAJI_SECRET_KEY", "test-secret", 1);
    setenv("PYTHONPATH", HFT_SOURCE_DIR "/tests/integration/mock_shioaji", 1);
    setenv("HFT_SHIOAJI_BRIDGE", "python3 " HFT_SOURCE_DIR "/bridge/shioaji_bridge.py", 1);
  }
  ~SyncEnv() {
    for (const char* name :
         {"SHIOAJI_API_KEY", "SHIOAJI_SECRET_KEY", "PYTHONPATH", "HFT_SHIOAJI_BRIDGE",
          "MOCK_SHIOAJI_CONTRACTS", "MOCK_SHIOAJI_LOGIN"}) {
      unsetenv(name);
    }
  }
};

nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

TEST(ConfigSync, AgreeingContractsExitZeroWithTheRealContractAndASnapshot) {
  const SyncEnv env;
  test::TempDir tmp("hft_it_sync");
  const auto out = tmp.path / "contracts.json";
  test::Child c;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"config", "sync", "--symbols", "TXFR1,2330", "--out", out.string()}, &c),
            0)
      << c.out() << c.err();
  EXPECT_NE(c.out().find("TXFR1    TXFD6    TAIFEX  23000      20700..25300        2026/04/15  "
                         "agrees"),
            std::string::npos)
      << c.out();
  EXPECT_NE(c.out().find("2330     2330     TSE     585        527..643"), std::string::npos)
      << c.out();
  EXPECT_NE(c.out().find("2 contract(s), 0 differing, 0 missing"), std::string::npos) << c.out();
  EXPECT_EQ(c.err().find("test-secret"), std::string::npos) << "secrets never logged";
  const nlohmann::json snap = read_json(out);
  ASSERT_EQ(snap["contracts"].size(), 2u);
  EXPECT_EQ(snap["contracts"][0]["target_code"], "TXFD6");
  EXPECT_EQ(snap["contracts"][0]["delivery_date"], "2026/04/15");
  EXPECT_EQ(snap["contracts"][1]["differences"].size(), 0u);
  EXPECT_EQ(snap["environment"], "production") << "the live configuration's";
}

TEST(ConfigSync, DifferencesAndMissingCodesExitOneAndSayTheFix) {
  const SyncEnv env;
  setenv("MOCK_SHIOAJI_CONTRACTS", R"({"2330": {"unit": 1}, "TXFR1": {"multiplier": 50}})", 1);
  test::TempDir tmp("hft_it_sync_diff");
  const auto out = tmp.path / "contracts.json";
  test::Child c;
  EXPECT_EQ(
      test::run_hft(tmp.path,
                    {"config", "sync", "--symbols", "TXFR1,2330,2317", "--out", out.string()}, &c),
      1)
      << c.out() << c.err();
  EXPECT_NE(c.out().find("TXFR1: multiplier — ours 200, the broker's 50"), std::string::npos)
      << c.out();
  EXPECT_NE(c.out().find("2330: lot_size — ours 1000, the broker's unit 1"), std::string::npos)
      << c.out();
  EXPECT_NE(c.out().find("then `hft config build`"), std::string::npos) << c.out();
  EXPECT_NE(c.out().find("2317     -"), std::string::npos) << c.out();
  EXPECT_NE(c.out().find("MISSING at the broker"), std::string::npos) << c.out();
  EXPECT_NE(c.out().find("2 contract(s), 2 differing, 1 missing"), std::string::npos) << c.out();
  const nlohmann::json snap = read_json(out);  // written all the same
  EXPECT_EQ(snap["missing"], nlohmann::json::array({"2317"}));
  EXPECT_EQ(snap["contracts"][1]["differences"][0]["field"], "lot_size");
}

TEST(ConfigSync, ABridgeThatCannotLogInExitsTwoAndSaysWhy) {
  const SyncEnv env;
  setenv("MOCK_SHIOAJI_LOGIN", "451", 1);
  test::TempDir tmp("hft_it_sync_login");
  test::Child c;
  EXPECT_EQ(
      test::run_hft(
          tmp.path,
          {"config", "sync", "--symbols", "2330", "--out", (tmp.path / "c.json").string()}, &c),
      2);
  EXPECT_NE(c.err().find("the bridge ended before it reported the contracts"), std::string::npos)
      << c.err();
  EXPECT_NE(c.err().find("wait at least 60 s"), std::string::npos) << c.err();
  EXPECT_FALSE(std::filesystem::exists(tmp.path / "c.json"));
  test::Child bad;
  EXPECT_EQ(test::run_hft(tmp.path, {"config", "sync", "--timeout", "soon"}, &bad), 2);
  EXPECT_NE(bad.err().find("--timeout 'soon'"), std::string::npos) << bad.err();
  unsetenv("SHIOAJI_SECRET_KEY");
  test::Child no_key;
  EXPECT_EQ(test::run_hft(tmp.path, {"config", "sync", "--symbols", "2330"}, &no_key), 2);
  EXPECT_NE(no_key.err().find("Shioaji credentials missing"), std::string::npos) << no_key.err();
}

}  // namespace
}  // namespace hft
