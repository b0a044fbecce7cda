// `hft report latency` on the WAL of a short `hft run sim`, rendered in headless Chromium: the
// page's script must have drawn one heatmap and one histogram per symbol without a JS error.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "process.hpp"

namespace hft {
namespace {

namespace fs = std::filesystem;

std::string chromium_binary() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (fs::exists(p)) return p;
  }
  return "";
}

/// Runs headless Chromium on `page` with `mode` (--dump-dom or --screenshot=FILE); returns the
/// exit code, stdout in `out`.
int chromium(const fs::path& dir, const fs::path& page, const std::string& mode, std::string& out) {
  const fs::path out_file = dir / "chromium.out";
  const std::string cmd =
      "timeout 120 " + chromium_binary() +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --disable-dev-shm-usage --window-size=1280,1024 --user-data-dir=" +
      (dir / "chromium-profile").string() + " " + mode + " 'file://" + page.string() + "' > '" +
      out_file.string() + "' 2> '" + (dir / "chromium.err").string() + "'";
  const int status = std::system(cmd.c_str());
  out = test::Child::slurp(out_file.string());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string attr(const std::string& dom, const std::string& name) {
  std::smatch m;
  const std::regex re("id=\"render-status\"[^>]*" + name + "=\"([^\"]*)\"");
  return std::regex_search(dom, m, re) ? m[1].str() : "";
}

TEST(Report, LatencyReportOfASimRunRendersInHeadlessChromium) {
  ASSERT_FALSE(chromium_binary().empty())
      << "chromium is not installed: run scripts/setup.sh (Debian package 'chromium')";
  test::TempDir tmp("hft_it_report");
  const fs::path wal = tmp.path / "wal";
  test::Child sim;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"run", "sim", "--duration", "2s", "--rate", "20000", "--symbols",
                           "TXFR1,2330", "--wal-dir", wal.string(), "--metrics-port",
                           std::to_string(test::free_port()), "--no-progress"},
                          &sim),
            0)
      << sim.err();

  const fs::path page = tmp.path / "latency.html";
  test::Child rep;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"report", "latency", "--wal", wal.string(), "--out", page.string(),
                           "--symbols", "TXFR1,2330"},
                          &rep),
            0)
      << rep.err();
  EXPECT_NE(rep.out().find("latency report: "), std::string::npos);
  const std::string html = test::Child::slurp(page.string());
  EXPECT_NE(html.find("<td>TXFR1</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>2330</td>"), std::string::npos);

  std::string dom;
  ASSERT_EQ(chromium(tmp.path, page, "--dump-dom", dom), 0)
      << test::Child::slurp((tmp.path / "chromium.err").string());
  EXPECT_EQ(attr(dom, "data-state"), "done") << dom.substr(0, 2000);
  EXPECT_EQ(attr(dom, "data-errors"), "0");
  EXPECT_EQ(attr(dom, "data-heatmaps"), "2");
  EXPECT_EQ(attr(dom, "data-histograms"), "2");
  // The heatmaps have coloured cells: the drawing code ran on real data.
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(dom, m, std::regex("class=\"heatmap\"[^>]*data-cells=\"([0-9]+)\"")))
      << dom.substr(0, 2000);
  EXPECT_GT(std::stoi(m[1].str()), 0);

  // A screenshot renders too (kept next to the page while the test runs).
  std::string ignored;
  const fs::path png = tmp.path / "latency.png";
  EXPECT_EQ(chromium(tmp.path, page, "--screenshot=" + png.string(), ignored), 0);
  EXPECT_GT(fs::exists(png) ? fs::file_size(png) : 0, 10'000u);
}

TEST(Report, MissingWalDirectoryIsAUsageError) {
  test::TempDir tmp("hft_it_report_missing");
  test::Child rep;
  EXPECT_EQ(test::run_hft(tmp.path,
                          {"report", "latency", "--wal", (tmp.path / "nope").string(), "--out",
                           (tmp.path / "x.html").string()},
                          &rep),
            2);
  EXPECT_NE(rep.err().find("hft report latency:"), std::string::npos) << rep.err();
}

}  // namespace
}  // namespace hft
