#include "hft/recorder/clickhouse/loader.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "hft/recorder/wal_reader.hpp"

namespace hft::recorder::clickhouse {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(kDigits[p[i] >> 4]);
    s.push_back(kDigits[p[i] & 15]);
  }
  return s;
}

bool fsync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

/// Parses TabSeparated lines of unsigned integers (one per line).
std::vector<std::uint64_t> parse_u64_lines(const std::string& body) {
  std::vector<std::uint64_t> out;
  const char* p = body.data();
  const char* end = p + body.size();
  while (p < end) {
    std::uint64_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec == std::errc{}) out.push_back(v);
    p = next;
    while (p < end && (*p < '0' || *p > '9')) ++p;
  }
  return out;
}

}  // namespace

std::string json_string(const std::string& s) {
  std::string o = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      case '\r': o += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", static_cast<unsigned>(c));
          o += b;
        } else {
          o.push_back(c);
        }
    }
  }
  return o + "\"";
}

std::uint64_t LoaderStats::total_rows() const {
  std::uint64_t n = 0;
  for (std::uint64_t r : rows) n += r;
  return n;
}

// ---- state file -------------------------------------------------------------------------------

std::string LoaderState::read(const std::string& path) {
  *this = LoaderState{};
  std::ifstream in(path);
  if (!in) return fs::exists(path) ? "cannot read " + path : "";
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string key;
    ls >> key;
    if (key == "target") {
      ls >> target;
    } else if (key == "through") {
      ls >> through;
    } else if (key == "table") {
      std::string name;
      std::uint64_t seq = 0;
      ls >> name >> seq;
      if (auto t = table_from_name(name)) table[static_cast<std::size_t>(*t)] = seq;
    }
  }
  return {};
}

std::string LoaderState::write(const std::string& path) const {
  std::string text =
      "# hft recorder loader state (docs/clickhouse.md). Rewritten atomically after every\n"
      "# insert ClickHouse acknowledged. Delete it only together with the ClickHouse tables.\n"
      "format 1\n";
  text += "target " + target + "\n";
  text += "through " + std::to_string(through) + "\n";
  for (Table t : kAllTables) {
    text += std::string("table ") + table_name(t) + " " +
            std::to_string(table[static_cast<std::size_t>(t)]) + "\n";
  }
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot write " + tmp + " (" + std::strerror(errno) + ")";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return "cannot write " + tmp + " (" + std::strerror(errno) + ")";
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return "cannot rename " + tmp + " (" + std::strerror(errno) + ")";
  }
  fsync_dir(fs::path(path).parent_path().string());
  return {};
}

// ---- loader -----------------------------------------------------------------------------------

Loader::Loader(LoaderOptions options, const SymbolDirectory& symbols, HttpClient& http,
               std::FILE* log)
    : opt_(std::move(options)), symbols_(symbols), http_(http), log_(log) {
  while (opt_.wal_dir.size() > 1 && opt_.wal_dir.back() == '/') opt_.wal_dir.pop_back();
  if (opt_.state_dir.empty()) opt_.state_dir = opt_.wal_dir + ".loader";
  opt_.batch_rows = std::max<std::size_t>(opt_.batch_rows, 1);
}

