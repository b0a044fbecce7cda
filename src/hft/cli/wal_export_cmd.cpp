// `hft wal export DIR --format csv|jsonl`: a WAL in formats other tools read (docs/clickhouse.md
// "Export"). jsonl is `hft wal dump`'s line per record. csv of market data is the market-data CSV
// of CONTRACTS.md §2 (what `hft data import`, replay and backtests read); csv of one other type
// (--type order, exec_report, ...) has one column per field of that type.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hft/cli/commands.hpp"
#include "hft/cli/run_symbols.hpp"
#include "hft/config/config.hpp"
#include "hft/recorder/wal_format.hpp"
#include "hft/recorder/wal_reader.hpp"

namespace hft::cli {

namespace {

using recorder::WalReader;
using recorder::WalRecord;

struct ExportArgs {
  std::string dir;
  std::string format;
  std::string out;
  std::vector<std::string> types;
  std::string config_file;
  std::string symbols;
};

/// `v` units of 1/scale as a plain decimal string: 2345500 at scale 100 -> "23455".
std::string decimal(std::int64_t v, std::int64_t scale) {
  if (scale <= 1) return std::to_string(v);
  const bool neg = v < 0;
  const std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  const auto s = static_cast<std::uint64_t>(scale);
  std::string frac = std::to_string(u % s);
  std::size_t digits = 0;
  for (std::uint64_t x = s; x > 1; x /= 10) ++digits;
  frac.insert(0, digits - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string out = (neg ? "-" : "") + std::to_string(u / s);
  return frac.empty() ? out : out + "." + frac;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

/// Market data as CONTRACTS.md §2 rows; false when the symbol id is unknown.
bool market_data_csv(const WalRecord& rec, const SymbolTable& symbols, std::string& out) {
  MarketData md;
  if (!rec.as(md) || md.h.symbol >= symbols.size()) return false;
  const ContractSpec& spec = symbols.spec(md.h.symbol);
  const std::int64_t scale = spec.price_scale;
  const std::string head = fmt::format("{},{},{},", md.h.local_ts, md.h.exch_ts, spec.code);
  auto side = [](Side s) { return s == Side::kBuy ? "B" : "S"; };
  switch (rec.type) {
    case EventType::kBookSnapshot:
      // A 5-level snapshot is a clear of both sides followed by its non-empty levels.
      out += head + "clear,-,,\n";
      for (int i = 0; i < kBookDepth; ++i) {
        if (md.snapshot.bid_px[i].v != 0) {
          out += head + "book,B," + decimal(md.snapshot.bid_px[i].v, scale) + "," +
                 std::to_string(md.snapshot.bid_qty[i]) + "\n";
        }
      }
      for (int i = 0; i < kBookDepth; ++i) {
        if (md.snapshot.ask_px[i].v != 0) {
          out += head + "book,S," + decimal(md.snapshot.ask_px[i].v, scale) + "," +
                 std::to_string(md.snapshot.ask_qty[i]) + "\n";
        }
      }
      return true;
    case EventType::kTrade:
      out += head + "trade," + (md.trade.aggressor_known ? side(md.trade.aggressor) : "-") + "," +
             decimal(md.trade.price.v, scale) + "," + std::to_string(md.trade.qty) + "\n";
      return true;
    case EventType::kBookLevel:
      out += head + "book," + side(md.level.side) + "," + decimal(md.level.price.v, scale) + "," +
             std::to_string(md.level.qty) + "\n";
      return true;
    case EventType::kBookClear:
      out += head + "clear," +
             (md.clear.side == ClearSide::kBid   ? "B"
              : md.clear.side == ClearSide::kAsk ? "S"
                                                 : "-") +
             ",,\n";
      return true;
    default: return false;
  }
}

int run_export(const ExportArgs& a,
               const std::function<std::string(const WalRecord&, const std::string&)>& to_jsonl) {
  std::vector<EventType> types;
  for (const std::string& t : a.types) {
    bool found = false;
    for (int v = 1; v < 256; ++v) {
      const auto e = static_cast<EventType>(v);
      if (std::string(to_string(e)) == "unknown") continue;
      if (t == to_string(e) || t == std::to_string(v)) {
        types.push_back(e);
        found = true;
      }
    }
    if (!found) {
      std::fprintf(stderr, "wal export: unknown --type '%s'\n", t.c_str());
      return 2;
    }
  }
  bool md_csv = a.format == "csv";
  if (md_csv) {
    // CSV of any other type (orders, lob_stats, latency samples...): one type only, so the
    // file has one header.
    std::size_t other = 0;
    for (EventType t : types) {
      other += t == EventType::kBookSnapshot || t == EventType::kTrade ||
                       t == EventType::kBookLevel || t == EventType::kBookClear
                   ? 0
                   : 1;
    }
    if (other != 0 && types.size() != 1) {
      std::fprintf(stderr,
                   "wal export: --format csv takes market-data types (the CONTRACTS.md market-data "
                   "CSV) or exactly one other --type\n");
      return 2;
    }
    md_csv = other == 0;
    if (types.empty()) {
      types = {EventType::kBookSnapshot, EventType::kTrade, EventType::kBookLevel,
               EventType::kBookClear};
    }
  }
  SymbolTable symbols;
  if (md_csv && !load_run_symbols("sim", a.config_file, a.symbols, "wal export", symbols)) {
    return 2;
  }
  WalReader r(a.dir);
  if (std::string err = r.open(); !err.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 2;
  }
  std::FILE* out = stdout;
  if (!a.out.empty() && a.out != "-") {
    out = std::fopen(a.out.c_str(), "w");
    if (out == nullptr) {
      std::fprintf(stderr, "wal export: cannot write %s\n", a.out.c_str());
      return 2;
    }
  }
  std::string buf;
  std::vector<std::string> header;
  if (md_csv) buf = "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty\n";
  std::uint64_t exported = 0;
  std::uint64_t failed = 0;
  for (WalRecord rec; r.next(rec);) {
    if (!types.empty() && std::find(types.begin(), types.end(), rec.type) == types.end()) continue;
    const std::string& seg = r.segments()[rec.segment_index].name;
    if (a.format == "jsonl") {
      buf += to_jsonl(rec, seg);
      buf += '\n';
    } else if (md_csv) {
      if (!market_data_csv(rec, symbols, buf)) {
        std::fprintf(stderr, "wal export: %s offset %llu: seq %llu: symbol id %u unknown\n",
                     seg.c_str(), static_cast<unsigned long long>(rec.offset),
                     static_cast<unsigned long long>(rec.seq), rec.header().symbol);
        ++failed;
        continue;
      }
    } else {
      const auto j = nlohmann::ordered_json::parse(to_jsonl(rec, seg));
      if (header.empty()) {
        for (const auto& [k, v] : j.items()) header.push_back(k);
        for (std::size_t i = 0; i < header.size(); ++i) buf += (i ? "," : "") + header[i];
        buf += '\n';
      }
      std::size_t i = 0;
      for (const auto& [k, v] : j.items()) {
        buf += (i++ ? "," : "") + csv_field(v.is_string() ? v.get<std::string>() : v.dump());
      }
      buf += '\n';
    }
    ++exported;
    if (buf.size() > (1u << 20)) {
      std::fwrite(buf.data(), 1, buf.size(), out);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), out);
  const bool write_ok = std::fflush(out) == 0 && !std::ferror(out);
  if (out != stdout) std::fclose(out);
  for (const auto& issue : r.issues())
    std::fprintf(stderr, "wal export: %s\n", issue.to_string().c_str());
  std::fprintf(stderr, "wal export: %llu records exported%s\n",
               static_cast<unsigned long long>(exported),
               failed ? fmt::format(", {} not exported", failed).c_str() : "");
  if (!write_ok) return 1;
  return r.corrupt() || failed != 0 ? 1 : 0;
}

}  // namespace

void register_wal_export(
    CLI::App& wal, int& exit_code,
    std::function<std::string(const recorder::WalRecord&, const std::string&)> to_jsonl) {
  auto a = std::make_shared<ExportArgs>();
  CLI::App* cmd = wal.add_subcommand(
      "export",
      "Write records as csv (market data: the CONTRACTS.md market-data CSV; or one other --type, "
      "one column per field) or jsonl (as `wal dump`). Exit 1 when the WAL is corrupt");
  cmd->add_option("DIR", a->dir, "WAL directory")->required();
  cmd->add_option("--format", a->format, "csv or jsonl")
      ->required()
      ->check(CLI::IsMember({"csv", "jsonl"}));
  cmd->add_option("--out", a->out, "Output file (default: stdout)");
  cmd->add_option("--type", a->types, "Only these event types (repeat or comma-separate)")
      ->delimiter(',');
  cmd->add_option("--config", a->config_file,
                  "csv: extra YAML config `hft run` used (symbol codes and price scales)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--symbols", a->symbols, "csv: the --symbols `hft run` used");
  cmd->callback([a, to = std::move(to_jsonl), &exit_code] { exit_code = run_export(*a, to); });
}

}  // namespace hft::cli
