// hft::bus — in-process event transport between threads. Parts:
//   spsc_ring.hpp      SpscRing<T> / SpscRingView<T>: single producer, single consumer; the spine
//                      of the hot path (raw, exec, order rings). Batch and blocking variants.
//   broadcast_bus.hpp  BroadcastBus<T>: one producer, N consumers, each gating or lossy.
//   wait_strategy.hpp  WaitStrategy: busy-spin, spin-then-yield, blocking (futex).
// Every ring exposes RingMetrics (depth, high-water, full, dropped) for the exporter.
#pragma once

#include "hft/bus/broadcast_bus.hpp"
#include "hft/bus/spsc_ring.hpp"
#include "hft/bus/wait_strategy.hpp"
