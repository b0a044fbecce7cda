// Crash test of the WAL: `hft run sim` with an fsync after every batch is killed with SIGKILL at
// random moments, many times over the same WAL directory. After each kill `hft wal verify` must
// be clean (a torn tail is clean: the next start truncates it), every record up to the last
// durable sequence the engine published (hft_wal_durable_seq, read from /metrics just before the
// kill) must be there, and the next run must continue the sequence without a gap.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

#include "hft/recorder/wal_reader.hpp"
#include "process.hpp"

namespace hft {
namespace {

/// Value of `hft_wal_durable_seq` in a /metrics page; -1 when absent.
long long durable_seq(const std::string& metrics) {
  const std::string key = "\nhft_wal_durable_seq ";
  const std::size_t at = metrics.find(key);
  if (at == std::string::npos) return -1;
  return std::atoll(metrics.c_str() + at + key.size());
}

TEST(WalCrash, KillNineAtRandomMomentsLosesNothingDurable) {
  test::TempDir tmp("hft_it_walcrash");
  const std::string wal_dir = (tmp.path / "wal").string();
  setenv("HFT_RECORDER_FSYNC", "true", 1);  // fdatasync after every batch
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> delay_ms(0, 600);
  constexpr int kRuns = 20;

  std::uint64_t last_seq = 0;  // what the WAL held after the previous kill
  int runs_that_synced = 0;
  for (int run = 0; run < kRuns; ++run) {
    const int port = test::free_port();
    test::Child child =
        test::spawn_hft(tmp.path,
                        {"run", "sim", "--duration", "0", "--rate", "20000", "--wal-dir", wal_dir,
                         "--metrics-port", std::to_string(port), "--no-progress"},
                        "run" + std::to_string(run));
    // Scrape the durable sequence until the kill; the last answer is a lower bound of what was
    // fsynced when SIGKILL lands. Even runs die at a random moment after the spawn (possibly
    // during start-up or recovery); odd runs first wait until this run has fsynced records of
    // its own, so at least half the rounds test the durability claim whatever the machine load.
    httplib::Client http("127.0.0.1", port);
    http.set_connection_timeout(0, 200'000);
    long long durable = -1;
    std::string page;
    auto scrape = [&] {
      if (auto res = http.Get("/metrics"); res && res->status == 200) {
        durable = std::max(durable, durable_seq(res->body));
        page = res->body;
      }
    };
    if (run % 2 == 1) {
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (durable <= static_cast<long long>(last_seq) &&
             std::chrono::steady_clock::now() < give_up) {
        scrape();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      ASSERT_GT(durable, static_cast<long long>(last_seq))
          << "run " << run << ": no fsync published:\n"
          << child.err();
    }
    const auto kill_at =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms(rng));
    while (std::chrono::steady_clock::now() < kill_at) {
      scrape();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (run % 2 == 1) {
      for (const char* name : {"hft_wal_fsync_seconds_count ", "hft_wal_disk_free_ratio ",
                               "hft_wal_disk_pressure_state ", "hft_wal_disk_dropped_total "}) {
        EXPECT_NE(page.find(name), std::string::npos) << "missing metric " << name;
      }
    }
    ASSERT_EQ(::kill(child.pid, SIGKILL), 0);
    ASSERT_EQ(child.wait(), 128 + SIGKILL) << "run " << run << " exited by itself:\n"
                                           << child.err();

    test::Child verify;
    const int rc = test::run_hft(tmp.path, {"wal", "verify", wal_dir}, &verify);
    ASSERT_EQ(rc, 0) << "run " << run << ": wal verify after kill -9:\n"
                     << verify.out() << verify.err();

    recorder::WalReader reader(wal_dir);
    ASSERT_EQ(reader.open(), "");
    std::uint64_t expect = 1;
    for (recorder::WalRecord r; reader.next(r); ++expect) {
      ASSERT_EQ(r.seq, expect) << "run " << run << ": sequence does not continue";
    }
    EXPECT_FALSE(reader.corrupt()) << "run " << run;
    const std::uint64_t now_last = expect - 1;
    // Nothing an earlier run kept is gone, and everything fsynced before the kill is there.
    EXPECT_GE(now_last, last_seq) << "run " << run;
    if (durable >= 0) {
      EXPECT_GE(now_last, static_cast<std::uint64_t>(durable)) << "run " << run;
      if (static_cast<std::uint64_t>(durable) > last_seq) ++runs_that_synced;
    }
    last_seq = now_last;
  }
  unsetenv("HFT_RECORDER_FSYNC");
  EXPECT_GE(runs_that_synced, kRuns / 2);  // the odd runs at least
  EXPECT_GT(last_seq, 0u);

  // A clean start after all that recovers and continues the sequence.
  test::Child last;
  ASSERT_EQ(
      test::run_hft(tmp.path,
                    {"run", "sim", "--duration", "0.3s", "--rate", "20000", "--wal-dir", wal_dir,
                     "--no-progress", "--metrics-port", std::to_string(test::free_port())},
                    &last),
      0)
      << last.err();
  recorder::WalReader reader(wal_dir);
  ASSERT_EQ(reader.open(), "");
  for (recorder::WalRecord r; reader.next(r);) {
  }
  EXPECT_FALSE(reader.corrupt());
  EXPECT_GT(reader.last_seq(), last_seq);
  EXPECT_EQ(reader.records(), reader.last_seq());
}

}  // namespace
}  // namespace hft
