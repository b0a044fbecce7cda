// hft config sync's parts that need no bridge: reading the bridge's @contract lines and checking
// our specs against the broker's contract data (reference §2 fields).
#include "hft/engine/contract_sync.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hft::engine {
namespace {

BrokerContract tsmc() {  // as the broker has 2330 with a 585 reference: limits 527..643
  BrokerContract c;
  c.code = "2330";
  c.security_type = "STK";
  c.exchange = "TSE";
  c.unit = 1000;
  c.reference = "585";
  c.limit_up = "643";
  c.limit_down = "527";
  return c;
}

BrokerContract txf() {
  BrokerContract c;
  c.code = "TXFR1";
  c.target_code = "TXFD6";
  c.exchange = "TAIFEX";
  c.unit = 1;
  c.multiplier = 200;
  c.reference = "23000";
  c.limit_up = "25300";
  c.limit_down = "20700";
  return c;
}

std::string fields(const std::vector<SpecDifference>& diffs) {
  std::string out;
  for (const SpecDifference& d : diffs) out += d.field + ";";
  return out;
}

TEST(ContractSync, ReadsTheBridgesContractLine) {
  BrokerContract c;
  std::string error;
  ASSERT_TRUE(parse_contract_line(
      R"({"code":"TXFR1","security_type":"FUT","exchange":"TAIFEX","target_code":"TXFD6",)"
      R"("name":"臺股期貨04","category":"TXF","delivery_month":"202604","delivery_date":)"
      R"("2026/04/15","update_date":"2026/04/01","unit":1,"multiplier":200,"reference":)"
      R"("23000","limit_up":"25300","limit_down":"20700","later_field":true})",
      c, &error))
      << error;
  EXPECT_EQ(c.code, "TXFR1");
  EXPECT_EQ(c.target_code, "TXFD6");
  EXPECT_EQ(c.name, "臺股期貨04");
  EXPECT_EQ(c.delivery_date, "2026/04/15");
  EXPECT_EQ(c.unit, 1);
  EXPECT_EQ(c.multiplier, 200);
  EXPECT_EQ(c.limit_down, "20700");
}

TEST(ContractSync, RefusesAContractLineItCannotReadAndSaysWhichField) {
  BrokerContract c;
  std::string error;
  EXPECT_FALSE(parse_contract_line("{not json", c, &error));
  EXPECT_EQ(error, "not a JSON object");
  EXPECT_FALSE(parse_contract_line(R"(["2330"])", c, &error));
  EXPECT_EQ(error, "not a JSON object");
  EXPECT_FALSE(parse_contract_line(R"({"code":"2330","unit":"1000"})", c, &error));
  EXPECT_EQ(error, "field 'unit': expected an integer");
  EXPECT_FALSE(parse_contract_line(R"({"code":2330})", c, &error));
  EXPECT_EQ(error, "field 'code': expected a string");
  EXPECT_FALSE(parse_contract_line(R"({"name":"TSMC"})", c, &error));
  EXPECT_EQ(error, "field 'code': missing");
}

TEST(ContractSync, TheBuiltInSpecsAgreeWithTheBrokersContracts) {
  EXPECT_EQ(fields(compare_contract(*builtin_contract("2330"), tsmc())), "");
  EXPECT_EQ(fields(compare_contract(*builtin_contract("TXFR1"), txf())), "");
}

TEST(ContractSync, NamesEveryFieldThatDiffers) {
  BrokerContract c = tsmc();
  c.exchange = "OTC";
  c.unit = 1;
  const auto diffs = compare_contract(*builtin_contract("2330"), c);
  ASSERT_EQ(fields(diffs), "exchange;lot_size;");
  EXPECT_EQ(diffs[0].ours, "TSE");
  EXPECT_EQ(diffs[0].broker, "OTC");
  EXPECT_EQ(diffs[1].ours, "1000");
  EXPECT_EQ(diffs[1].broker, "unit 1");

  BrokerContract f = txf();
  f.multiplier = 50;
  EXPECT_EQ(fields(compare_contract(*builtin_contract("TXFR1"), f)), "multiplier;");
  BrokerContract emerging = tsmc();
  emerging.exchange = "OES";  // an exchange we do not trade
  EXPECT_EQ(fields(compare_contract(*builtin_contract("2330"), emerging)), "exchange;");
}

TEST(ContractSync, ChecksTheLimitsOurPercentGivesFromTheBrokersReference) {
  BrokerContract c = tsmc();
  c.limit_up = "640";
  const auto diffs = compare_contract(*builtin_contract("2330"), c);
  ASSERT_EQ(fields(diffs), "limit_pct_bp;");
  EXPECT_EQ(diffs[0].ours, "1000 (527..643 from the reference 585)");
  EXPECT_EQ(diffs[0].broker, "527..640");
  ContractSpec seven = *builtin_contract("2330");
  seven.limit_pct_bp = 700;
  EXPECT_EQ(fields(compare_contract(seven, tsmc())), "limit_pct_bp;");
}

TEST(ContractSync, AReferenceOurScaleCannotHoldIsAPriceScaleDifference) {
  BrokerContract f = txf();
  f.reference = "23000.5";
  const auto diffs = compare_contract(*builtin_contract("TXFR1"), f);
  ASSERT_EQ(fields(diffs), "price_scale;");
  EXPECT_EQ(diffs[0].ours, "1");
  f.reference = "9223372036854775807";  // absurd: said, never overflowing the limit arithmetic
  EXPECT_EQ(fields(compare_contract(*builtin_contract("TXFR1"), f)), "price_scale;");
}

TEST(ContractSync, ContractDataCountsAsTodaysOnlyOnItsTaipeiDate) {
  BrokerContract c = tsmc();
  const Timestamp morning = taipei_to_utc(2026, 4, 1, 8, 30);      // 00:30 UTC
  const Timestamp next_morning = taipei_to_utc(2026, 4, 2, 7, 0);  // 04-01 23:00 UTC
  c.update_date = "2026/04/01";
  EXPECT_TRUE(updated_today(c, morning));
  EXPECT_FALSE(updated_today(c, next_morning)) << "Taipei's date, not UTC's";
  c.update_date = "2026/04/02";
  EXPECT_TRUE(updated_today(c, next_morning));
  for (const char* bad : {"", "2026-04-01", "2026/13/01", "2026/04/01x", "yesterday"}) {
    c.update_date = bad;
    EXPECT_FALSE(updated_today(c, morning)) << bad;
  }
}

TEST(ContractSync, FieldsTheBrokerLeavesEmptyAreNotChecked) {
  BrokerContract bare;
  bare.code = "2330";
  EXPECT_EQ(fields(compare_contract(*builtin_contract("2330"), bare)), "");
  BrokerContract no_limits = tsmc();
  no_limits.limit_up.clear();
  EXPECT_EQ(fields(compare_contract(*builtin_contract("2330"), no_limits)), "");
  BrokerContract stock_multiplier = tsmc();  // a stock's multiplier is not the lot's NTD value
  stock_multiplier.multiplier = 1;
  EXPECT_EQ(fields(compare_contract(*builtin_contract("2330"), stock_multiplier)), "");
}

}  // namespace
}  // namespace hft::engine
