// symbols.list → symbols.yaml → load_symbols_yaml, and resolving a run's symbols.
#include "hft/config/symbols.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace hft::config {
namespace {

using testing::TempDir;

std::string all_errors(const SymbolsResult& r) {
  std::string out;
  for (const auto& e : r.errors) out += e + "\n";
  return out;
}

TEST(SymbolsList, BuiltInCodesNeedNoKeys) {
  const auto r = parse_symbols_list_text("# futures\nTXF@front tags=futures|txf\n\n2330\n", "s");
  ASSERT_TRUE(r.ok()) << all_errors(r);
  ASSERT_EQ(r.symbols.size(), 2u);
  EXPECT_EQ(r.symbols[0].spec.code, "TXFR1");
  EXPECT_EQ(r.symbols[0].spec.multiplier, 200);
  EXPECT_EQ(r.symbols[0].spec.exchange, Exchange::kTAIFEX);
  EXPECT_EQ(r.symbols[0].tags, (std::vector<std::string>{"futures", "txf"}));
  EXPECT_EQ(r.symbols[1].spec.code, "2330");
  EXPECT_EQ(r.symbols[1].spec.price_scale, 100);
  EXPECT_TRUE(r.symbols[1].tags.empty());
}

TEST(SymbolsList, RollRulesExpandToContinuousCodes) {
  EXPECT_EQ(expand_code("TXF@front"), "TXFR1");
  EXPECT_EQ(expand_code("MXF@next"), "MXFR2");
  EXPECT_EQ(expand_code("2330"), "2330");
}

TEST(SymbolsList, UnknownRollRuleIsAnError) {
  const auto r = parse_symbols_list_text("TXF@far\n", "s.list");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].starts_with("s.list:1: 'TXF@far': unknown roll rule")) << r.errors[0];
}

TEST(SymbolsList, UnknownCodeNamesTheLineAndHowToAddIt) {
  const auto r = parse_symbols_list_text("2330\n\n9999 tags=x\n", "config/symbols.list");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].starts_with("config/symbols.list:3: unknown symbol '9999'"))
      << r.errors[0];
  EXPECT_NE(r.errors[0].find("'9999 product_type=stock exchange=TSE price_scale=100 "
                             "multiplier=1000 lot_size=1000'"),
            std::string::npos)
      << r.errors[0];
  EXPECT_EQ(r.symbols.size(), 1u);
}

TEST(SymbolsList, FullInlineSpecIsAccepted) {
  const auto r = parse_symbols_list_text(
      "9999 product_type=stock exchange=TSE price_scale=100 multiplier=1000 lot_size=1000\n"
      "6488 product_type=stock exchange=OTC price_scale=100 multiplier=1000 name=\"Global "
      "Wafers\"\n",
      "s");
  ASSERT_TRUE(r.ok()) << all_errors(r);
  ASSERT_EQ(r.symbols.size(), 2u);
  EXPECT_EQ(r.symbols[0].spec.code, "9999");
  EXPECT_EQ(r.symbols[0].spec.type, ProductType::kStock);
  EXPECT_EQ(r.symbols[0].spec.lot_size, 1000);
  EXPECT_EQ(r.symbols[1].spec.exchange, Exchange::kOTC);
  EXPECT_EQ(r.symbols[1].spec.name, "Global Wafers");
}

TEST(SymbolsList, OverridesApplyOnTopOfTheBuiltInSpec) {
  const auto r = parse_symbols_list_text("2330 limit_pct_bp=500 name=TSMC-test\n", "s");
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_EQ(r.symbols[0].spec.limit_pct_bp, 500);
  EXPECT_EQ(r.symbols[0].spec.name, "TSMC-test");
  EXPECT_EQ(r.symbols[0].spec.multiplier, 1000);
}

TEST(SymbolsList, DuplicateSymbolNamesBothLines) {
  const auto r = parse_symbols_list_text("TXF@front\n2330\nTXFR1\n", "s.list");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "s.list:3: duplicate symbol 'TXFR1' (first at s.list:1)");
}

