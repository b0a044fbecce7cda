// hft::ipc — communication between processes through /dev/shm. Parts:
//   shm_segment.hpp  ShmSegment: named 0600 segment with a checked header (magic, version, kind,
//                    element size, capacity, producer pid + heartbeat); stale-segment reclaim.
//   shm_ring.hpp     ShmSpscRing<T>: bus::SpscRing's code over a segment (bridge <-> engine).
//   kill_switch.hpp  KillSwitch: the flag `hft kill` flips and the hot loop checks.
#pragma once

#include "hft/ipc/kill_switch.hpp"
#include "hft/ipc/shm_ring.hpp"
#include "hft/ipc/shm_segment.hpp"
