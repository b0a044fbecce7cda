#include "hft/ipc/shm_ring.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <array>
#include <cstdint>

#include "unit/bus/stress_size.hpp"
#include "unit/ipc/ipc_test_util.hpp"

namespace hft::ipc {
namespace {

using test::ShmCleanup;
using test::unique_shm_name;
using test::wait_child;

struct Msg {
  std::uint64_t seq;
  std::uint64_t check;
  std::array<std::uint64_t, 6> pad;
};

TEST(ShmSegment, IsCreatedWithMode0600) {
  const std::string name = unique_shm_name("mode");
  ShmCleanup cleanup{name};
  ::umask(0);  // even with a permissive umask
  auto ring = ShmSpscRing<Msg>::create(name, 16);
  ::umask(022);
  struct stat st {};
  ASSERT_EQ(::stat(("/dev/shm/" + name).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(ring.capacity(), 16u);
  EXPECT_EQ(ring.segment().header().producer_pid.load(), getpid());
}

TEST(ShmSegment, IsRemovedWhenTheProducerCloses) {
  const std::string name = unique_shm_name("close");
  ShmCleanup cleanup{name};
  {
    auto ring = ShmSpscRing<Msg>::create(name, 16);
    EXPECT_TRUE(ShmSegment::exists(name));
  }
  EXPECT_FALSE(ShmSegment::exists(name));
}

TEST(ShmSegment, AttachingToAMissingSegmentSaysSo) {
  const std::string name = unique_shm_name("missing");
  try {
    ShmSpscRing<Msg>::attach(name);
    FAIL() << "attach succeeded";
  } catch (const IpcError& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
}

TEST(ShmSegment, AttachRejectsADifferentElementSize) {
  const std::string name = unique_shm_name("esize");
  ShmCleanup cleanup{name};
  auto producer = ShmSpscRing<Msg>::create(name, 16);
  try {
    ShmSpscRing<std::uint64_t>::attach(name);
    FAIL() << "attach succeeded";
  } catch (const IpcError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("element size is 64 bytes, expected 8 bytes"), std::string::npos) << msg;
    EXPECT_NE(msg.find(name), std::string::npos) << msg;
  }
}

TEST(ShmSegment, AttachRejectsADifferentTypeTag) {
  const std::string name = unique_shm_name("tag");
  ShmCleanup cleanup{name};
  auto producer = ShmSpscRing<Msg>::create(name, 16, {}, 111);
  EXPECT_THROW(ShmSpscRing<Msg>::attach(name, {}, 222), IpcError);
  EXPECT_NO_THROW(ShmSpscRing<Msg>::attach(name, {}, 111));
}

TEST(ShmSegment, AttachRejectsADifferentLayoutVersion) {
  const std::string name = unique_shm_name("version");
  ShmCleanup cleanup{name};
  auto producer = ShmSpscRing<Msg>::create(name, 16);
  producer.segment().header().version = kShmVersion + 1;  // as if written by another build
  try {
    ShmSpscRing<Msg>::attach(name);
    FAIL() << "attach succeeded";
  } catch (const IpcError& e) {
    EXPECT_NE(std::string(e.what()).find("layout version is " + std::to_string(kShmVersion + 1) +
                                         ", expected " + std::to_string(kShmVersion)),
              std::string::npos)
        << e.what();
  }
}

TEST(ShmSegment, AttachRejectsSomethingThatIsNotAnHftSegment) {
  const std::string name = unique_shm_name("garbage");
  ShmCleanup cleanup{name};
  const int fd = shm_open(("/" + name).c_str(), O_CREAT | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, 4096), 0);
  close(fd);
  try {
    ShmSpscRing<Msg>::attach(name);
    FAIL() << "attach succeeded";
  } catch (const IpcError& e) {
    EXPECT_NE(std::string(e.what()).find("magic"), std::string::npos) << e.what();
  }
}

TEST(ShmSegment, SecondProducerIsRefusedWhileTheFirstLives) {
  const std::string name = unique_shm_name("dup");
  ShmCleanup cleanup{name};
  auto first = ShmSpscRing<Msg>::create(name, 16);
  try {
    ShmSpscRing<Msg>::create(name, 16);
    FAIL() << "second create succeeded";
  } catch (const IpcError& e) {
    EXPECT_NE(std::string(e.what()).find("in use by live producer pid " + std::to_string(getpid())),
              std::string::npos)
        << e.what();
  }
}

// Forks a producer that creates the ring, pushes `n` items, reports through a pipe and waits to
// be killed. Returns its pid.
pid_t fork_producer_then_wait(const std::string& name, std::uint64_t n) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    try {
      auto ring = ShmSpscRing<Msg>::create(name, 64);
      for (std::uint64_t i = 0; i < n; ++i) {
        if (!ring.try_push(Msg{i, ~i, {}})) _exit(3);
      }
      const char ok = 'k';
      if (write(fds[1], &ok, 1) != 1) _exit(4);
      for (;;) pause();  // until SIGKILL: no destructor runs, like a crash
    } catch (...) {
      _exit(2);
    }
  }
  close(fds[1]);
  char c = 0;
  const bool ready = read(fds[0], &c, 1) == 1;
  close(fds[0]);
  return ready ? pid : -1;
}

TEST(ShmSegment, StaleSegmentOfAKilledProducerIsRefusedThenReclaimed) {
  const std::string name = unique_shm_name("stale");
  ShmCleanup cleanup{name};
  const pid_t child = fork_producer_then_wait(name, 5);
  ASSERT_GT(child, 0);
  ASSERT_EQ(kill(child, SIGKILL), 0);
  EXPECT_EQ(wait_child(child), 128 + SIGKILL);
  ASSERT_TRUE(ShmSegment::exists(name));  // a crash leaves the segment behind
  try {
    ShmSpscRing<Msg>::attach(name);
    FAIL() << "attached to a stale segment";
  } catch (const IpcError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("stale"), std::string::npos) << msg;
    EXPECT_NE(msg.find(std::to_string(child)), std::string::npos) << msg;
  }
  auto reborn = ShmSpscRing<Msg>::create(name, 64);  // the next producer reclaims the name
  EXPECT_EQ(reborn.segment().header().producer_pid.load(), getpid());
  EXPECT_TRUE(reborn.empty());
}

