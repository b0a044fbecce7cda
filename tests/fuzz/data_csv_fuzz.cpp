// libFuzzer target for the market-data CSV reader (in-memory entry point data::read_csv): any
// bytes must give either records or a message, never a crash, and the records must satisfy the
// reader's own guarantees.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hft/data/csv_reader.hpp"

namespace {

class CheckingSink final : public hft::data::RecordSink {
 public:
  bool append(const hft::data::Record& r) override {
    // Sorted by local_ts; only the three market-data types.
    if (r.h.local_ts < last_ts_) std::abort();
    last_ts_ = r.h.local_ts;
    if (r.h.type != hft::EventType::kBookLevel && r.h.type != hft::EventType::kBookClear &&
        r.h.type != hft::EventType::kTrade) {
      std::abort();
    }
    return true;
  }

 private:
  std::int64_t last_ts_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const bool skip_bad : {false, true}) {
    hft::data::CsvOptions opts;
    opts.skip_bad = skip_bad;
    CheckingSink sink;
    const hft::data::CsvResult r = hft::data::read_csv(text, "fuzz.csv", opts, sink);
    if (r.ok() && r.records + r.skipped > r.rows) std::abort();
    for (const hft::data::ImportedSymbol& s : r.symbols) {
      if (r.ok() && !s.spec.validate().empty()) std::abort();  // every spec it makes is usable
    }
  }
  return 0;
}
