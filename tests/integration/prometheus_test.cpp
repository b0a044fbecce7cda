// The engine's /metrics as seen by the real Prometheus tools (issue 9, Metrics → Tests):
//  - a real `prometheus` server (Debian package) scrapes a running `hft run sim` and its HTTP API
//    returns the engine's samples;
//  - `promtool check metrics` finds no problem in a live scrape.
// Both start every process they need on free ports in temp dirs and always stop them.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/mman.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "service.hpp"

namespace hft {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::filesystem::path kPrometheus = "/usr/bin/prometheus";
const std::filesystem::path kPromtool = "/usr/bin/promtool";

std::string missing_tool_message(const std::filesystem::path& tool) {
  return tool.string() +
         " is missing or not executable: install the Debian prometheus package with "
         "scripts/setup.sh (CI installs it; this test does not skip)";
}

/// `hft run sim` with metrics on `metrics_port`, cwd and logs in `dir`, and a kill switch of its
/// own (so a switch engaged by someone else on this machine cannot halt it); stops the engine and
/// removes the kill-switch segment at scope exit.
struct HftSim {
  std::string kill_switch;
  itest::Process proc;

  HftSim(const std::filesystem::path& dir, int metrics_port, const std::string& duration)
      : kill_switch(dir.filename().string() + "_kill") {
    itest::Process::Options opt;
    opt.log_dir = dir;
    opt.tag = "hft";
    opt.cwd = dir;  // nothing lands in the source tree
    opt.env = {{"HFT_CONFIG_DIR", HFT_SOURCE_DIR "/config"}, {"HFT_KILL_SWITCH_NAME", kill_switch}};
    proc = itest::Process(
        HFT_BINARY,
        {"run", "sim", "--duration", duration, "--rate", "20000", "--no-progress", "--metrics-port",
         std::to_string(metrics_port), "--wal-dir", (dir / "wal").string()},
        std::move(opt));
  }
  ~HftSim() {
    proc.stop();
    ::shm_unlink(("/" + kill_switch).c_str());
  }
  HftSim(const HftSim&) = delete;
  HftSim& operator=(const HftSim&) = delete;
};

std::unique_ptr<httplib::Client> http_client(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_connection_timeout(2, 0);
  c->set_read_timeout(5, 0);
  c->set_write_timeout(5, 0);
  return c;
}

/// Waits (bounded) until hft's /metrics answers with a body for which `pred` holds; the body, or
/// "" if it never did (or hft exited first).
std::string wait_for_metrics(itest::Process& hft, int port,
                             const std::function<bool(const std::string&)>& pred,
                             std::chrono::milliseconds timeout) {
  auto http = http_client(port);
  std::string body;
  itest::wait_for(
      [&] {
        if (!hft.running()) return true;  // give up early; the caller reports hft's stderr
        if (auto res = http->Get("/metrics"); res && res->status == 200 && pred(res->body)) {
          body = res->body;
        }
        return !body.empty();
      },
      timeout, 100ms);
  return body;
}

/// The value of the unlabelled sample `name` in a text exposition, or -1 if there is none.
double exposed_value(const std::string& body, const std::string& name) {
  const std::string key = "\n" + name + " ";
  const std::size_t at = body.find(key);
  if (at == std::string::npos) return -1;
  return std::strtod(body.c_str() + at + key.size(), nullptr);
}

/// One PromQL instant query; the `data.result` array, or a json string describing the failure.
json prom_query(httplib::Client& http, const std::string& promql) {
  auto res = http.Get("/api/v1/query", httplib::Params{{"query", promql}}, httplib::Headers{});
  if (!res) return "no answer (" + httplib::to_string(res.error()) + ")";
  if (res->status != 200) return "HTTP " + std::to_string(res->status) + ": " + res->body;
  const json j = json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || j.value("status", "") != "success" || !j.contains("data") ||
      !j["data"].contains("result") || !j["data"]["result"].is_array()) {
    return "unexpected answer: " + res->body;
  }
  return j["data"]["result"];
}

double sample_value(const json& sample) {
  // {"metric": {...}, "value": [<unix time>, "<value>"]}
  return std::stod(sample.at("value").at(1).get<std::string>());
}

/// A check on the result of one query: "" when satisfied, otherwise what is wrong.
struct Check {
  std::string promql;
  std::function<std::string(const json& result)> ok;
};

std::string non_empty(const json& r) { return r.empty() ? "no sample" : ""; }

std::function<std::string(const json&)> any_sample(std::function<bool(const json&)> pred,
                                                   std::string what) {
  return [pred = std::move(pred), what = std::move(what)](const json& r) -> std::string {
    if (r.empty()) return "no sample";
    for (const auto& s : r) {
      if (pred(s)) return "";
    }
    return "no sample with " + what + " in " + r.dump();
  };
}