Loader::~Loader() {
  stop_sender();
  if (dead_file_ != nullptr) std::fclose(dead_file_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void Loader::stop_sender() {
  if (!sender_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  sender_.join();
}

std::string Loader::qualified(Table t) const { return opt_.database + "." + table_name(t); }

bool Loader::prepare() {
  std::error_code ec;
  fs::create_directories(opt_.state_dir, ec);
  if (ec) {
    std::fprintf(log_, "recorder load: cannot create state directory '%s' (%s)\n",
                 opt_.state_dir.c_str(), ec.message().c_str());
    return false;
  }
  // One loader per state directory: two would each think they own the position.
  const std::string lock = opt_.state_dir + "/LOCK";
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    std::fprintf(log_, "recorder load: another loader holds %s; only one may run per state dir\n",
                 lock.c_str());
    return false;
  }
  if (std::string err = state_.read(state_path()); !err.empty()) {
    std::fprintf(log_, "recorder load: %s\n", err.c_str());
    return false;
  }
  const std::string target = http_.url() + "/" + opt_.database;
  if (!state_.target.empty() && state_.target != target) {
    std::fprintf(log_,
                 "recorder load: state %s belongs to %s, not %s: starting from the beginning "
                 "(rows already in %s are found and skipped)\n",
                 state_path().c_str(), state_.target.c_str(), target.c_str(), target.c_str());
    state_ = LoaderState{};
  }
  state_.target = target;
  // Keys of the dead letters already written, so a re-run does not write them twice.
  {
    std::ifstream in(dead_letter_path());
    std::string line;
    while (std::getline(in, line)) {
      const auto k = line.find("\"key\":\"");
      if (k == std::string::npos) continue;
      const auto e = line.find('"', k + 7);
      if (e != std::string::npos) dead_keys_.insert(line.substr(k + 7, e - k - 7));
    }
  }
  dead_file_ = std::fopen(dead_letter_path().c_str(), "a");
  if (dead_file_ == nullptr) {
    std::fprintf(log_, "recorder load: cannot open %s (%s)\n", dead_letter_path().c_str(),
                 std::strerror(errno));
    return false;
  }
  return true;
}

bool Loader::wait_backoff(std::chrono::milliseconds& delay, Clock::time_point since,
                          const std::string& what) {
  ++stats_.retries;
  progress_.clickhouse_errors.fetch_add(1, std::memory_order_relaxed);
  if (opt_.give_up_after.count() > 0 && Clock::now() - since > opt_.give_up_after) {
    std::fprintf(log_, "recorder load: giving up after %lld ms: %s\n",
                 static_cast<long long>(opt_.give_up_after.count()), what.c_str());
    return false;
  }
  // One line per outage step; the delay doubles so a long outage stays quiet.
  std::fprintf(log_, "recorder load: ClickHouse unavailable (%s); retrying in %lld ms\n",
               what.c_str(), static_cast<long long>(delay.count()));
  std::fflush(log_);
  const auto until = Clock::now() + delay;
  while (Clock::now() < until) {
    if (stopping()) return false;
    std::this_thread::sleep_for(
        std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(50)));
  }
  delay = std::min(delay * 2, opt_.backoff_max);
  return true;
}

bool Loader::ensure_schema() {
  auto delay = opt_.backoff_initial;
  const auto since = Clock::now();
  bool gave_up = false;
  const HttpResult r = apply_schema(opt_.database, [&](const std::string& sql) {
    while (true) {
      HttpResult one = http_.query(sql);
      if (one.ok() || !one.retriable()) return one;
      if (!wait_backoff(delay, since, one.describe())) {
        gave_up = true;
        return one;
      }
    }
  });
  if (r.ok()) return true;
  if (!gave_up) {
    std::fprintf(log_, "recorder load: creating the schema failed: %s\n", r.describe().c_str());
  }
  return false;
}

// For each table: the rows ClickHouse holds past the recorded position are the ones a crash
// between "insert acknowledged" and "state written" (or a lost acknowledgement) left behind.
// Their seqs are remembered and skipped while reading, so they are not inserted twice, whatever
// subset of the batch reached the server.
bool Loader::reconcile() {
  auto delay = opt_.backoff_initial;
  const auto since = Clock::now();
  for (Table t : kAllTables) {
    const std::size_t i = static_cast<std::size_t>(t);
    const std::uint64_t from = std::max(state_.table[i], state_.through);
    const std::string where = " FROM " + qualified(t) + " WHERE seq > " + std::to_string(from);
    HttpResult r;
    while (!(r = http_.query("SELECT count(), max(seq)" + where)).ok()) {
      if (!r.retriable()) {
        std::fprintf(log_, "recorder load: reading %s failed: %s\n", qualified(t).c_str(),
                     r.describe().c_str());
        return false;
      }
      if (!wait_backoff(delay, since, r.describe())) return false;
    }
    const std::vector<std::uint64_t> cm = parse_u64_lines(r.body);
    const std::uint64_t count = cm.size() > 0 ? cm[0] : 0;
    const std::uint64_t max_seq = cm.size() > 1 ? cm[1] : 0;
    if (count == 0) continue;
    if (count > opt_.max_reconcile_rows) {
      // No usable state (deleted, or for another target) and a large table: rows are inserted
      // in seq order, so everything up to max(seq) is taken as loaded.
      std::fprintf(log_,
                   "recorder load: %s holds %llu rows past the recorded position %llu; taking "
                   "max(seq) %llu as loaded\n",
                   qualified(t).c_str(), static_cast<unsigned long long>(count),
                   static_cast<unsigned long long>(from), static_cast<unsigned long long>(max_seq));
      state_.table[i] = max_seq;
      continue;
    }
    while (!(r = http_.query("SELECT seq" + where)).ok()) {
      if (!r.retriable()) {
        std::fprintf(log_, "recorder load: reading %s failed: %s\n", qualified(t).c_str(),
                     r.describe().c_str());
        return false;
      }
      if (!wait_backoff(delay, since, r.describe())) return false;
    }
    for (std::uint64_t s : parse_u64_lines(r.body)) present_[i].insert(s);
    std::fprintf(log_,
                 "recorder load: %s already holds %zu row(s) past position %llu; skipping "
                 "them\n",
                 qualified(t).c_str(), present_[i].size(), static_cast<unsigned long long>(from));
  }
  return true;
}

// Removes from `b` the rows ClickHouse already holds (an insert whose answer was lost may have
// been applied, wholly or in part); counts them in *already. False when ClickHouse could not be
// asked. Runs on the sender thread.
bool Loader::drop_present(Table t, Batch& b, std::uint64_t* already) {
  const std::string sql = "SELECT seq FROM " + qualified(t) +
                          " WHERE seq >= " + std::to_string(b.seqs.front()) +
                          " AND seq <= " + std::to_string(b.seqs.back());
  const HttpResult r = http_.query(sql);
  if (!r.ok()) return false;
  std::unordered_set<std::uint64_t> have;
  for (std::uint64_t s : parse_u64_lines(r.body)) have.insert(s);
  if (have.empty()) return true;
  Batch kept;
  const std::string& bytes = b.rows.bytes();
  for (std::size_t k = 0; k < b.seqs.size(); ++k) {
    if (have.contains(b.seqs[k])) continue;
    const std::size_t end = k + 1 < b.offsets.size() ? b.offsets[k + 1] : bytes.size();
    kept.offsets.push_back(kept.rows.size());
    kept.seqs.push_back(b.seqs[k]);
    kept.rows.bytes().append(bytes, b.offsets[k], end - b.offsets[k]);
  }
  std::fprintf(log_,
               "recorder load: %zu row(s) of the failed %s insert had reached ClickHouse; "
               "re-sending the other %zu\n",
               b.seqs.size() - kept.seqs.size(), qualified(t).c_str(), kept.seqs.size());
  *already += b.seqs.size() - kept.seqs.size();
  b = std::move(kept);
  return true;
}

// The INSERT of one batch, retried with back-off until ClickHouse acknowledges it (or the
// failure is permanent, the outage outlasts --give-up-after, or the loader is stopped). Runs on
// the sender thread, so reading and encoding the next batch overlaps with this one.
bool Loader::send(InsertJob& job) {
  Batch& b = job.batch;
  std::string sql = "INSERT INTO " + qualified(job.table) + " (";
  const auto& cols = columns(job.table);
  for (std::size_t c = 0; c < cols.size(); ++c) sql += (c == 0 ? "" : ", ") + cols[c];
  sql += ") FORMAT RowBinary";
  auto delay = opt_.backoff_initial;
  const auto since = Clock::now();
  bool check_first = false;
  while (true) {
    if (check_first) {
      if (!drop_present(job.table, b, &job.already)) {
        if (!wait_backoff(delay, since, "checking what the failed insert left")) return false;
        continue;
      }
      check_first = false;
      if (b.seqs.empty()) return true;
    }
    const HttpResult r = http_.insert(sql, b.rows.bytes());
    if (r.ok()) {
      job.rows = b.seqs.size();
      job.bytes = b.rows.size();
      return true;
    }
    if (!r.retriable()) {
      std::fprintf(log_, "recorder load: INSERT into %s failed: %s\n", qualified(job.table).c_str(),
                   r.describe().c_str());
      return false;
    }
    if (!wait_backoff(delay, since, r.describe())) return false;
    check_first = true;
  }
}

void Loader::sender_main() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return quit_ || job_pending_; });
    if (!job_pending_) return;  // quit with nothing to do
    lock.unlock();
    const bool ok = send(job_);  // job_ belongs to this thread while pending
    lock.lock();
    job_.ok = ok;
    job_pending_ = false;
    job_done_ = true;
    cv_.notify_all();
  }
}

