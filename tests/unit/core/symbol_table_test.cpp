// Specification of the start-up symbol table (hft/core/symbol_table.hpp).
#include "hft/core/symbol_table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hft {
namespace {

ContractSpec builtin(const char* code) { return builtin_contract(code).value_or(ContractSpec{}); }

TEST(SymbolTable, StartsEmpty) {
  SymbolTable t;
  EXPECT_EQ(t.size(), 0u);
  EXPECT_FALSE(t.find("2330"));
}

TEST(SymbolTable, AssignsDenseIdsInInsertionOrder) {
  SymbolTable t;
  const char* codes[] = {"2330", "0050", "TXFD6", "MXFR1", "TXO18000R3"};
  for (std::size_t i = 0; i < std::size(codes); ++i) {
    const auto id = t.add(builtin(codes[i]));
    ASSERT_TRUE(id) << codes[i];
    EXPECT_EQ(*id, i);
  }
  EXPECT_EQ(t.size(), std::size(codes));
}

TEST(SymbolTable, FindReturnsTheIdOfEachCode) {
  SymbolTable t;
  t.add(builtin("2330"));
  t.add(builtin("TXFD6"));
  EXPECT_EQ(t.find("2330"), SymbolId{0});
  EXPECT_EQ(t.find("TXFD6"), SymbolId{1});
}

TEST(SymbolTable, FindOfUnknownCodeIsEmpty) {
  SymbolTable t;
  t.add(builtin("2330"));
  EXPECT_FALSE(t.find("2317"));
  EXPECT_FALSE(t.find(""));
  EXPECT_FALSE(t.find("2330 "));
}

TEST(SymbolTable, KeepsSpecAndLadderPerId) {
  SymbolTable t;
  const SymbolId stock = *t.add(builtin("2330"));
  const SymbolId fut = *t.add(builtin("TXFD6"));
  EXPECT_EQ(t.spec(stock).code, "2330");
  EXPECT_EQ(t.spec(fut).multiplier, 200);
  EXPECT_EQ(t.ladder(stock).rule(), TickRule::kStock);
  EXPECT_EQ(t.ladder(stock).price_scale(), 100);
  EXPECT_EQ(t.ladder(fut).rule(), TickRule::kIndexFuture);
  EXPECT_EQ(t.ladder(fut).price_scale(), 1);
}

TEST(SymbolTable, RejectsDuplicateCodeAndNamesIt) {
  SymbolTable t;
  ASSERT_TRUE(t.add(builtin("2330")));
  std::string error;
  EXPECT_FALSE(t.add(builtin("2330"), &error));
  EXPECT_EQ(error, "2330: duplicate symbol");
  EXPECT_EQ(t.size(), 1u);
}

TEST(SymbolTable, RejectsInvalidSpecWithTheReason) {
  SymbolTable t;
  ContractSpec bad = builtin("2330");
  bad.price_scale = 10;
  std::string error;
  EXPECT_FALSE(t.add(bad, &error));
  EXPECT_EQ(error.rfind("2330: ", 0), 0u) << error;
  EXPECT_NE(error.find("tick ladder"), std::string::npos) << error;
  EXPECT_EQ(t.size(), 0u);
  EXPECT_FALSE(t.find("2330"));
}

TEST(SymbolTable, RejectedSpecDoesNotConsumeAnId) {
  SymbolTable t;
  ContractSpec bad = builtin("2317");
  bad.multiplier = 0;
  EXPECT_FALSE(t.add(bad));  // no error pointer: must not crash
  EXPECT_EQ(t.add(builtin("2330")), SymbolId{0});
}

TEST(SymbolTable, RejectsMoreThanMaxSymbols) {
  SymbolTable t;
  ContractSpec spec = builtin("TXFD6");
  for (std::size_t i = 0; i < kMaxSymbols; ++i) {
    spec.code = "S" + std::to_string(i);
    ASSERT_EQ(t.add(spec), static_cast<SymbolId>(i));
  }
  spec.code = "ONE_TOO_MANY";
  std::string error;
  EXPECT_FALSE(t.add(spec, &error));
  EXPECT_EQ(error, "ONE_TOO_MANY: more than 4096 symbols");
  EXPECT_EQ(t.size(), kMaxSymbols);
  EXPECT_EQ(t.find("S4095"), static_cast<SymbolId>(4095));
}

}  // namespace
}  // namespace hft