TEST(ShmSpscRing, ConsumerDrainsThenNoticesItsProducerDied) {
  const std::string name = unique_shm_name("dead");
  ShmCleanup cleanup{name};
  const pid_t child = fork_producer_then_wait(name, 40);
  ASSERT_GT(child, 0);
  auto consumer = ShmSpscRing<Msg>::attach(name, bus::WaitStrategy::blocking(100));
  EXPECT_TRUE(consumer.producer_alive());
  ASSERT_EQ(kill(child, SIGKILL), 0);
  ASSERT_EQ(wait_child(child), 128 + SIGKILL);
  EXPECT_FALSE(consumer.producer_alive());
  Msg m{};
  for (std::uint64_t i = 0; i < 40; ++i) {
    ASSERT_TRUE(consumer.pop_or_dead(m));
    EXPECT_EQ(m.seq, i);
  }
  EXPECT_FALSE(consumer.pop_or_dead(m));  // drained, producer gone: returns instead of hanging
}

TEST(ShmSpscRing, ConsumerNoticesAProducerKilledMidStream) {
  const std::string name = unique_shm_name("midrun");
  ShmCleanup cleanup{name};
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    auto ring = ShmSpscRing<Msg>::create(name, 256);
    const char ok = 'k';
    if (write(fds[1], &ok, 1) != 1) _exit(4);
    for (std::uint64_t i = 0;; ++i) ring.push(Msg{i, ~i, {}});  // runs until killed
  }
  close(fds[1]);
  char c = 0;
  ASSERT_EQ(read(fds[0], &c, 1), 1);
  close(fds[0]);
  auto consumer = ShmSpscRing<Msg>::attach(name, bus::WaitStrategy::spin_yield(100));
  Msg m{};
  std::uint64_t expect = 0;
  bool ok = true;
  while (expect < 10'000 && consumer.pop_or_dead(m)) ok &= m.seq == expect++;
  kill(child, SIGKILL);
  ASSERT_EQ(wait_child(child), 128 + SIGKILL);
  while (consumer.pop_or_dead(m)) ok &= m.seq == expect++;  // what it pushed before dying
  EXPECT_TRUE(ok);
  EXPECT_GE(expect, 10'000u);
}

TEST(ShmSpscRing, TwoProcessesExchangeMillionsOfItemsInOrder) {
  const std::string name = unique_shm_name("xproc");
  ShmCleanup cleanup{name};
  const std::uint64_t total = test::stress_items(30'000);
  auto producer = ShmSpscRing<Msg>::create(name, 1024);
  const pid_t child = fork();
  if (child == 0) {
    int rc = 0;
    try {
      auto consumer = ShmSpscRing<Msg>::attach(name);
      std::array<Msg, 32> batch{};
      std::uint64_t expect = 0;
      while (expect < total) {
        const std::size_t n = consumer.try_pop_n(batch.data(), 1 + expect % 32);
        for (std::size_t i = 0; i < n; ++i, ++expect) {
          if (batch[i].seq != expect || batch[i].check != ~expect) rc = 3;
        }
        if (n == 0) bus::cpu_relax();
      }
      Msg extra{};
      if (consumer.try_pop(extra)) rc = 4;
    } catch (...) {
      rc = 2;
    }
    _exit(rc);
  }
  for (std::uint64_t i = 0; i < total; ++i) {
    while (!producer.try_push(Msg{i, ~i, {}})) bus::cpu_relax();
  }
  EXPECT_EQ(wait_child(child), 0);
  EXPECT_EQ(producer.pushed(), total);
  EXPECT_TRUE(producer.empty());
}

TEST(ShmSpscRing, BlockingStrategyWakesAcrossProcesses) {
  const std::string name = unique_shm_name("futex");
  ShmCleanup cleanup{name};
  auto producer = ShmSpscRing<Msg>::create(name, 8, bus::WaitStrategy::blocking(10));
  const pid_t child = fork();
  if (child == 0) {
    auto consumer = ShmSpscRing<Msg>::attach(name, bus::WaitStrategy::blocking(10));
    Msg m{};
    for (std::uint64_t i = 0; i < 100; ++i) {
      if (!consumer.pop_or_dead(m) || m.seq != i) _exit(3);
    }
    _exit(0);
  }
  for (std::uint64_t i = 0; i < 100; ++i) {
    if (i % 10 == 0) usleep(2000);  // let the consumer fall asleep on the futex
    producer.push(Msg{i, ~i, {}});
  }
  EXPECT_EQ(wait_child(child), 0);
}

}  // namespace
}  // namespace hft::ipc