// Waits for the batch in flight; once ClickHouse acknowledged it, its position is recorded
// durably (this is the only place a table's position advances).
bool Loader::complete() {
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return !job_pending_; });
    if (!job_done_) return true;
    job_done_ = false;
  }
  if (!job_.ok) return false;
  const std::size_t i = static_cast<std::size_t>(job_.table);
  state_.table[i] = job_.last_seq;
  if (job_.rows != 0) ++stats_.inserts;
  stats_.rows[i] += job_.rows;
  progress_.rows[i].fetch_add(job_.rows, std::memory_order_relaxed);
  stats_.bytes += job_.bytes;
  stats_.skipped_loaded += job_.already;
  job_.batch.rows.clear();
  job_.batch.seqs.clear();
  job_.batch.offsets.clear();
  return save_state();
}

// Hands table t's batch to the sender (after the previous one completed) and takes back the
// previous batch's buffers, so steady-state batches reuse their memory.
bool Loader::submit(Table t) {
  Batch& b = batches_[static_cast<std::size_t>(t)];
  if (b.seqs.empty()) return true;
  if (!complete()) return false;
  {
    std::lock_guard lock(mu_);
    std::swap(job_.batch, b);
    job_.table = t;
    job_.last_seq = job_.batch.seqs.back();
    job_.rows = job_.bytes = job_.already = 0;
    job_.ok = false;
    job_pending_ = true;
  }
  cv_.notify_all();
  return true;
}

