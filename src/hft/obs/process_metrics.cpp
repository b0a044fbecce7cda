// /proc/self readers for the process families. Runs on the exporter thread, never on the hot one.
#include "hft/obs/process_metrics.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace hft::obs {
namespace {

struct ProcessFamilies {
  Counter& cpu_ticks;  // exposed in seconds (unit 1 / clock ticks per second)
  Gauge& resident_bytes;
  Gauge& virtual_bytes;
  Gauge& open_fds;
  Gauge& threads;
  Gauge& start_time;
};

double clock_ticks_per_second() {
  const long t = sysconf(_SC_CLK_TCK);
  return t > 0 ? static_cast<double>(t) : 100.0;
}

ProcessFamilies register_families(Registry& r) {
  return ProcessFamilies{
      r.counter("hft_process_cpu_seconds_total", "User and system CPU time spent by the process",
                {}, 1.0 / clock_ticks_per_second()),
      r.gauge("hft_process_resident_memory_bytes", "Resident memory size of the process"),
      r.gauge("hft_process_virtual_memory_bytes", "Virtual memory size of the process"),
      r.gauge("hft_process_open_fds", "Open file descriptors of the process"),
      r.gauge("hft_process_threads", "Threads of the process"),
      r.gauge("hft_process_start_time_seconds", "Start time of the process since the Unix epoch"),
  };
}

/// Fields of /proc/self/stat after "pid (comm)", so fields()[0] is field 3 (state) of proc(5).
std::vector<std::string> stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> fields;
  const auto close = line.rfind(')');  // comm may contain spaces and ')'
  if (close == std::string::npos) return fields;
  std::istringstream rest(line.substr(close + 1));
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

double field(const std::vector<std::string>& f, int proc_index) {
  const auto i = static_cast<std::size_t>(proc_index - 3);
  return i < f.size() ? std::strtod(f[i].c_str(), nullptr) : 0.0;
}

double boot_time_seconds() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double t = 0;
      in >> t;
      return t;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

int count_open_fds() {
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) return 0;
  int n = 0;
  while (const dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(d);
  return n - 1;  // the descriptor opendir() itself holds
}

void refresh(const ProcessFamilies& m) {
  const std::vector<std::string> f = stat_fields();
  if (f.empty()) return;
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // proc(5): 14 utime, 15 stime (clock ticks), 20 num_threads, 23 vsize (bytes), 24 rss (pages)
  m.cpu_ticks.set(static_cast<std::uint64_t>(field(f, 14) + field(f, 15)));
  m.threads.set(field(f, 20));
  m.virtual_bytes.set(field(f, 23));
  m.resident_bytes.set(field(f, 24) * page);
  m.open_fds.set(count_open_fds());
  // 22 starttime (clock ticks after boot)
  m.start_time.set(boot_time_seconds() + field(f, 22) / clock_ticks_per_second());
}

}  // namespace

void register_process_metrics(Registry& registry) {
  ProcessFamilies m = register_families(registry);
  refresh(m);
  registry.add_collector([m] { refresh(m); });
}

void update_process_metrics(Registry& registry) { refresh(register_families(registry)); }

void register_build_info(Registry& registry, const std::string& version,
                         const std::string& git_sha) {
  Labels labels{{"version", version}};
  if (!git_sha.empty()) labels.emplace_back("git_sha", git_sha);
  registry.gauge("hft_build_info", "Build of the running hft binary; the value is always 1", labels)
      .set(1);
}

}  // namespace hft::obs
