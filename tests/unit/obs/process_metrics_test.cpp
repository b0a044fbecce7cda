#include "hft/obs/process_metrics.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <string>

namespace hft::obs {
namespace {

TEST(ProcessMetrics, ReadsResidentMemoryCpuAndThreadsFromProc) {
  Registry r;
  register_process_metrics(r);
  EXPECT_GT(
      r.gauge("hft_process_resident_memory_bytes", "Resident memory size of the process").value(),
      1e5);
  EXPECT_GT(
      r.gauge("hft_process_virtual_memory_bytes", "Virtual memory size of the process").value(),
      1e5);
  EXPECT_GE(r.gauge("hft_process_threads", "Threads of the process").value(), 1.0);
  EXPECT_GE(r.gauge("hft_process_open_fds", "Open file descriptors of the process").value(), 3.0);
  EXPECT_GT(
      r.gauge("hft_process_start_time_seconds", "Start time of the process since the Unix epoch")
          .value(),
      1.6e9);
  const std::string out = r.render();
  EXPECT_NE(out.find("# TYPE hft_process_cpu_seconds_total counter\n"), std::string::npos);
  EXPECT_NE(out.find("hft_process_resident_memory_bytes "), std::string::npos);
}

TEST(ProcessMetrics, CpuTimeGrowsWithWork) {
  Registry r;
  register_process_metrics(r);
  Counter& cpu =
      r.counter("hft_process_cpu_seconds_total", "User and system CPU time spent by the process",
                {}, 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK)));
  const std::uint64_t before = cpu.value();
  // Burn 50 ms of CPU (a few clock ticks), measured by the C library's own CPU clock.
  const std::clock_t start = std::clock();
  while (std::clock() - start < CLOCKS_PER_SEC / 20) {
  }
  update_process_metrics(r);
  EXPECT_GT(cpu.value(), before);
}

TEST(BuildInfo, IsAGaugeOfOneWithVersionLabels) {
  Registry r;
  register_build_info(r, "0.1.0", "abc1234");
  EXPECT_EQ(r.render(),
            "# HELP hft_build_info Build of the running hft binary; the value is always 1\n"
            "# TYPE hft_build_info gauge\n"
            "hft_build_info{git_sha=\"abc1234\",version=\"0.1.0\"} 1\n");
}

}  // namespace
}  // namespace hft::obs