bool Loader::save_state() {
  // Dead letters first: once the state says a record is done, its dead letter must be on disk.
  if (dead_dirty_) {
    std::fflush(dead_file_);
    ::fsync(::fileno(dead_file_));
    dead_dirty_ = false;
  }
  if (std::string err = state_.write(state_path()); !err.empty()) {
    std::fprintf(log_, "recorder load: %s\n", err.c_str());
    return false;
  }
  return true;
}

bool Loader::dead_letter(const std::string& key, const std::string& json_fields) {
  if (!dead_keys_.insert(key).second) return false;
  std::fprintf(dead_file_, "{\"key\":\"%s\",%s}\n", key.c_str(), json_fields.c_str());
  dead_dirty_ = true;
  ++stats_.dead_letters;
  return true;
}

// A directory of links to the segments that can hold records after `from_seq`, so a re-run or a
// follow poll does not re-read (and re-verify) segments that are fully loaded.
std::string Loader::open_view(std::uint64_t from_seq) {
  if (from_seq == 0) return opt_.wal_dir;
  WalReader lister(opt_.wal_dir);
  if (!lister.open().empty()) return opt_.wal_dir;
  const auto& segs = lister.segments();
  std::size_t first = 0;
  for (std::size_t k = 0; k < segs.size(); ++k) {
    if (segs[k].name_first_seq <= from_seq + 1) first = k;
  }
  if (first == 0) return opt_.wal_dir;
  const std::string view = opt_.state_dir + "/view";
  std::error_code ec;
  fs::remove_all(view, ec);
  fs::create_directories(view, ec);
  for (std::size_t k = first; k < segs.size(); ++k) {
    fs::create_symlink(fs::absolute(segs[k].path), fs::path(view) / segs[k].name, ec);
    if (ec) return opt_.wal_dir;
  }
  return view;
}

