// Writing a strategy as a shared library (`hft backtest run --strategy-lib libmine.so`, and the
// same .so live). In one .cpp of the library:
//
//   #include "hft/strategy/plugin.hpp"
//   class Mine final : public hft::strategy::Strategy { ... };
//   HFT_EXPORT_STRATEGY(Mine)   // Mine must be constructible from (const hft::strategy::Params&)
//
// The macro exports three C functions the loader looks up:
//   hft_strategy_abi()          the ABI stamp the library was built with (checked first);
//   hft_create_strategy(params) a new strategy (nullptr, or throwing, refuses the parameters);
//   hft_destroy_strategy(s)     deletes it inside the library that allocated it.
// The stamp changes whenever a type that crosses the boundary changes layout, so a library
// built against other headers is refused with a clear message instead of crashing.
#pragma once

#include <cstdint>

#include "hft/strategy/strategy.hpp"

namespace hft::strategy {

/// Bump when Strategy's or Context's virtual functions change (order, signature, new ones).
inline constexpr std::uint32_t kPluginAbiVersion = 1;

/// Version in the high 16 bits; the low 16 mix the sizes of the types that cross the boundary
/// and the libstdc++ string ABI.
constexpr std::uint64_t plugin_abi_stamp() {
  std::uint64_t h = 1469598103934665603ull;
  const std::uint64_t parts[] = {
      sizeof(lob::BookStats),     sizeof(ExecReport), sizeof(TradeEvent),   sizeof(OrderRequest),
      sizeof(PositionInfo),       sizeof(Params),     sizeof(ContractSpec), sizeof(TickLadder),
#ifdef _GLIBCXX_USE_CXX11_ABI
      _GLIBCXX_USE_CXX11_ABI + 7u
#else
                                 7u
#endif
  };
  for (const std::uint64_t p : parts) h = (h ^ p) * 1099511628211ull;
  return (static_cast<std::uint64_t>(kPluginAbiVersion) << 48) | (h & 0xFFFFFFFFFFFFull);
}

}  // namespace hft::strategy

#define HFT_EXPORT_STRATEGY(Type)                                                      \
  extern "C" __attribute__((visibility("default"))) std::uint64_t hft_strategy_abi() { \
    return ::hft::strategy::plugin_abi_stamp();                                        \
  }                                                                                    \
  extern "C" __attribute__((visibility("default"))) ::hft::strategy::Strategy*         \
  hft_create_strategy(const ::hft::strategy::Params& params) {                         \
    return new Type(params);                                                           \
  }                                                                                    \
  extern "C" __attribute__((visibility("default"))) void hft_destroy_strategy(         \
      ::hft::strategy::Strategy* s) {                                                  \
    delete s;                                                                          \
  }
