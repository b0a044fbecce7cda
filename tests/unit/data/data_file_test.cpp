// The binary format: import → DataFile round trip, header checks, binary search for --from,
// rescaling of inferred symbols, and import → export byte-for-byte after normalisation.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "hft/data/data.hpp"

namespace hft::data {
namespace {

namespace fs = std::filesystem;

struct Tmp {
  fs::path path;
  Tmp() {
    path = fs::temp_directory_path() /
           ("hft_data_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Tmp() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const std::string kCsv =
    "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty\n"
    "100,90,TXFD6,clear,-,,\n"
    "100,90,TXFD6,book,B,23455,12\n"
    "100,90,TXFD6,book,S,23456,7\n"
    "150,140,ZZZ,book,B,12,3\n"
    "200,199,TXFD6,trade,B,23456,2\n"
    "250,240,ZZZ,book,S,12.25,4\n"
    "300,299,ZZZ,trade,-,12.5,1\n";

TEST(DataFile, ImportThenReadBack) {
  Tmp t;
  const ImportReport r = import_csv(t.write("a.csv", kCsv), (t.path / "d").string(), {});
  ASSERT_TRUE(r.ok()) << r.error;
  DataFile f;
  ASSERT_EQ(f.open((t.path / "d").string()), "");
  EXPECT_EQ(f.size(), 7u);
  EXPECT_EQ(f.header().first_local_ts, 100);
  EXPECT_EQ(f.header().last_local_ts, 300);
  EXPECT_EQ(f.header().source_rows, 7u);
  EXPECT_EQ(f.header().batches, 5u);
  ASSERT_EQ(f.specs().size(), 2u);
  EXPECT_EQ(f.specs()[0].code, "TXFD6");
  EXPECT_EQ(f.specs()[0].multiplier, 200);
  EXPECT_EQ(f.specs()[1].code, "ZZZ");
  EXPECT_EQ(f.specs()[1].price_scale, 100);
  EXPECT_EQ(f.symbols()[1].inferred, 1);
  // ZZZ's first price was written at scale 1 and rescaled to 100 by the writer.
  EXPECT_EQ(f.records()[3].level.price.v, 1200);
  EXPECT_EQ(f.records()[5].level.price.v, 1225);
  EXPECT_EQ(f.records()[6].trade.price.v, 1250);
  EXPECT_EQ(f.records()[1].level.price.v, 23455);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(f.records()) % 64, 0u);
}

TEST(DataFile, BinarySearchByLocalTime) {
  Tmp t;
  ASSERT_TRUE(import_csv(t.write("a.csv", kCsv), (t.path / "d").string(), {}).ok());
  DataFile f;
  ASSERT_EQ(f.open((t.path / "d" / kFileName).string()), "");
  EXPECT_EQ(f.lower_bound(0), 0u);
  EXPECT_EQ(f.lower_bound(100), 0u);
  EXPECT_EQ(f.lower_bound(101), 3u);
  EXPECT_EQ(f.upper_bound(100), 3u);
  EXPECT_EQ(f.lower_bound(1000), 7u);
}

TEST(DataFile, RejectsDamagedFiles) {
  Tmp t;
  ASSERT_TRUE(import_csv(t.write("a.csv", kCsv), (t.path / "d").string(), {}).ok());
  const std::string p = (t.path / "d" / kFileName).string();
  std::string bytes = slurp(p);
  {
    std::string b = bytes;
    b[20] ^= 1;  // header field: checksum mismatch
    const std::string q = t.write("x.hmd", b);
    DataFile f;
    EXPECT_NE(f.open(q).find("checksum"), std::string::npos);
  }
  {
    const std::string q = t.write("y.hmd", bytes.substr(0, bytes.size() - 10));
    DataFile f;
    EXPECT_NE(f.open(q).find("truncated"), std::string::npos);
  }
  {
    const std::string q = t.write("z.hmd", "local_ts_ns,...");
    DataFile f;
    EXPECT_NE(f.open(q).find("not an hft market-data file"), std::string::npos);
  }
  DataFile f;
  EXPECT_NE(f.open((t.path / "missing").string()).find("cannot open"), std::string::npos);
}

TEST(DataFile, FailedImportLeavesNoFile) {
  Tmp t;
  const ImportReport r =
      import_csv(t.write("a.csv", kCsv + "1,1,TXFD6,book,B,1,1\n"), (t.path / "d").string(), {});
  EXPECT_EQ(r.error, (t.path / "a.csv").string() +
                         ":9: column 'local_ts_ns': value '1' is earlier than the "
                         "previous row's 300 (rows must be sorted by local_ts_ns)");
  EXPECT_FALSE(fs::exists(t.path / "d" / kFileName));
  EXPECT_FALSE(fs::exists(t.path / "d" / (std::string(kFileName) + ".tmp")));
}

TEST(DataFile, SymbolsFileGivesTheSpec) {
  Tmp t;
  const std::string list = t.write(
      "symbols.list", "ZZZ product_type=stock exchange=TSE price_scale=1000 multiplier=1000\n");
  ImportOptions o;
  o.symbols_file = list;
  ASSERT_TRUE(import_csv(t.write("a.csv", kCsv), (t.path / "d").string(), o).ok());
  DataFile f;
  ASSERT_EQ(f.open((t.path / "d").string()), "");
  EXPECT_EQ(f.specs()[1].price_scale, 1000);
  EXPECT_EQ(f.symbols()[1].inferred, 0);
  EXPECT_EQ(f.records()[5].level.price.v, 12250);
}

/// The CSV with every number in canonical form: what export must reproduce byte for byte.
std::string normalise(const std::string& csv, const std::vector<ContractSpec>& specs) {
  std::istringstream in(csv);
  std::string line, out;
  std::getline(in, line);
  out += line + "\n";
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string x;
    while (std::getline(ss, x, ',')) f.push_back(x);
    if (f.size() == 6) f.push_back("");
    std::int64_t scale = 1;
    for (const ContractSpec& s : specs) {
      if (s.code == f[2]) scale = s.price_scale;
    }
    auto canon = [](const std::string& v, std::int64_t sc) {
      return format_fixed(parse_fixed(v, sc).value, sc);
    };
    out += canon(f[0], 1) + "," + canon(f[1], 1) + "," + f[2] + "," + f[3] + "," + f[4] + "," +
           (f[5].empty() ? "" : canon(f[5], scale)) + "," + (f[6].empty() ? "" : canon(f[6], 1)) +
           "\n";
  }
  return out;
}

TEST(DataFile, ImportExportRoundTripsByteForByteAfterNormalisation) {
  Tmp t;
  // Non-canonical spellings on purpose: leading zeros, trailing fractional zeros.
  std::string csv =
      "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty\n"
      "0100,090,TXFD6,clear,-,,\n"
      "100,90,TXFD6,book,B,23455.000,012\n"
      "100,90,2330,book,S,585.50,7\n"
      "120,90,ZZZ,trade,S,0012.5,1\n"
      "125,90,ZZZ,simtrade,-,12.5,30\n"
      "130,90,ZZZ,book,B,12.125,0\n";
  // Plus a random day: several symbols, every row type.
  std::mt19937_64 rng(11);
  const char* codes[] = {"TXFD6", "2330", "0050", "QQQ"};
  std::int64_t ts = 200;
  for (int i = 0; i < 5000; ++i) {
    ts += static_cast<std::int64_t>(rng() % 3);
    const char* code = codes[rng() % 4];
    const int kind = static_cast<int>(rng() % 10);
    const std::int64_t px = 100 + static_cast<std::int64_t>(rng() % 50);
    const std::string price = std::string(code) == "TXFD6"
                                  ? std::to_string(px * 100)
                                  : std::to_string(px) + "." + std::to_string(rng() % 20 * 5);
    const char side = "BS-"[rng() % 3];
    if (kind == 0) {
      csv += std::to_string(ts) + ",1," + code + ",clear," + side + ",,\n";
    } else if (kind < 3) {
      csv += std::to_string(ts) + ",1," + code + (kind == 2 ? ",simtrade," : ",trade,") + side +
             "," + price + "," + std::to_string(1 + rng() % 9) + "\n";
    } else {
      csv += std::to_string(ts) + ",1," + code + ",book," + (side == '-' ? 'B' : side) + "," +
             price + "," + std::to_string(rng() % 9) + "\n";
    }
  }
  const ImportReport r = import_csv(t.write("a.csv", csv), (t.path / "d").string(), {});
  ASSERT_TRUE(r.ok()) << r.error;
  const std::string out = (t.path / "b.csv").string();
  std::uint64_t rows = 0;
  ASSERT_EQ(export_csv((t.path / "d").string(), out, &rows), "");
  EXPECT_EQ(rows, 5006u);
  DataFile f;
  ASSERT_EQ(f.open((t.path / "d").string()), "");
  const std::string exported = slurp(out);
  EXPECT_EQ(exported, normalise(csv, f.specs()));
  // And export → import → export is the identity.
  ASSERT_TRUE(import_csv(out, (t.path / "d2").string(), {}).ok());
  ASSERT_EQ(export_csv((t.path / "d2").string(), (t.path / "c.csv").string()), "");
  EXPECT_EQ(slurp((t.path / "c.csv").string()), exported);
}

TEST(DataFile, EmptyImportRoundTrips) {
  Tmp t;
  ASSERT_TRUE(
      import_csv(t.write("a.csv", std::string(kCsvHeader) + "\n"), (t.path / "d").string(), {})
          .ok());
  ASSERT_EQ(export_csv((t.path / "d").string(), (t.path / "b.csv").string()), "");
  EXPECT_EQ(slurp((t.path / "b.csv").string()), std::string(kCsvHeader) + "\n");
}

}  // namespace
}  // namespace hft::data
