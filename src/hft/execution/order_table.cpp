#include "hft/execution/order_table.hpp"

namespace hft::execution {

OrderTable::OrderTable(std::size_t max_orders) : max_orders_(max_orders) {
  std::size_t cap = 16;
  while (cap < max_orders * 2) cap <<= 1;
  slots_.resize(cap);
  mask_ = cap - 1;
}

WorkingOrder* OrderTable::insert(const WorkingOrder& order) {
  if (order.id == 0 || size_ >= max_orders_) return nullptr;
  for (std::size_t i = slot_of(order.id);; i = (i + 1) & mask_) {
    if (slots_[i].id == 0 || slots_[i].id == order.id) {
      if (slots_[i].id == 0) ++size_;
      slots_[i] = order;
      return &slots_[i];
    }
  }
}

WorkingOrder* OrderTable::find(ClientOrderId id) {
  if (id == 0) return nullptr;
  for (std::size_t i = slot_of(id);; i = (i + 1) & mask_) {
    if (slots_[i].id == id) return &slots_[i];
    if (slots_[i].id == 0) return nullptr;
  }
}

void OrderTable::erase(ClientOrderId id) {
  if (id == 0) return;  // 0 marks an empty slot: searching for it would "find" a hole
  std::size_t i = slot_of(id);
  while (slots_[i].id != id) {
    if (slots_[i].id == 0) return;
    i = (i + 1) & mask_;
  }
  // Backward-shift deletion keeps every probe chain intact without tombstones.
  std::size_t hole = i;
  for (std::size_t j = (hole + 1) & mask_; slots_[j].id != 0; j = (j + 1) & mask_) {
    const std::size_t home = slot_of(slots_[j].id);
    const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
    if (movable) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = WorkingOrder{};
  --size_;
}

}  // namespace hft::execution
