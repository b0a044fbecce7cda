// hft data import|export|info — market data between the CSV of CONTRACTS.md §2 and the binary
// format replay reads (docs/data.md).
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "hft/cli/commands.hpp"
#include "hft/core/clock.hpp"
#include "hft/data/data.hpp"
#if __has_include("hft/cli/data_gen_cmd.hpp")
#include "hft/cli/data_gen_cmd.hpp"
#define HFT_HAVE_DATA_GEN 1
#endif

namespace hft::cli {

namespace {

/// "2024-08-01T00:00:00.123456789Z"
std::string format_utc(std::int64_t ns) {
  const std::time_t secs = static_cast<std::time_t>(ns / kNsPerSec);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(ns % kNsPerSec));
  return buf;
}

struct DataArgs {
  std::string input;
  std::string out;
  std::string symbols;
  bool skip_bad = false;
  bool no_progress = false;
};

int do_import(const DataArgs& a) {
  data::ImportOptions opts;
  opts.skip_bad = a.skip_bad;
  opts.symbols_file = a.symbols;
  const std::int64_t t0 = mono_ns();
  const bool tty = isatty(STDERR_FILENO) != 0;
  std::int64_t last_print = t0;
  bool printed = false;
  if (!a.no_progress) {
    opts.progress = [&](std::uint64_t done, std::uint64_t total, std::uint64_t rows) {
      const std::int64_t now = mono_ns();
      if (now - last_print < kNsPerSec && done < total) return;
      last_print = now;
      printed = true;
      const double s = static_cast<double>(now - t0) / 1e9;
      std::fprintf(
          stderr, "%simport %5.1f%%  %llu rows  %.2f M rows/s%s", tty ? "\r" : "",
          total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0,
          static_cast<unsigned long long>(rows), s > 0 ? static_cast<double>(rows) / s / 1e6 : 0.0,
          tty ? "   " : "\n");
    };
  }
  const data::ImportReport r = data::import_csv(a.input, a.out, opts);
  if (printed && tty) std::fprintf(stderr, "\n");
  const double seconds = static_cast<double>(mono_ns() - t0) / 1e9;
  if (!r.csv.skipped_table().empty()) {
    std::fprintf(stderr, "hft data import: skipped %llu bad row(s) (--skip-bad):\n%s",
                 static_cast<unsigned long long>(r.csv.skipped), r.csv.skipped_table().c_str());
  }
  if (!r.ok()) {
    std::fprintf(stderr, "hft data import: %s\n", r.error.c_str());
    return 1;
  }
  std::printf(
      "imported %llu rows (%llu skipped) into %llu records, %llu atomic updates, %zu symbols "
      "in %.2f s (%.2f M rows/s) -> %s\n",
      static_cast<unsigned long long>(r.csv.rows), static_cast<unsigned long long>(r.csv.skipped),
      static_cast<unsigned long long>(r.csv.records),
      static_cast<unsigned long long>(r.csv.batches), r.csv.symbols.size(), seconds,
      seconds > 0 ? static_cast<double>(r.csv.rows) / seconds / 1e6 : 0.0, r.out_path.c_str());
  std::printf("  %-12s %12s %-14s %10s %10s  %s\n", "symbol", "price_scale", "tick rule", "records",
              "max levels", "spec from");
  for (const data::ImportedSymbol& s : r.csv.symbols) {
    std::printf("  %-12s %12lld %-14s %10llu %4u/%-5u  %s\n", s.spec.code.c_str(),
                static_cast<long long>(s.spec.price_scale), to_string(tick_rule_for(s.spec.type)),
                static_cast<unsigned long long>(s.records), s.max_bid_levels, s.max_ask_levels,
                s.inferred ? "inferred from the data" : "symbols file / built-in table");
  }
  return 0;
}

int do_export(const DataArgs& a) {
  std::uint64_t rows = 0;
  if (std::string e = data::export_csv(a.input, a.out, &rows); !e.empty()) {
    std::fprintf(stderr, "hft data export: %s\n", e.c_str());
    return 1;
  }
  std::printf("exported %llu rows -> %s\n", static_cast<unsigned long long>(rows), a.out.c_str());
  return 0;
}

int do_info(const DataArgs& a) {
  data::DataFile file;
  if (std::string e = file.open(a.input); !e.empty()) {
    std::fprintf(stderr, "hft data info: %s\n", e.c_str());
    return 1;
  }
  const data::FileHeader& h = file.header();
  std::printf("%s\n  format version %u, %llu records, %llu atomic updates, %u symbols\n",
              file.path().c_str(), h.version, static_cast<unsigned long long>(h.record_count),
              static_cast<unsigned long long>(h.batches), h.symbol_count);
  std::printf("  local_ts %lld .. %lld (%s .. %s)\n", static_cast<long long>(h.first_local_ts),
              static_cast<long long>(h.last_local_ts), format_utc(h.first_local_ts).c_str(),
              format_utc(h.last_local_ts).c_str());
  std::printf("  imported from %llu CSV rows, %llu skipped\n",
              static_cast<unsigned long long>(h.source_rows),
              static_cast<unsigned long long>(h.skipped_rows));
  for (std::size_t i = 0; i < file.symbols().size(); ++i) {
    const data::SymbolEntry& e = file.symbols()[i];
    const ContractSpec& spec = file.specs()[i];
    std::printf("  %-12s scale %-10lld %-12s mult %-6lld levels %u/%u%s\n", spec.code.c_str(),
                static_cast<long long>(spec.price_scale), to_string(spec.type),
                static_cast<long long>(spec.multiplier), e.max_bid_levels, e.max_ask_levels,
                e.inferred != 0 ? "  (inferred)" : "");
  }
  return 0;
}

}  // namespace

void register_data(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DataArgs>();
  CLI::App* data =
      app.add_subcommand("data", "Market data: import/export the CSV, inspect imported data");
  data->require_subcommand(1);

  CLI::App* imp =
      data->add_subcommand("import", "CSV (CONTRACTS.md §2) -> binary market data in DIR");
  imp->add_option("file", args->input, "Market-data CSV")->required()->check(CLI::ExistingFile);
  imp->add_option("--out", args->out, "Output directory (created when missing)")->required();
  imp->add_option("--symbols", args->symbols, "symbols.yaml (or .list) with contract specs")
      ->check(CLI::ExistingFile);
  imp->add_flag("--skip-bad", args->skip_bad,
                "Skip bad rows (counted and reported) instead of stopping");
  imp->add_flag("--no-progress", args->no_progress, "No progress line");
  imp->callback([args, &exit_code] { exit_code = do_import(*args); });

  CLI::App* exp =
      data->add_subcommand("export", "Binary market data -> CSV (numbers in canonical form)");
  exp->add_option("dir", args->input, "Imported data directory (or its .hmd file)")->required();
  exp->add_option("--out", args->out, "CSV file to write")->required();
  exp->callback([args, &exit_code] { exit_code = do_export(*args); });

  CLI::App* info = data->add_subcommand("info", "Header, time range and symbols of imported data");
  info->add_option("dir", args->input, "Imported data directory (or its .hmd file)")->required();
  info->callback([args, &exit_code] { exit_code = do_info(*args); });

#ifdef HFT_HAVE_DATA_GEN
  register_data_gen(*data, exit_code);
#endif
}

}  // namespace hft::cli