std::string label(const json& sample, const std::string& name) {
  const auto& m = sample.at("metric");
  return m.contains(name) ? m[name].get<std::string>() : std::string();
}

TEST(Prometheus, PrometheusScrapesRunSim) {
  ASSERT_TRUE(itest::is_executable(kPrometheus)) << missing_tool_message(kPrometheus);
  itest::TempDir tmp("hft_it_prom");  // declared first: removed after the processes stop

  // Prometheus first (its start-up does not depend on hft), so the whole sim run is scrapable.
  const int hft_port = itest::free_port();
  ASSERT_GT(hft_port, 0);
  const std::string target = "127.0.0.1:" + std::to_string(hft_port);
  const auto config = tmp.path() / "prometheus.yml";
  {
    std::ofstream f(config);
    f << "global:\n"
         "  scrape_interval: 1s\n"
         "  scrape_timeout: 1s\n"
         "  evaluation_interval: 1s\n"
         "scrape_configs:\n"
         "  - job_name: hft\n"
         "    static_configs:\n"
         "      - targets: ['"
      << target << "']\n";
    ASSERT_TRUE(f.good()) << "cannot write " << config;
  }

  // A free port can be taken by someone else before prometheus binds it: retry on a new port.
  itest::Process prom;
  int prom_port = 0;
  bool ready = false;
  for (int attempt = 0; attempt < 3 && !ready; ++attempt) {
    prom_port = itest::free_port();
    ASSERT_GT(prom_port, 0);
    itest::Process::Options opt;
    opt.log_dir = tmp.path();
    opt.tag = "prometheus" + std::to_string(attempt);
    prom = itest::Process(kPrometheus,
                          {"--config.file=" + config.string(),
                           "--storage.tsdb.path=" + (tmp.path() / "data").string(),
                           "--web.listen-address=127.0.0.1:" + std::to_string(prom_port)},
                          std::move(opt));
    ASSERT_EQ(prom.error(), "");
    auto http = http_client(prom_port);
    ready = itest::wait_for(
        [&] {
          if (!prom.running()) return true;
          auto res = http->Get("/-/ready");
          return res && res->status == 200;
        },
        20s, 100ms);
    ready = ready && prom.running();
    if (!ready && prom.err().find("address already in use") == std::string::npos) break;
  }
  ASSERT_TRUE(ready) << "prometheus did not become ready on 127.0.0.1:" << prom_port
                     << " within 20 s; its log:\n"
                     << itest::tail_lines(prom.err());

  // The engine. Prometheus 2.42 hands new targets to its scrape loops on a fixed 5 s tick, so the
  // first scrape lands ~5-6 s after start-up; `--duration` is only a cap, long enough for that
  // even on a loaded machine. The engine is stopped (SIGTERM) as soon as the checks pass.
  HftSim sim(tmp.path(), hft_port, "40s");
  itest::Process& hft = sim.proc;
  ASSERT_EQ(hft.error(), "");
  const auto answers = [](const std::string& body) {
    return body.find("hft_build_info") != std::string::npos;
  };
  ASSERT_FALSE(wait_for_metrics(hft, hft_port, answers, 10s).empty())
      << "hft /metrics never answered on " << target << "; hft stderr:\n"
      << itest::tail_lines(hft.err());

  const std::string sel = "{job=\"hft\",instance=\"" + target + "\"}";
  const std::vector<Check> checks = {
      {"up" + sel, any_sample([](const json& s) { return sample_value(s) == 1.0; }, "value 1")},
      {"hft_feed_events_total" + sel,
       any_sample([](const json& s) { return sample_value(s) > 0; }, "a value > 0")},
      {"hft_orders_sent_total" + sel, non_empty},
      {"hft_fills_total" + sel, non_empty},
      {"hft_tick_to_order_seconds_bucket" + sel,
       any_sample([](const json& s) { return label(s, "le") == "+Inf"; }, "le=\"+Inf\"")},
      {"hft_tick_to_order_seconds_count" + sel, non_empty},
      {"hft_position" + sel,
       any_sample([](const json& s) { return !label(s, "symbol").empty(); }, "a symbol label")},
      {"hft_trading_state" + sel, any_sample(
                                      [](const json& s) {
                                        const double v = sample_value(s);
                                        return v == 0 || v == 1 || v == 2;
                                      },
                                      "a value in {0, 1, 2}")},
      // Market and hot-loop families (per symbol where the issue asks for it).
      {"hft_feed_latency_seconds_count" + sel,
       any_sample([](const json& s) { return !label(s, "symbol").empty() && sample_value(s) > 0; },
                  "a symbol label and a count > 0")},
      {"hft_feed_interarrival_seconds_bucket" + sel,
       any_sample([](const json& s) { return !label(s, "symbol").empty(); }, "a symbol label")},
      {"hft_hot_loop_lag_seconds_count" + sel,
       any_sample([](const json& s) { return sample_value(s) > 0; }, "a value > 0")},
      {"hft_hot_loop_busy_seconds_total" + sel,
       any_sample([](const json& s) { return sample_value(s) > 0; }, "a value > 0")},
      {"hft_best_bid" + sel,
       any_sample([](const json& s) { return !label(s, "symbol").empty() && sample_value(s) > 0; },
                  "a symbol label and a price > 0")},
      {"hft_best_ask" + sel,
       any_sample([](const json& s) { return !label(s, "symbol").empty() && sample_value(s) > 0; },
                  "a symbol label and a price > 0")},
      {"hft_orders_acked_total" + sel,
       any_sample([](const json& s) { return !label(s, "symbol").empty(); }, "a symbol label")},
      {"hft_process_resident_memory_bytes" + sel,
       any_sample([](const json& s) { return sample_value(s) > 0; }, "a value > 0")},
      {"hft_build_info" + sel,
       any_sample(
           [](const json& s) { return sample_value(s) == 1.0 && !label(s, "version").empty(); },
           "value 1 and a version label")},
  };

  // Poll the HTTP API until every check holds (normally ~6 s after Prometheus started, see above;
  // allow much more on a loaded machine), while the engine is still running: once the target is
  // gone Prometheus marks its series stale and instant queries return nothing.
  auto api = http_client(prom_port);
  std::vector<std::string> failures;
  std::string last_up;
  const bool all_ok = itest::wait_for(
      [&] {
        failures.clear();
        for (const auto& c : checks) {
          const json r = prom_query(*api, c.promql);
          if (c.promql.starts_with("up")) last_up = r.dump();
          const std::string why = r.is_string() ? r.get<std::string>() : c.ok(r);
          if (!why.empty()) failures.push_back(c.promql + ": " + why);
        }
        return failures.empty() || !hft.running();
      },
      25s, 250ms);
  std::string report;
  for (const auto& f : failures) report += "  " + f + "\n";
  EXPECT_TRUE(all_ok && failures.empty())
      << "Prometheus never returned every expected sample (hft running: " << hft.running() << "):\n"
      << report << "last up query: " << last_up << "\nprometheus log:\n"
      << itest::tail_lines(prom.err(), 20) << "\nhft stderr:\n"
      << itest::tail_lines(hft.err(), 20);

  // Stop the engine (graceful SIGTERM) and Prometheus; the guards would do it on failure too.
  const int hft_rc = hft.stop();
  EXPECT_EQ(hft_rc, 0) << "hft did not stop cleanly on SIGTERM; stderr:\n"
                       << itest::tail_lines(hft.err());
  prom.stop();
}

