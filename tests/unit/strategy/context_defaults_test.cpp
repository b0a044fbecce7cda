// Specification of the SDK's backwards-compatible Context additions: an engine that implements
// only the original six calls still works, and says "unsupported" rather than pretending.
#include <gtest/gtest.h>

#include "sdk_fake_context.hpp"

namespace hft::strategy::testing {
namespace {

TEST(ContextDefaults, SubmitOfALimitOrderGoesThroughPlace) {
  const SymbolTable symbols = txf_only();
  RecordingContext ctx(symbols);
  const PlaceResult r = ctx.submit(
      OrderRequest{0, Side::kSell, Price{20001}, 3, TimeInForce::kFOK, OrderType::kLimit});
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(ctx.orders.size(), 1u);
  EXPECT_EQ(ctx.orders[0].tif, TimeInForce::kFOK);
}

TEST(ContextDefaults, MarketOrdersAndReplaceAreUnsupported) {
  const SymbolTable symbols = txf_only();
  RecordingContext ctx(symbols);
  const PlaceResult r =
      ctx.submit(OrderRequest{0, Side::kBuy, Price{0}, 1, TimeInForce::kIOC, OrderType::kMarket});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.reject, kRejectUnsupported);
  EXPECT_FALSE(ctx.replace(1, Price{20000}, 1));
  EXPECT_TRUE(ctx.params().empty());
  EXPECT_EQ(ctx.depth(0, Side::kBuy, {}), 0u);
}

TEST(ContextDefaults, PositionInfoCarriesAtLeastTheQuantity) {
  const SymbolTable symbols = txf_only();
  RecordingContext ctx(symbols);
  ctx.set_position(0, -4);
  EXPECT_EQ(ctx.position_info(0).qty, -4);
}

TEST(Builtins, EveryBuiltinIsKnownByName) {
  const SymbolTable symbols = txf_only();
  for (const char* name : {"market_maker", "imbalance_taker", "twap", "noop"}) {
    std::string err;
    EXPECT_NE(make_builtin(name, {}, symbols, &err), nullptr) << name << ": " << err;
  }
  std::string err;
  EXPECT_EQ(make_builtin("momentum", {}, symbols, &err), nullptr);
  EXPECT_NE(err.find("imbalance_taker"), std::string::npos) << err;
}

}  // namespace
}  // namespace hft::strategy::testing
