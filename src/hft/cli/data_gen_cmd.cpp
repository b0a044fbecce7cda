// hft data gen --out FILE.csv --date YYYY-MM-DD --symbols TXFR1,2330 --seed N
//              [--events N] [--session day|night|full] [--no-progress]
// Writes a synthetic trading day in the CSV of CONTRACTS.md §2 (feed::gen::DayGenerator; model
// in docs/data_gen.md). Same arguments => byte-identical file.
// Exit codes: 0 written; 1 the file could not be written; 2 bad usage.
#include "hft/cli/data_gen_cmd.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "hft/feed/gen/day_generator.hpp"

namespace hft::cli {
namespace {

struct GenArgs {
  std::string out;
  std::string date;
  std::vector<std::string> symbols;
  std::uint64_t seed = 1;
  std::int64_t events = 0;
  std::string session = "day";
  bool no_progress = false;
  bool no_simtrade = false;
};

bool parse_date(const std::string& s, int* y, int* m, int* d) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  *y = std::stoi(s.substr(0, 4));
  *m = std::stoi(s.substr(5, 2));
  *d = std::stoi(s.substr(8, 2));
  return true;
}

std::string taipei_clock(Timestamp utc) {
  const std::int64_t tod = taipei_time_of_day(utc) / kNsPerSec;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(tod / 3600),
                static_cast<long long>(tod / 60 % 60), static_cast<long long>(tod % 60));
  return buf;
}

int run_gen(const GenArgs& a) {
  feed::gen::DayGenParams p;
  if (!parse_date(a.date, &p.year, &p.month, &p.day)) {
    std::fprintf(stderr, "hft data gen: --date '%s': expected YYYY-MM-DD\n", a.date.c_str());
    return 2;
  }
  p.seed = a.seed;
  p.symbols = a.symbols;
  p.max_rows = a.events;
  p.simtrade = !a.no_simtrade;
  p.session = a.session == "night"  ? feed::gen::SessionChoice::kNight
              : a.session == "full" ? feed::gen::SessionChoice::kFull
                                    : feed::gen::SessionChoice::kDay;
  std::string error;
  auto gen = feed::gen::DayGenerator::make(p, &error);
  if (!gen) {
    std::fprintf(stderr, "hft data gen: %s\n", error.c_str());
    return 2;
  }
  std::FILE* f = std::fopen(a.out.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "hft data gen: cannot open '%s' for writing\n", a.out.c_str());
    return 1;
  }
  const bool tty = !a.no_progress && isatty(STDERR_FILENO) != 0;
  const bool show = !a.no_progress;
  const auto t0 = std::chrono::steady_clock::now();
  auto last = t0;
  const Timestamp span = gen->end_ts() - gen->start_ts();
  auto progress = [&](std::uint64_t rows, Timestamp now) {
    const auto wall = std::chrono::steady_clock::now();
    if (!show || (wall - last < std::chrono::seconds(1) && now < gen->end_ts())) return;
    last = wall;
    const double pct =
        span > 0 ? 100.0 * static_cast<double>(now - gen->start_ts()) / static_cast<double>(span)
                 : 100.0;
    std::fprintf(stderr, "%sgen: %llu rows, %s Taipei (%.0f%% of the session)%s", tty ? "\r" : "",
                 static_cast<unsigned long long>(rows), taipei_clock(now).c_str(), pct,
                 tty ? "   " : "\n");
  };
  const bool ok = gen->write_csv(f, progress);
  const bool closed = std::fclose(f) == 0;
  if (show && tty) std::fprintf(stderr, "\n");
  if (!ok || !closed) {
    std::fprintf(stderr, "hft data gen: write to '%s' failed\n", a.out.c_str());
    return 1;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("wrote %s: %llu rows, %zu symbols, seed %llu (%.1f s)\n", a.out.c_str(),
              static_cast<unsigned long long>(gen->rows_emitted()), gen->symbols(),
              static_cast<unsigned long long>(a.seed), secs);
  return 0;
}

}  // namespace

void register_data_gen(CLI::App& data, int& exit_code) {
  auto a = std::make_shared<GenArgs>();
  CLI::App* gen = data.add_subcommand(
      "gen", "Write a synthetic trading day as market-data CSV (deterministic by --seed)");
  gen->add_option("--out", a->out, "CSV file to write")->required();
  gen->add_option("--date", a->date, "Taipei trading date YYYY-MM-DD (Monday to Friday)")
      ->required();
  gen->add_option("--symbols", a->symbols, "Codes, comma separated (TXFR1, MXFR1, 2330, 0050 ...)")
      ->required()
      ->delimiter(',');
  gen->add_option("--seed", a->seed, "Random seed (same seed => byte-identical file)");
  gen->add_option("--events", a->events, "Stop after about N rows (whole atomic updates)")
      ->check(CLI::PositiveNumber);
  gen->add_option("--session", a->session, "day (default), night (futures 15:00-05:00) or full")
      ->check(CLI::IsMember({"day", "night", "full"}));
  gen->add_flag("--no-progress", a->no_progress, "No progress line on stderr");
  gen->add_flag("--no-simtrade", a->no_simtrade,
                "Leave out the trial matches before call auctions (`simtrade` rows), for tools "
                "that only know the book, clear and trade rows of CONTRACTS.md section 2");
  gen->footer(
      "Model and parameters: docs/data_gen.md. Exit codes: 0 ok, 1 write error, 2 bad usage.");
  gen->callback([a, &exit_code] { exit_code = run_gen(*a); });
}

}  // namespace hft::cli
