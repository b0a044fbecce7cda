// `hft report latency` on the WAL of a short `hft run sim`, and on the same WAL loaded into a
// private ClickHouse server, rendered in headless Chromium: the page's script must have drawn one
// heatmap and one histogram per symbol without a JS error, tick->order latencies are measured
// (orders are stamped when they leave the router), and both sources give the same numbers.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "clickhouse_server.hpp"
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

/// The summary table of a report page.
std::string summary_table(const std::string& html) {
  const std::size_t a = html.find("<table id=\"summary\">");
  const std::size_t b = html.find("</table>", a);
  return a == std::string::npos || b == std::string::npos ? "" : html.substr(a, b - a);
}

/// The cells of `symbol`'s summary row: records, feed p50..max, negative, orders, t2o p50..max.
std::vector<std::string> summary_cells(const std::string& html, const std::string& symbol) {
  std::vector<std::string> cells;
  std::smatch m;
  const std::string table = summary_table(html);
  if (!std::regex_search(table, m, std::regex("<tr><td>" + symbol + "</td>(.*)</tr>"))) return {};
  const std::string row = m[1].str();
  const std::regex cell("<td>([^<]*)</td>");
  for (auto it = std::sregex_iterator(row.begin(), row.end(), cell); it != std::sregex_iterator();
       ++it) {
    cells.push_back((*it)[1].str());
  }
  return cells;
}

/// Checks a report of a two-symbol sim run: both symbols listed, orders with a measured
/// tick->order latency, and the page draws in headless Chromium (DOM marker, heatmap cells,
/// a screenshot).
void check_report_page(const fs::path& dir, const fs::path& page) {
  const std::string html = test::Child::slurp(page.string());
  EXPECT_NE(html.find("<td>TXFR1</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>2330</td>"), std::string::npos);
  // Orders carry the time they left the router: tick->order is not all zeros.
  EXPECT_EQ(html.find("id=\"t2o-zero\""), std::string::npos);
  std::uint64_t orders = 0;
  bool measured = false;
  for (const char* sym : {"TXFR1", "2330"}) {
    const std::vector<std::string> c = summary_cells(html, sym);
    ASSERT_EQ(c.size(), 13u) << sym << " row in\n" << summary_table(html);
    orders += std::stoull(c[7]);
    if (std::stoull(c[7]) > 0) measured = measured || c[12] != "0 ns";  // the max
  }
  EXPECT_GT(orders, 0u) << summary_table(html);
  EXPECT_TRUE(measured) << summary_table(html);

  std::string dom;
  ASSERT_EQ(chromium(dir, page, "--dump-dom", dom), 0)
      << test::Child::slurp((dir / "chromium.err").string());
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
  const fs::path png = page.parent_path() / (page.stem().string() + ".png");
  EXPECT_EQ(chromium(dir, page, "--screenshot=" + png.string(), ignored), 0);
  EXPECT_GT(fs::exists(png) ? fs::file_size(png) : 0, 10'000u);
}

/// A 2 s simulation of TXFR1 and 2330 with its WAL in `wal`.
void run_sim(const fs::path& dir, const fs::path& wal) {
  test::Child sim;
  ASSERT_EQ(test::run_hft(dir,
                          {"run", "sim", "--duration", "2s", "--rate", "20000", "--symbols",
                           "TXFR1,2330", "--wal-dir", wal.string(), "--metrics-port",
                           std::to_string(test::free_port()), "--no-progress"},
                          &sim),
            0)
      << sim.err();
}

TEST(Report, LatencyReportOfASimRunRendersInHeadlessChromium) {
  ASSERT_FALSE(chromium_binary().empty())
      << "chromium is not installed: run scripts/setup.sh (Debian package 'chromium')";
  test::TempDir tmp("hft_it_report");
  const fs::path wal = tmp.path / "wal";
  ASSERT_NO_FATAL_FAILURE(run_sim(tmp.path, wal));

  const fs::path page = tmp.path / "latency.html";
  test::Child rep;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"report", "latency", "--wal", wal.string(), "--out", page.string(),
                           "--symbols", "TXFR1,2330"},
                          &rep),
            0)
      << rep.err();
  EXPECT_NE(rep.out().find("latency report: "), std::string::npos);
  check_report_page(tmp.path, page);
}

// The same WAL through `hft recorder load` into a private ClickHouse, reported from there: the
// same checks, and the same summary table as the WAL's own report.
TEST(Report, LatencyReportFromClickHouseMatchesTheWalReport) {
  ASSERT_FALSE(chromium_binary().empty())
      << "chromium is not installed: run scripts/setup.sh (Debian package 'chromium')";
  test::TempDir tmp("hft_it_report_ch");
  itest::ClickHouseServer server(tmp.path / "clickhouse");
  const std::string server_error = server.start();
  ASSERT_EQ(server_error, "") << server_error;
  const fs::path wal = tmp.path / "wal";
  ASSERT_NO_FATAL_FAILURE(run_sim(tmp.path, wal));

  test::Child load;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"recorder", "load", "--wal", wal.string(), "--url", server.url(),
                           "--database", "t_report", "--state-dir", (tmp.path / "state").string()},
                          &load),
            0)
      << load.out() << load.err();

  const fs::path from_wal = tmp.path / "wal.html";
  const fs::path from_ch = tmp.path / "clickhouse.html";
  test::Child rep;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"report", "latency", "--wal", wal.string(), "--out", from_wal.string(),
                           "--symbols", "TXFR1,2330"},
                          &rep),
            0)
      << rep.err();
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"report", "latency", "--clickhouse", server.url(), "--database",
                           "t_report", "--out", from_ch.string()},
                          &rep),
            0)
      << rep.err();
  const std::string ch_html = test::Child::slurp(from_ch.string());
  EXPECT_NE(ch_html.find("ClickHouse " + server.url() + " database t_report"), std::string::npos);
  EXPECT_EQ(summary_table(ch_html), summary_table(test::Child::slurp(from_wal.string())));
  check_report_page(tmp.path, from_ch);

  // An unknown database is a runtime failure with one line on stderr.
  EXPECT_EQ(test::run_hft(tmp.path,
                          {"report", "latency", "--clickhouse", server.url(), "--database", "nope",
                           "--out", (tmp.path / "x.html").string()},
                          &rep),
            1);
  EXPECT_NE(rep.err().find("hft report latency: cannot read ClickHouse"), std::string::npos)
      << rep.err();
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
