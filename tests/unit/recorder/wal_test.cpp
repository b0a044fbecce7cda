// WAL writer/reader behaviour: format round trip, sequence, rotation, recovery, corruption.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "hft/core/clock.hpp"
#include "hft/recorder/wal_writer.hpp"
#include "unit/recorder/wal_test_util.hpp"

namespace hft::recorder {
namespace {

using test::TempDir;

WalOptions options(const std::string& dir) {
  WalOptions o;
  o.dir = dir;
  o.fsync = FsyncPolicy::kNone;
  return o;
}

void write_trades(const WalOptions& o, std::uint32_t n, std::uint32_t first = 1) {
  WalWriter w(o);
  ASSERT_EQ(w.open(), "");
  for (std::uint32_t i = 0; i < n; ++i) {
    const TradeEvent e = test::trade(first + i);
    w.append(EventType::kTrade, &e, sizeof e);
  }
  ASSERT_TRUE(w.flush(0));
  w.close();
}

TEST(WalFormat, SegmentNameCarriesFirstSeqAndUtcStartTime) {
  // 2025-01-02 01:30:00 UTC
  const std::string name = wal::segment_file_name(42, 1'735'781'400'000'000'000);
  EXPECT_EQ(name, "wal-00000000000000000042-20250102T013000Z.seg");
  std::uint64_t seq = 0;
  ASSERT_TRUE(wal::parse_segment_file_name(name, seq));
  EXPECT_EQ(seq, 42u);
  EXPECT_FALSE(wal::parse_segment_file_name("MANIFEST", seq));
}

TEST(WalWriter, SequenceContinuesAcrossRestart) {
  TempDir tmp;
  write_trades(options(tmp.wal()), 10);
  WalWriter w(options(tmp.wal()));
  ASSERT_EQ(w.open(), "");
  EXPECT_EQ(w.recovery().last_seq, 10u);
  EXPECT_EQ(w.next_seq(), 11u);
  const TradeEvent e = test::trade(11);
  w.append(EventType::kTrade, &e, sizeof e);
  w.close();

  std::vector<WalIssue> issues;
  const auto seqs = test::read_seqs(tmp.wal(), &issues);
  ASSERT_EQ(seqs.size(), 11u);
  for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1);
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(test::segment_paths(tmp.wal()).size(), 2u);  // each start opens a new segment
}

TEST(WalWriter, EmptyRunLeavesNoSegment) {
  TempDir tmp;
  {
    WalWriter w(options(tmp.wal()));
    ASSERT_EQ(w.open(), "");
  }
  EXPECT_TRUE(test::segment_paths(tmp.wal()).empty());
  EXPECT_TRUE(std::filesystem::exists(tmp.wal() + "/MANIFEST"));
}

TEST(WalWriter, RotatesBySize) {
  TempDir tmp;
  WalOptions o = options(tmp.wal());
  // Header (64) + 10 records of 24 + 64 bytes.
  o.segment_bytes = 64 + 10 * 88;
  write_trades(o, 35);
  const auto segs = test::segment_paths(tmp.wal());
  ASSERT_EQ(segs.size(), 4u);
  EXPECT_EQ(std::filesystem::file_size(segs[0]), o.segment_bytes);
  EXPECT_NE(segs[1].find("wal-00000000000000000011-"), std::string::npos);
  const auto seqs = test::read_seqs(tmp.wal());
  ASSERT_EQ(seqs.size(), 35u);
  EXPECT_EQ(seqs.back(), 35u);

  std::ifstream manifest(tmp.wal() + "/MANIFEST");
  std::string text((std::istreambuf_iterator<char>(manifest)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("first_seq 31 last_seq 35 records 5"), std::string::npos) << text;
  EXPECT_EQ(text.find("state open"), std::string::npos) << text;
}

TEST(WalWriter, RotatesByAge) {
  TempDir tmp;
  WalOptions o = options(tmp.wal());
  o.segment_max_age_ms = 1000;
  WalWriter w(o);
  ASSERT_EQ(w.open(), "");
  const std::int64_t t0 = mono_ns();
  const TradeEvent e = test::trade(1);
  w.append(EventType::kTrade, &e, sizeof e);
  ASSERT_TRUE(w.flush(t0));
  w.tick(t0 + 500'000'000);
  EXPECT_EQ(w.segments_opened(), 1u);
  w.tick(t0 + 1'500'000'000);
  EXPECT_EQ(w.segments_opened(), 2u);
  w.append(EventType::kTrade, &e, sizeof e);
  w.close();
  EXPECT_EQ(test::segment_paths(tmp.wal()).size(), 2u);
}

TEST(WalWriter, KeepsTheBatchAndRetriesAfterAFailedSegmentOpen) {
  TempDir tmp;
  WalOptions o = options(tmp.wal());
  o.segment_bytes = 64 + 2 * 88;
  WalWriter w(o);
  ASSERT_EQ(w.open(), "");
  TradeEvent e = test::trade(1);
  w.append(EventType::kTrade, &e, sizeof e);
  w.append(EventType::kTrade, &e, sizeof e);
  ASSERT_TRUE(w.flush(0));
  // The directory disappears: rotating to a new segment fails, the record stays in memory.
  std::filesystem::rename(tmp.wal(), tmp.path() + "/away");
  w.append(EventType::kTrade, &e, sizeof e);
  EXPECT_FALSE(w.flush(0));
  EXPECT_GT(w.write_errors(), 0u);
  std::filesystem::rename(tmp.path() + "/away", tmp.wal());
  EXPECT_TRUE(w.flush(0));
  w.close();
  std::vector<WalIssue> issues;
  EXPECT_EQ(test::read_seqs(tmp.wal(), &issues), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_TRUE(issues.empty());
  EXPECT_NE(test::segment_paths(tmp.wal()).back().find("wal-00000000000000000003-"),
            std::string::npos);
}

TEST(WalWriter, FsyncEveryBatchCountsFsyncs) {
  TempDir tmp;
  WalOptions o = options(tmp.wal());
  o.fsync = FsyncPolicy::kEveryBatch;
  WalWriter w(o);
  ASSERT_EQ(w.open(), "");
  const TradeEvent e = test::trade(1);
  for (int i = 0; i < 3; ++i) {
    w.append(EventType::kTrade, &e, sizeof e);
    ASSERT_TRUE(w.flush(mono_ns()));
  }
  EXPECT_EQ(w.batches(), 3u);
  EXPECT_GE(w.fsyncs(), 3u);
  EXPECT_GT(w.fsync_ns_total(), 0u);
}

TEST(WalRecovery, TornTailIsReportedThenTruncatedAndSequenceContinues) {
  TempDir tmp;
  write_trades(options(tmp.wal()), 20);
  const std::string seg = test::segment_paths(tmp.wal()).at(0);
  const auto full = std::filesystem::file_size(seg);
  std::filesystem::resize_file(seg, full - 40);  // cut the last record in half

  std::vector<WalIssue> issues;
  EXPECT_EQ(test::read_seqs(tmp.wal(), &issues).size(), 19u);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].kind, WalIssue::Kind::kTornTail);
  EXPECT_EQ(issues[0].offset, 64u + 19 * 88);
  EXPECT_FALSE(issues[0].is_corruption());

  WalWriter w(options(tmp.wal()));
  ASSERT_EQ(w.open(), "");
  EXPECT_EQ(w.recovery().truncated_bytes, 48u);
  EXPECT_EQ(w.next_seq(), 20u);
  const TradeEvent e = test::trade(20);
  w.append(EventType::kTrade, &e, sizeof e);
  w.close();
  const auto seqs = test::read_seqs(tmp.wal(), &issues);
  EXPECT_EQ(seqs.size(), 20u);
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(std::filesystem::file_size(seg), full - 88);
}

TEST(WalRecovery, SegmentWithPartialHeaderIsRemoved) {
  TempDir tmp;
  write_trades(options(tmp.wal()), 5);
  {
    std::ofstream f(tmp.wal() + "/" + wal::segment_file_name(6, 1'735'781'400'000'000'000),
                    std::ios::binary);
    f.write("HFTW", 4);
  }
  WalWriter w(options(tmp.wal()));
  ASSERT_EQ(w.open(), "");
  EXPECT_EQ(w.recovery().removed_empty_segments, 1u);
  EXPECT_EQ(w.next_seq(), 6u);
}

TEST(WalReader, FlippedByteInMiddleSegmentIsReportedWithLocationRestReadable) {
  TempDir tmp;
  WalOptions o = options(tmp.wal());
  o.segment_bytes = 64 + 10 * 88;
  write_trades(o, 30);
  const auto segs = test::segment_paths(tmp.wal());
  ASSERT_EQ(segs.size(), 3u);
  const std::uint64_t bad_record = 64 + 4 * 88;    // 5th record of segment 2: seq 15
  test::flip_byte(segs[1], bad_record + 24 + 30);  // inside its payload

  WalReader r(tmp.wal());
  ASSERT_EQ(r.open(), "");
  WalRecord rec;
  std::vector<std::uint64_t> seqs;
  while (r.next(rec)) {
    seqs.push_back(rec.seq);
    TradeEvent e;
    ASSERT_TRUE(rec.as(e));
    EXPECT_EQ(e.price.v, 2'000'000 + static_cast<std::int64_t>(rec.seq));
  }
  EXPECT_EQ(seqs.size(), 29u);
  EXPECT_TRUE(r.corrupt());
  ASSERT_EQ(r.issues().size(), 2u);
  const WalIssue& c = r.issues()[0];
  EXPECT_EQ(c.kind, WalIssue::Kind::kCorruptRecord);
  EXPECT_EQ(c.segment, std::filesystem::path(segs[1]).filename().string());
  EXPECT_EQ(c.offset, bad_record);
  EXPECT_EQ(c.bytes, 88u);
  EXPECT_NE(c.to_string().find("offset 416: corrupt record"), std::string::npos) << c.to_string();
  EXPECT_EQ(r.issues()[1].kind, WalIssue::Kind::kSequenceGap);
  EXPECT_EQ(r.issues()[1].seq_from, 15u);
  EXPECT_EQ(r.issues()[1].seq_to, 15u);
}

TEST(WalReader, DamagedLengthFieldResynchronisesOnNextRecord) {
  TempDir tmp;
  write_trades(options(tmp.wal()), 10);
  const std::string seg = test::segment_paths(tmp.wal()).at(0);
  test::flip_byte(seg, 64 + 2 * 88 + 1);  // length of seq 3 becomes huge
  std::vector<WalIssue> issues;
  const auto seqs = test::read_seqs(tmp.wal(), &issues);
  EXPECT_EQ(seqs.size(), 9u);
  ASSERT_GE(issues.size(), 1u);
  EXPECT_EQ(issues[0].kind, WalIssue::Kind::kCorruptRecord);
  EXPECT_EQ(issues[0].offset, 64u + 2 * 88);
}

TEST(WalRecovery, CorruptionInTheMiddleDoesNotStopRecovery) {
  TempDir tmp;
  write_trades(options(tmp.wal()), 10);
  test::flip_byte(test::segment_paths(tmp.wal()).at(0), 64 + 3 * 88 + 40);
  WalWriter w(options(tmp.wal()));
  ASSERT_EQ(w.open(), "");
  EXPECT_EQ(w.next_seq(), 11u);
  EXPECT_EQ(w.recovery().records, 9u);
  ASSERT_FALSE(w.recovery().issues.empty());
  EXPECT_EQ(w.recovery().issues[0].offset, 64u + 3 * 88);
}

TEST(WalWriter, NotADirectoryGivesOneClearLine) {
  TempDir tmp;
  std::ofstream(tmp.path() + "/file") << "x";
  WalWriter w(options(tmp.path() + "/file/wal"));
  const std::string err = w.open();
  EXPECT_EQ(err, "recorder: cannot write WAL directory '" + tmp.path() +
                     "/file/wal' (Not a directory); choose another with --wal-dir or "
                     "recorder.wal_dir");
}

TEST(WalWriter, UnwritableDirectoryGivesOneClearLine) {
  TempDir tmp;
  std::filesystem::create_directories(tmp.wal());
  std::filesystem::permissions(tmp.path(), std::filesystem::perms::owner_all);
  std::filesystem::permissions(
      tmp.wal(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  const std::string expected = "recorder: cannot write WAL directory '" + tmp.wal() +
                               "' (Permission denied); choose another with --wal-dir or "
                               "recorder.wal_dir";
  if (::geteuid() != 0) {
    WalWriter w(options(tmp.wal()));
    EXPECT_EQ(w.open(), expected);
    return;
  }
  // Root ignores permission bits: check as an unprivileged user in a child process.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    WalWriter w(options(tmp.wal()));
    const std::string err = w.open();
    const ssize_t n = ::write(fds[1], err.data(), err.size());
    ::_exit(n == static_cast<ssize_t>(err.size()) ? 0 : 4);
  }
  ::close(fds[1]);
  std::string got;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, buf + n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace hft::recorder