bool Loader::pass(bool& saw_new) {
  saw_new = false;
  // --follow may start before the engine has created its WAL directory: wait for it.
  if (opt_.follow && !fs::exists(opt_.wal_dir)) return true;
  WalReader reader(open_view(state_.through));
  if (std::string err = reader.open(); !err.empty()) {
    std::fprintf(log_, "recorder load: %s\n", err.c_str());
    return false;
  }
  std::uint64_t last_read = state_.through;
  for (WalRecord rec; reader.next(rec);) {
    if (rec.seq <= state_.through) continue;
    const std::int64_t ts = rec.header().local_ts;
    if (!saw_new) progress_.pending_ts.store(ts, std::memory_order_relaxed);
    progress_.wal_ts.store(ts, std::memory_order_relaxed);
    progress_.wal_seq.store(rec.seq, std::memory_order_relaxed);
    saw_new = true;
    last_read = rec.seq;
    ++stats_.records_read;
    const auto table = table_of(rec.type);
    std::string reason;
    if (table) {
      const std::size_t i = static_cast<std::size_t>(*table);
      if (rec.seq <= state_.table[i]) continue;
      if (!present_[i].empty() && present_[i].erase(rec.seq) != 0) {
        ++stats_.skipped_loaded;
        continue;
      }
      Batch& b = batches_[i];
      const std::size_t at = b.rows.size();
      reason = append_row(rec, symbols_, b.rows);
      if (reason.empty()) {
        b.offsets.push_back(at);
        b.seqs.push_back(rec.seq);
        if (b.seqs.size() >= opt_.batch_rows && !submit(*table)) return false;
        continue;
      }
    } else {
      reason = "no ClickHouse table for event type " + std::to_string(static_cast<int>(rec.type));
    }
    const WalSegmentInfo& seg = reader.segments()[rec.segment_index];
    const bool is_new = dead_letter(
        "record:" + std::to_string(rec.seq),
        "\"kind\":\"unconvertible\",\"wal_seq\":" + std::to_string(rec.seq) + ",\"type\":" +
            std::to_string(static_cast<int>(rec.type)) + ",\"segment\":" + json_string(seg.name) +
            ",\"offset\":" + std::to_string(rec.offset) + ",\"reason\":" + json_string(reason) +
            ",\"payload_hex\":\"" + hex(rec.payload, rec.length) + "\"");
    if (!is_new) continue;  // reported by an earlier run
    std::fprintf(log_, "recorder load: %s offset %llu: record seq %llu not loaded: %s\n",
                 seg.name.c_str(), static_cast<unsigned long long>(rec.offset),
                 static_cast<unsigned long long>(rec.seq), reason.c_str());
  }
  for (const WalIssue& issue : reader.issues()) {
    // A torn tail is the record the engine is writing right now (or a crash's cut-off write
    // that recovery truncates): not damage, and its bytes never held a verified record.
    if (issue.kind == WalIssue::Kind::kTornTail) continue;
    // A gap that only reflects where this (view of the) WAL starts is not damage either.
    if (issue.kind == WalIssue::Kind::kSequenceGap && issue.seq_to <= state_.through) continue;
    const std::string key = std::string("wal:") + to_string(issue.kind) + ":" + issue.segment +
                            ":" + std::to_string(issue.offset);
    if (dead_keys_.contains(key)) continue;
    ++stats_.wal_issues;
    std::fprintf(log_, "recorder load: WAL damage: %s (dead letter: %s)\n",
                 issue.to_string().c_str(), dead_letter_path().c_str());
    dead_letter(
        key, std::string("\"kind\":\"wal_issue\",\"issue\":") + json_string(to_string(issue.kind)) +
                 ",\"segment\":" + json_string(issue.segment) + ",\"offset\":" +
                 std::to_string(issue.offset) + ",\"bytes\":" + std::to_string(issue.bytes) +
                 ",\"seq_from\":" + std::to_string(issue.seq_from) + ",\"seq_to\":" +
                 std::to_string(issue.seq_to) + ",\"detail\":" + json_string(issue.to_string()));
  }
  for (Table t : kAllTables) {
    if (!submit(t)) return false;
  }
  if (!complete()) return false;
  state_.through = last_read;
  if (!save_state()) return false;
  progress_.loaded_seq.store(last_read, std::memory_order_relaxed);
  return true;
}

int Loader::run(const std::atomic<bool>* stop) {
  stop_ = stop;
  const auto t0 = Clock::now();
  if (!prepare() || !ensure_schema() || !reconcile()) return 1;
  progress_.loaded_seq.store(state_.through, std::memory_order_relaxed);
  progress_.wal_seq.store(state_.through, std::memory_order_relaxed);
  sender_ = std::thread([this] { sender_main(); });
  int rc = 0;
  while (true) {
    bool saw_new = false;
    if (!pass(saw_new)) {
      rc = stopping() ? 0 : 1;
      break;
    }
    if (!opt_.follow || stopping()) break;
    if (!saw_new) {
      const auto until = Clock::now() + opt_.poll_interval;
      while (Clock::now() < until && !stopping()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  }
  stop_sender();
  stats_.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return rc;
}

}  // namespace hft::recorder::clickhouse
