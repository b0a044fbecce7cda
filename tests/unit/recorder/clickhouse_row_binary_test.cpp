// RowBinary encoding: exact bytes, as ClickHouse reads them (little-endian fixed widths, LEB128
// lengths, Date = UInt16 days).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hft/recorder/clickhouse/http_client.hpp"
#include "hft/recorder/clickhouse/row_binary.hpp"

namespace hft::recorder::clickhouse {
namespace {

std::vector<unsigned> bytes(const RowBinaryWriter& w) {
  std::vector<unsigned> out;
  for (char c : w.bytes()) out.push_back(static_cast<unsigned char>(c));
  return out;
}

TEST(ClickHouseRowBinary, FixedWidthIntegersAreLittleEndian) {
  RowBinaryWriter w;
  w.u8(0xAB);
  w.u16(0x0102);
  w.u32(0x01020304);
  w.u64(0x0102030405060708ULL);
  EXPECT_EQ(bytes(w), (std::vector<unsigned>{0xAB, 0x02, 0x01, 0x04, 0x03, 0x02, 0x01, 0x08, 0x07,
                                             0x06, 0x05, 0x04, 0x03, 0x02, 0x01}));
}

TEST(ClickHouseRowBinary, NegativeInt64IsTwosComplement) {
  RowBinaryWriter w;
  w.i64(-2);
  w.enum8(-1);
  EXPECT_EQ(bytes(w),
            (std::vector<unsigned>{0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
}

TEST(ClickHouseRowBinary, Float64IsIeeeLittleEndian) {
  RowBinaryWriter w;
  w.fixed(1.5);
  EXPECT_EQ(bytes(w), (std::vector<unsigned>{0, 0, 0, 0, 0, 0, 0xF8, 0x3F}));
}

TEST(ClickHouseRowBinary, LengthsAreUnsignedLeb128) {
  RowBinaryWriter w;
  w.varuint(0);
  w.varuint(127);
  w.varuint(128);
  w.varuint(300);
  w.varuint(16384);
  EXPECT_EQ(bytes(w),
            (std::vector<unsigned>{0x00, 0x7F, 0x80, 0x01, 0xAC, 0x02, 0x80, 0x80, 0x01}));
}

TEST(ClickHouseRowBinary, StringIsLengthThenBytes) {
  RowBinaryWriter w;
  w.string("TXFD6");
  w.string("");
  EXPECT_EQ(bytes(w), (std::vector<unsigned>{5, 'T', 'X', 'F', 'D', '6', 0}));
}

TEST(ClickHouseRowBinary, ArrayIsCountThenElements) {
  RowBinaryWriter w;
  const std::int64_t v[2] = {1, -1};
  w.array_i64(v);
  EXPECT_EQ(bytes(w), (std::vector<unsigned>{2, 1, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
                                             0xFF, 0xFF, 0xFF, 0xFF}));
}

TEST(ClickHouseRowBinary, DateIsUtcDaysSinceEpoch) {
  EXPECT_EQ(utc_days(0), 0);
  EXPECT_EQ(utc_days(86'400'000'000'000LL - 1), 0);
  EXPECT_EQ(utc_days(86'400'000'000'000LL), 1);
  // 2023-11-14T22:13:20Z is day 19675; 2024-08-01T00:00:00Z (Taipei 08:00) is day 19936.
  EXPECT_EQ(utc_days(1'700'000'000'000'000'000LL), 19675);
  EXPECT_EQ(utc_days(1'722'470'400'000'000'000LL), 19936);
  RowBinaryWriter w;
  w.date(19675);
  EXPECT_EQ(bytes(w), (std::vector<unsigned>{0xDB, 0x4C}));
}

TEST(ClickHouseRowBinary, ClearKeepsCapacityForTheNextBatch) {
  RowBinaryWriter w;
  for (int i = 0; i < 1000; ++i) w.u64(1);
  const std::size_t cap = w.bytes().capacity();
  w.clear();
  EXPECT_EQ(w.size(), 0u);
  EXPECT_EQ(w.bytes().capacity(), cap);
}

TEST(ClickHouseHttp, ParsesTheErrorCodeOfAnAnswer) {
  EXPECT_EQ(
      parse_error_code("Code: 60, e.displayText() = DB::Exception: Table hft.x doesn't exist"), 60);
  EXPECT_EQ(parse_error_code("no code here"), 0);
}

TEST(ClickHouseHttp, RetriesOnlyWhatARetryCanFix) {
  HttpResult down;  // connection refused
  EXPECT_TRUE(down.retriable());
  HttpResult unknown_table{true, 404, "Code: 60", 60};
  EXPECT_FALSE(unknown_table.retriable());
  HttpResult syntax{true, 500, "Code: 62", 62};
  EXPECT_FALSE(syntax.retriable());
  HttpResult shutting_down{true, 500, "Code: 210", 210};
  EXPECT_TRUE(shutting_down.retriable());
  HttpResult ok{true, 200, "", 0};
  EXPECT_FALSE(ok.retriable());
}

}  // namespace
}  // namespace hft::recorder::clickhouse