TEST(SymbolsList, UnknownKeySuggestsTheRightOne) {
  const auto r = parse_symbols_list_text("2330 tag=stocks\n", "s");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].starts_with("s:1: unknown key 'tag' (did you mean 'tags'?)"))
      << r.errors[0];
}

TEST(SymbolsList, BadValuesAreErrors) {
  const auto r = parse_symbols_list_text(
      "2330 price_scale=abc\n2317 exchange=NYSE\n0050 price_scale=3\n2454 tags\n", "s");
  ASSERT_EQ(r.errors.size(), 4u) << all_errors(r);
  EXPECT_EQ(r.errors[0], "s:1: symbol '2330': price_scale='abc': expected an integer");
  EXPECT_EQ(r.errors[1], "s:2: symbol '2317': exchange='NYSE': expected one of TSE|OTC|TAIFEX");
  EXPECT_TRUE(r.errors[2].starts_with("s:3: symbol '0050': price_scale must be a power of ten"));
  EXPECT_EQ(r.errors[3], "s:4: 'tags': expected key=value");
}

TEST(SymbolsList, LegacyCommaFormExplainsTheNewForm) {
  const auto r = parse_symbols_list_text("2330,TSE\n", "s");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("write 'CODE key=value ...'"), std::string::npos);
}

TEST(SymbolsList, IncludeIsRelativeToTheIncludingFile) {
  TempDir dir;
  dir.write("lists/tw50.list", "2330\n2317\n");
  const auto main = dir.write("lists/main.list", "@include tw50.list\nTXF@front\n");
  const auto r = parse_symbols_list(main);
  ASSERT_TRUE(r.ok()) << all_errors(r);
  ASSERT_EQ(r.symbols.size(), 3u);
  EXPECT_EQ(r.symbols[2].spec.code, "TXFR1");
}

TEST(SymbolsList, IncludeCycleIsAnError) {
  TempDir dir;
  const auto a = dir.write("a.list", "@include b.list\n");
  dir.write("b.list", "2330\n@include a.list\n");
  const auto r = parse_symbols_list(a);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("b.list:2: @include cycle"), std::string::npos) << r.errors[0];
}

TEST(SymbolsList, MissingFileIsAnError) {
  const auto r = parse_symbols_list("/nonexistent/symbols.list");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "/nonexistent/symbols.list: cannot read file");
}

TEST(SymbolsList, CheckedInListBuilds) {
  const auto r = parse_symbols_list((testing::repo_root() / "config" / "symbols.list").string());
  ASSERT_TRUE(r.ok()) << all_errors(r);
  std::vector<std::string> codes;
  for (const auto& s : r.symbols) codes.push_back(s.spec.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"TXFR1", "MXFR1", "TMFR1", "2330", "2317", "0050"}));
}

TEST(SymbolsYaml, BuildOutputRoundTrips) {
  TempDir dir;
  const auto built = parse_symbols_list_text(
      "TXF@front tags=futures|front_month\n2330 tags=stocks\n0050\n"
      "9999 product_type=stock exchange=TSE price_scale=100 multiplier=1000 name=\"A \\\"q\\\"\"\n",
      "s");
  ASSERT_TRUE(built.ok()) << all_errors(built);
  const auto path = dir.path("symbols.yaml");
  ASSERT_EQ(write_symbols_yaml(path, built.symbols, "s"), "");
  const auto loaded = load_symbols_yaml(path);
  ASSERT_TRUE(loaded.ok()) << all_errors(loaded);
  ASSERT_EQ(loaded.symbols.size(), built.symbols.size());
  for (std::size_t i = 0; i < built.symbols.size(); ++i) {
    const auto& a = built.symbols[i];
    const auto& b = loaded.symbols[i];
    EXPECT_EQ(a.spec.code, b.spec.code);
    EXPECT_EQ(a.spec.name, b.spec.name);
    EXPECT_EQ(a.spec.root, b.spec.root);
    EXPECT_EQ(a.spec.type, b.spec.type);
    EXPECT_EQ(a.spec.exchange, b.spec.exchange);
    EXPECT_EQ(a.spec.price_scale, b.spec.price_scale);
    EXPECT_EQ(a.spec.multiplier, b.spec.multiplier);
    EXPECT_EQ(a.spec.lot_size, b.spec.lot_size);
    EXPECT_EQ(a.spec.limit_pct_bp, b.spec.limit_pct_bp);
    EXPECT_EQ(a.tags, b.tags);
  }
  // Deterministic: rendering the loaded symbols gives the same bytes.
  EXPECT_EQ(render_symbols_yaml(loaded.symbols, "s"), render_symbols_yaml(built.symbols, "s"));
}