TEST(Prometheus, PromtoolAcceptsLiveMetrics) {
  ASSERT_TRUE(itest::is_executable(kPromtool)) << missing_tool_message(kPromtool);
  itest::TempDir tmp("hft_it_promtool");

  const int port = itest::free_port();
  ASSERT_GT(port, 0);
  HftSim sim(tmp.path(), port, "20s");
  itest::Process& hft = sim.proc;
  ASSERT_EQ(hft.error(), "");
  // Wait for a scrape of the running engine (market data flowing, so every family is registered
  // and counters and histograms hold data).
  const auto trading = [](const std::string& body) {
    return exposed_value(body, "hft_feed_events_total") > 0;
  };
  const std::string body = wait_for_metrics(hft, port, trading, 10s);
  ASSERT_FALSE(body.empty()) << "hft /metrics never showed hft_feed_events_total > 0 on port "
                             << port << "; hft stderr:\n"
                             << itest::tail_lines(hft.err());
  EXPECT_EQ(hft.stop(), 0) << itest::tail_lines(hft.err());

  const auto scrape = tmp.path() / "metrics.txt";
  {
    std::ofstream f(scrape, std::ios::binary);
    f << body;
    ASSERT_TRUE(f.good()) << "cannot write " << scrape;
  }
  itest::Process::Options opt;
  opt.log_dir = tmp.path();
  opt.tag = "promtool";
  opt.stdin_file = scrape;
  itest::Process promtool(kPromtool, {"check", "metrics"}, std::move(opt));
  ASSERT_EQ(promtool.error(), "");
  const auto rc = promtool.wait_exit(20s);
  ASSERT_TRUE(rc.has_value()) << "promtool check metrics did not finish within 20 s";
  const std::string output = promtool.out() + promtool.err();
  EXPECT_EQ(*rc, 0) << "promtool check metrics failed:\n" << output;
  EXPECT_EQ(output.find_first_not_of(" \t\r\n"), std::string::npos)
      << "promtool check metrics reported problems:\n"
      << output;
}

}  // namespace
}  // namespace hft
