// ops.sh (repo root): --help, `tune --dry-run` reports the host and changes nothing, and
// `preflight` checks a live session's set-up against a real Redis and the stand-in Shioaji SDK.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "redis_server.hpp"

namespace hft {
namespace {

struct Result {
  int rc = -1;
  std::string out;  // stdout and stderr
};

Result ops(const std::string& args) {
  Result r;
  const std::string cmd = "bash " HFT_SOURCE_DIR "/ops.sh " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  const int status = pclose(p);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return r;
}

TEST(OpsSh, HelpListsEveryCommand) {
  const Result r = ops("--help");
  EXPECT_EQ(r.rc, 0) << r.out;
  for (const char* cmd : {"setup", "tune", "hugepages N", "isolate", "monitor-ch", "replay-wal",
                          "preflight", "--skip-broker", "--dry-run", "--yes"}) {
    EXPECT_NE(r.out.find(cmd), std::string::npos) << "missing " << cmd << " in\n" << r.out;
  }
}

TEST(OpsSh, TuneDryRunReportsTheHostAndTheIsolationCommandLine) {
  const Result r = ops("tune --dry-run");
  EXPECT_EQ(r.rc, 0) << r.out;
  for (const char* part : {"dry run", "governor:", "turbo:", "irqbalance:", "THP:", "KERNEL"}) {
    EXPECT_NE(r.out.find(part), std::string::npos) << "missing " << part << " in\n" << r.out;
  }
  EXPECT_EQ(r.out.find("changed:"), std::string::npos) << r.out;  // a dry run changes nothing
  const Result one_core = ops("tune --dry-run --cores 1 --housekeeping 0");
  EXPECT_NE(one_core.out.find("isolcpus=managed_irq,domain,1 nohz_full=1 rcu_nocbs=1"),
            std::string::npos)
      << one_core.out;
}

TEST(OpsSh, BadUsageExitsTwo) {
  EXPECT_EQ(ops("").rc, 2);
  EXPECT_EQ(ops("bogus").rc, 2);
  EXPECT_EQ(ops("hugepages lots").rc, 2);
  EXPECT_EQ(ops("tune --bogus").rc, 2);
  EXPECT_EQ(ops("replay-wal").rc, 2);
  EXPECT_EQ(ops("preflight --bogus").rc, 2);
}

TEST(OpsSh, HugepagesIsIdempotentWhenAlreadyThere) {
  const Result r = ops("hugepages 0 --dry-run");
  EXPECT_EQ(r.rc, 0) << r.out;
  // Either already 0 (nothing to do) or it says what it would change.
  EXPECT_TRUE(r.out.find("nothing to do") != std::string::npos ||
              r.out.find("would: set vm.nr_hugepages") != std::string::npos)
      << r.out;
}

/// The environment of a live session on this test's own services; restored at the end.
class PreflightEnv {
 public:
  PreflightEnv(const std::filesystem::path& dir, int redis_port) {
    std::filesystem::copy(HFT_SOURCE_DIR "/config", dir / "config",
                          std::filesystem::copy_options::recursive);
    set("HFT_BIN", HFT_BINARY);
    set("HFT_CONFIG_DIR", (dir / "config").string());  // the contracts snapshot goes there
    set("HFT_RECORDER_WAL_DIR", (dir / "wal").string());
    set("HFT_METRICS_PORT", std::to_string(itest::free_port()));
    set("HFT_KILL_SWITCH_NAME", kill_switch_);
    set("HFT_LEASE_ENABLED", "true");
    set("HFT_LEASE_REDIS_PORT", std::to_string(redis_port));
    set("SHIOAJI_API_KEY", "test-key");
    set("SHIOAJI_SECRET_KEY", "test-secret");
    set("PYTHONPATH", HFT_SOURCE_DIR "/tests/integration/mock_shioaji");
    set("HFT_SHIOAJI_BRIDGE", "python3 " HFT_SOURCE_DIR "/bridge/shioaji_bridge.py");
  }
  ~PreflightEnv() {
    for (const char* name :
         {"HFT_BIN", "HFT_CONFIG_DIR", "HFT_RECORDER_WAL_DIR", "HFT_METRICS_PORT",
          "HFT_KILL_SWITCH_NAME", "HFT_LEASE_ENABLED", "HFT_LEASE_REDIS_PORT", "SHIOAJI_API_KEY",
          "SHIOAJI_SECRET_KEY", "PYTHONPATH", "HFT_SHIOAJI_BRIDGE"}) {
      unsetenv(name);
    }
    std::filesystem::remove("/dev/shm/" + kill_switch_);
  }

 private:
  static void set(const char* name, const std::string& value) { setenv(name, value.c_str(), 1); }
  std::string kill_switch_ = "hft_kill_preflight_" + std::to_string(::getpid());
};

TEST(OpsSh, PreflightPassesALiveSetUpAndFailsWhileAnotherEngineHoldsTheLease) {
  itest::RedisServer redis;
  ASSERT_EQ(redis.start(), "");
  itest::TempDir tmp("hft_it_preflight");
  const PreflightEnv env(tmp.path(), redis.port());

  const Result ok = ops("preflight");
  EXPECT_EQ(ok.rc, 0) << ok.out;
  for (const char* line :
       {"PASS  config", "PASS  credentials", "PASS  kill-switch    released",
        "PASS  lease          free (feed:session:owner", "PASS  wal-disk", "PASS  metrics",
        "PASS  contracts      2 contract(s), 0 differing, 0 missing", "ok: every check passed"}) {
    EXPECT_NE(ok.out.find(line), std::string::npos) << "missing '" << line << "' in\n" << ok.out;
  }
  EXPECT_TRUE(std::filesystem::exists(tmp.path() / "config" / "contracts.json"));
  EXPECT_EQ(ok.out.find("test-secret"), std::string::npos) << "secrets never shown";

  lease::RedisClient client(redis.endpoint());
  ASSERT_FALSE(client.command({"SET", "feed:session:owner", "other-host:1"}).failed());
  const Result held = ops("preflight --skip-broker");
  EXPECT_EQ(held.rc, 1) << held.out;
  EXPECT_NE(held.out.find("FAIL  lease          held by other-host:1"), std::string::npos)
      << held.out;
  EXPECT_NE(held.out.find("INFO  contracts      skipped (--skip-broker)"), std::string::npos)
      << held.out;
  EXPECT_NE(held.out.find("do not start the live session yet"), std::string::npos) << held.out;

  unsetenv("SHIOAJI_SECRET_KEY");
  redis.stop();
  const Result broken = ops("preflight --skip-broker");
  EXPECT_EQ(broken.rc, 1) << broken.out;
  EXPECT_NE(broken.out.find("FAIL  credentials"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("FAIL  lease          hft lease status: cannot reach Redis"),
            std::string::npos)
      << broken.out;
}

}  // namespace
}  // namespace hft
