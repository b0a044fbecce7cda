// Specification of execution::OrderTable: a fixed-capacity open-addressing table of working
// orders keyed by client order id, with backward-shift deletion (no tombstones).
#include "hft/execution/order_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

namespace hft::execution {
namespace {

WorkingOrder order(ClientOrderId id, Qty qty = 1) {
  WorkingOrder o;
  o.id = id;
  o.side = Side::kBuy;
  o.price = Price{20000};
  o.qty = qty;
  o.leaves = qty;
  return o;
}

// Ids whose home slot is `home` in a table of `capacity` slots. Mirrors the table's hash
// (Fibonacci hashing, bits from 20 up) only to build the worst case: one long probe chain.
std::vector<ClientOrderId> ids_homed_at(std::size_t home, std::size_t capacity, std::size_t n) {
  std::vector<ClientOrderId> ids;
  for (ClientOrderId id = 1; ids.size() < n; ++id) {
    if ((static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ULL) >> 20) & (capacity - 1)) == home) {
      ids.push_back(id);
    }
  }
  return ids;
}

TEST(OrderTable, FindsWhatWasInserted) {
  OrderTable t(8);
  WorkingOrder* p = t.insert(order(42, 3));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->id, 42U);
  WorkingOrder* f = t.find(42);
  ASSERT_EQ(f, p);
  EXPECT_EQ(f->qty, 3);
  EXPECT_EQ(t.size(), 1U);
  EXPECT_EQ(t.find(43), nullptr);
}

TEST(OrderTable, FoundOrderCanBeUpdatedInPlace) {
  OrderTable t(8);
  t.insert(order(7, 5));
  t.find(7)->leaves = 2;
  EXPECT_EQ(t.find(7)->leaves, 2);
}

TEST(OrderTable, EraseRemovesOnlyThatOrder) {
  OrderTable t(8);
  t.insert(order(1));
  t.insert(order(2));
  t.erase(1);
  EXPECT_EQ(t.find(1), nullptr);
  EXPECT_NE(t.find(2), nullptr);
  EXPECT_EQ(t.size(), 1U);
}

TEST(OrderTable, EraseOfAnUnknownIdChangesNothing) {
  OrderTable t(8);
  t.insert(order(1));
  t.erase(99);
  EXPECT_EQ(t.size(), 1U);
  EXPECT_NE(t.find(1), nullptr);
}

TEST(OrderTable, IdZeroIsNeverStoredFoundOrErased) {
  OrderTable t(8);
  EXPECT_EQ(t.insert(order(0)), nullptr);
  EXPECT_EQ(t.find(0), nullptr);
  t.insert(order(5));
  t.erase(0);
  EXPECT_EQ(t.size(), 1U);
  EXPECT_NE(t.find(5), nullptr);
}

TEST(OrderTable, FullTableRefusesANewOrder) {
  OrderTable t(4);
  for (ClientOrderId id = 1; id <= 4; ++id) ASSERT_NE(t.insert(order(id)), nullptr);
  EXPECT_EQ(t.insert(order(5)), nullptr);
  EXPECT_EQ(t.size(), 4U);
  t.erase(2);
  EXPECT_NE(t.insert(order(5)), nullptr) << "room again after an erase";
}

TEST(OrderTable, ErasingFromTheMiddleOfACollisionChainKeepsTheRestFindable) {
  OrderTable t(8);  // 16 slots
  const std::vector<ClientOrderId> chain = ids_homed_at(3, 16, 8);
  for (ClientOrderId id : chain) ASSERT_NE(t.insert(order(id)), nullptr);
  t.erase(chain[2]);
  t.erase(chain[5]);
  for (std::size_t k = 0; k < chain.size(); ++k) {
    if (k == 2 || k == 5) {
      EXPECT_EQ(t.find(chain[k]), nullptr);
    } else {
      EXPECT_NE(t.find(chain[k]), nullptr) << "chain position " << k;
    }
  }
  EXPECT_EQ(t.size(), 6U);
}

TEST(OrderTable, ChainThatWrapsPastTheLastSlotSurvivesErasure) {
  OrderTable t(8);  // 16 slots: a chain homed at 14 runs 14, 15, 0, 1, ...
  const std::vector<ClientOrderId> wrapped = ids_homed_at(14, 16, 5);
  const std::vector<ClientOrderId> at_zero = ids_homed_at(0, 16, 2);
  for (ClientOrderId id : wrapped) ASSERT_NE(t.insert(order(id)), nullptr);
  for (ClientOrderId id : at_zero) ASSERT_NE(t.insert(order(id)), nullptr);
  t.erase(wrapped[0]);
  t.erase(wrapped[3]);
  for (ClientOrderId id : {wrapped[1], wrapped[2], wrapped[4], at_zero[0], at_zero[1]}) {
    EXPECT_NE(t.find(id), nullptr) << id;
  }
  EXPECT_EQ(t.find(wrapped[0]), nullptr);
  EXPECT_EQ(t.find(wrapped[3]), nullptr);
}

TEST(OrderTable, ForEachVisitsEveryWorkingOrderOnce) {
  OrderTable t(8);
  for (ClientOrderId id : {3, 9, 27}) t.insert(order(id));
  t.erase(9);
  std::vector<ClientOrderId> seen;
  t.for_each([&](WorkingOrder& o) { seen.push_back(o.id); });
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<ClientOrderId>{3, 27}));
}

TEST(OrderTable, AgreesWithUnorderedMapOverRandomOperations) {
  constexpr std::size_t kMax = 64;
  OrderTable t(kMax);
  std::unordered_map<ClientOrderId, Qty> oracle;
  std::mt19937_64 rng(12345);
  // Few distinct ids so that re-inserts, erases of absent ids and a full table all happen.
  std::uniform_int_distribution<ClientOrderId> any_id(1, 160);
  std::uniform_int_distribution<int> op(0, 2);
  for (int i = 0; i < 100'000; ++i) {
    const ClientOrderId id = any_id(rng);
    const Qty qty = i;
    switch (op(rng)) {
      case 0: {
        if (oracle.size() >= kMax && !oracle.contains(id)) {
          ASSERT_EQ(t.insert(order(id, qty)), nullptr) << "op " << i;
        } else if (oracle.size() < kMax) {
          ASSERT_NE(t.insert(order(id, qty)), nullptr) << "op " << i;
          oracle[id] = qty;
        }
        break;
      }
      case 1:
        t.erase(id);
        oracle.erase(id);
        break;
      default: {
        WorkingOrder* f = t.find(id);
        auto it = oracle.find(id);
        ASSERT_EQ(f != nullptr, it != oracle.end()) << "op " << i << " id " << id;
        if (f != nullptr) {
          ASSERT_EQ(f->qty, it->second) << "op " << i;
        }
      }
    }
    ASSERT_EQ(t.size(), oracle.size()) << "op " << i;
  }
  for (const auto& [id, qty] : oracle) {
    ASSERT_NE(t.find(id), nullptr);
    EXPECT_EQ(t.find(id)->qty, qty);
  }
}

}  // namespace
}  // namespace hft::execution
