// ops.sh (repo root): --help, and `tune --dry-run` reports the host and changes nothing.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

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
                          "--dry-run", "--yes"}) {
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
}

TEST(OpsSh, HugepagesIsIdempotentWhenAlreadyThere) {
  const Result r = ops("hugepages 0 --dry-run");
  EXPECT_EQ(r.rc, 0) << r.out;
  // Either already 0 (nothing to do) or it says what it would change.
  EXPECT_TRUE(r.out.find("nothing to do") != std::string::npos ||
              r.out.find("would: set vm.nr_hugepages") != std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace hft