TEST(SymbolsYaml, UnknownKeyAndDuplicateAreErrorsWithLines) {
  TempDir dir;
  const auto p = dir.write("s.yaml",
                           "symbols:\n"
                           "  - code: \"2330\"\n"
                           "    product_typ: stock\n"
                           "  - code: \"2317\"\n"
                           "  - code: \"2317\"\n");
  const auto r = load_symbols_yaml(p);
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_EQ(r.errors[0], p + ":3: unknown key 'product_typ' (did you mean 'product_type'?)");
  EXPECT_EQ(r.errors[1], p + ":5: duplicate symbol '2317' (first at " + p + ":4)");
}

TEST(SymbolsYaml, MissingSymbolsListIsAnError) {
  TempDir dir;
  const auto p = dir.write("s.yaml", "contracts: []\n");
  const auto r = load_symbols_yaml(p);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], p + ":1: expected a top-level 'symbols:' list");
}

TEST(ResolveSymbols, PrefersTheSymbolsFileThenTheBuiltInTable) {
  TempDir dir;
  const auto built = parse_symbols_list_text("2330 limit_pct_bp=500\n", "s");
  const auto path = dir.path("symbols.yaml");
  ASSERT_EQ(write_symbols_yaml(path, built.symbols, "s"), "");
  Config c;
  c.symbols = {"2330", "TXF@front"};
  c.symbols_file = path;
  const auto r = resolve_symbols(c);
  ASSERT_TRUE(r.ok()) << all_errors(r);
  ASSERT_EQ(r.symbols.size(), 2u);
  EXPECT_EQ(r.symbols[0].spec.limit_pct_bp, 500);
  EXPECT_EQ(r.symbols[1].spec.code, "TXFR1");
}

TEST(ResolveSymbols, UnknownAndDuplicateCodesAreErrors) {
  Config c;
  c.symbols = {"TXFR1", "TXF@front", "ZZZZ"};
  const auto r = resolve_symbols(c);
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_EQ(r.errors[0], "key 'symbols': duplicate symbol 'TXFR1' ('TXFR1' and 'TXF@front')");
  EXPECT_TRUE(r.errors[1].starts_with("key 'symbols': unknown symbol 'ZZZZ'"));
}

}  // namespace
}  // namespace hft::config

namespace hft::config {
namespace {

TEST(SymbolsYaml, OddShapesAreReportedNotThrown) {
  const char* docs[] = {
      "symbols: 5\n",
      "symbols:\n  - 2330\n",
      "symbols:\n  - {code: [a], product_type: stock}\n",
      "symbols:\n  - {code: \"2330\", tags: {a: b}}\n",
      "symbols:\n  - {code: \"2330\", tags: [[x]]}\n",
      "- a\n",
      "",
  };
  for (const char* doc : docs) {
    testing::TempDir dir;
    const auto p = dir.write("s.yaml", doc);
    SymbolsResult r;
    EXPECT_NO_THROW(r = load_symbols_yaml(p)) << doc;
    EXPECT_FALSE(r.ok() && r.symbols.empty() && std::string(doc) != "") << doc;
  }
}

}  // namespace
}  // namespace hft::config
