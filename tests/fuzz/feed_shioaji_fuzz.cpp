// Fuzz target: feed::shioaji::Normalizer on arbitrary bytes. Besides "no crash, no sanitizer
// report", it checks the decoder's contract on every input: a payload is either accepted with
// one or two well-formed events of a known symbol, or rejected with a real reason; the counters
// add up; the reject sample can always be taken and described.
#include <cstdint>
#include <string_view>

#include "shioaji_fixture.hpp"

namespace {

using hft::feed::RejectReason;
using hft::feed::shioaji::Normalizer;
using hft::fuzz::check;

struct Fixture : hft::fuzz::ShioajiFixture {
  Fixture() : ShioajiFixture({"2330", "2890", "TXFD6", "TXFR1", "MXFF6", "TXO22000F6"}) {
    norm->add_alias("TXFF6", "TXFR1");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture f;
  static hft::feed::shioaji::Decoded out;
  Normalizer& n = *f.norm;
  const std::uint64_t accepted = n.accepted();
  const std::uint64_t rejected = n.rejected_total();
  // Alternate an unknown and a plausible receive clock so both timestamp paths are exercised.
  const hft::Timestamp local_ts = (size & 1) ? 0 : 1'780'275'600'000'000'000;  // 2026-06-01
  const std::string_view payload(reinterpret_cast<const char*>(data), size);

  if (n.decode(payload, local_ts, out)) {
    check(out.count == 1 || out.count == 2);
    check(n.accepted() == accepted + 1 && n.rejected_total() == rejected);
    for (int i = 0; i < out.count; ++i) {
      const hft::EventHeader& h = out.events[i].h;
      check(h.symbol < f.symbols.size());
      check(h.type == hft::EventType::kTrade || h.type == hft::EventType::kBookSnapshot);
      check(((h.flags & hft::kFlagLastInBatch) != 0) == (i + 1 == out.count));
      if (h.type == hft::EventType::kTrade) {
        check(out.events[i].trade.price.v > 0 && out.events[i].trade.qty >= 0);
      } else {
        for (int l = 0; l < hft::kBookDepth; ++l) {
          check(out.events[i].snapshot.bid_px[l].v >= 0 && out.events[i].snapshot.ask_qty[l] >= 0);
        }
      }
    }
  } else {
    check(out.count == 0);
    check(n.last_reject() < RejectReason::kCount);
    check(n.accepted() == accepted && n.rejected_total() == rejected + 1);
    check(n.last_error_offset() <= size);
  }
  if ((n.rejected_total() & 63) == 1) {
    hft::feed::shioaji::RejectSample sample;
    if (n.take_reject_sample(sample)) check(!hft::feed::shioaji::describe(sample).empty());
  }
  return 0;
}
