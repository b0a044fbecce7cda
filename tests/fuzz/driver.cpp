// Stand-in for libFuzzer's main() when the compiler has no libFuzzer (the project's default g++
// build): runs LLVMFuzzerTestOneInput on every file of the seed corpus directories, then on
// random mutations of them (bit flips, byte edits, truncations, splices, JSON-ish tokens) until
// the time budget is spent. Deterministic for a seed. Every input is passed in a heap buffer of
// exactly its size, so a sanitizer build catches a read past the end. A crash or a sanitizer
// report fails the ctest; a clean run prints the count and exits 0.
//
// Flags (a subset of libFuzzer's, so ctest and scripts call both the same way):
//   -max_total_time=S  seconds of mutation after the corpus (default 3)
//   -runs=N            stop after N mutated inputs (default unlimited)
//   -seed=N            PRNG seed (default 1)
//   -max_len=N         longest mutated input (default 4096)
//   DIR|FILE ...       seed corpus
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Bytes = std::vector<std::uint8_t>;

void run_one(const Bytes& input) {
  // Exact-size heap copy: no slack after the last byte for an overread to hide in.
  const std::unique_ptr<std::uint8_t[]> buf(new std::uint8_t[input.empty() ? 1 : input.size()]);
  if (!input.empty()) std::memcpy(buf.get(), input.data(), input.size());
  LLVMFuzzerTestOneInput(buf.get(), input.size());
}

struct Rng {
  std::uint64_t s;
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

// Tokens that matter to text parsers (JSON, CSV, numbers, dates).
constexpr std::string_view kTokens[] = {"\"",
                                        "{",
                                        "}",
                                        "[",
                                        "]",
                                        ",",
                                        ":",
                                        "\\",
                                        "\\u0000",
                                        "null",
                                        "true",
                                        "false",
                                        "-",
                                        ".",
                                        "0",
                                        "9",
                                        "e",
                                        "E+9",
                                        "99999999999999999999",
                                        "-0",
                                        "\n",
                                        "\r\n",
                                        " ",
                                        "\x00",
                                        "\xff",
                                        "1.5",
                                        "0.01",
                                        "2026-06-01",
                                        "09:00:00.123456",
                                        "Z",
                                        "+08:00",
                                        "\"\"",
                                        "[]",
                                        "{}"};

void mutate(Bytes& b, const std::vector<Bytes>& corpus, Rng& rng, std::size_t max_len) {
  const int edits = 1 + static_cast<int>(rng.below(4));
  for (int e = 0; e < edits; ++e) {
    switch (rng.below(8)) {
      case 0:  // flip a bit
        if (!b.empty()) b[rng.below(b.size())] ^= static_cast<std::uint8_t>(1u << rng.below(8));
        break;
      case 1:  // overwrite a byte
        if (!b.empty()) b[rng.below(b.size())] = static_cast<std::uint8_t>(rng.next());
        break;
      case 2:  // delete a range
        if (!b.empty()) {
          const std::size_t at = rng.below(b.size());
          const std::size_t n = 1 + rng.below(std::min<std::size_t>(16, b.size() - at));
          b.erase(b.begin() + static_cast<std::ptrdiff_t>(at),
                  b.begin() + static_cast<std::ptrdiff_t>(at + n));
        }
        break;
      case 3:  // truncate
        b.resize(rng.below(b.size() + 1));
        break;
      case 4: {  // insert a token
        const std::string_view t = kTokens[rng.below(std::size(kTokens))];
        const std::size_t at = rng.below(b.size() + 1);
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), t.begin(), t.end());
        break;
      }
      case 5: {  // duplicate a range in place
        if (b.empty()) break;
        const std::size_t at = rng.below(b.size());
        const std::size_t n = 1 + rng.below(std::min<std::size_t>(32, b.size() - at));
        const Bytes chunk(b.begin() + static_cast<std::ptrdiff_t>(at),
                          b.begin() + static_cast<std::ptrdiff_t>(at + n));
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), chunk.begin(), chunk.end());
        break;
      }
      case 6: {  // splice: our head + another seed's tail
        const Bytes& other = corpus[rng.below(corpus.size())];
        const std::size_t cut = rng.below(b.size() + 1);
        const std::size_t from = rng.below(other.size() + 1);
        b.resize(cut);
        b.insert(b.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
      default:  // swap a digit for another digit (keeps the syntax, moves the values)
        for (int tries = 0; tries < 8 && !b.empty(); ++tries) {
          std::uint8_t& ch = b[rng.below(b.size())];
          if (ch >= '0' && ch <= '9') {
            ch = static_cast<std::uint8_t>('0' + rng.below(10));
            break;
          }
        }
        break;
    }
  }
  if (b.size() > max_len) b.resize(max_len);
}

bool read_file(const std::filesystem::path& p, Bytes& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  long long max_runs = -1;
  std::uint64_t seed = 1;
  std::size_t max_len = 4096;
  std::vector<Bytes> corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* flag) -> const char* {
      const std::size_t n = std::strlen(flag);
      return arg.compare(0, n, flag) == 0 ? arg.c_str() + n : nullptr;
    };
    if (const char* v = value("-max_total_time=")) {
      seconds = std::atof(v);
    } else if (const char* r = value("-runs=")) {
      max_runs = std::atoll(r);
    } else if (const char* s = value("-seed=")) {
      seed = std::strtoull(s, nullptr, 10);
    } else if (const char* m = value("-max_len=")) {
      max_len = std::strtoull(m, nullptr, 10);
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "driver: ignoring unsupported flag %s\n", arg.c_str());
    } else {
      const std::filesystem::path p(arg);
      std::error_code ec;
      if (std::filesystem::is_directory(p, ec)) {
        for (const auto& entry : std::filesystem::directory_iterator(p)) {
          Bytes b;
          if (entry.is_regular_file() && read_file(entry.path(), b)) corpus.push_back(std::move(b));
        }
      } else {
        Bytes b;
        if (!read_file(p, b)) {
          std::fprintf(stderr, "driver: cannot read %s\n", arg.c_str());
          return 2;
        }
        corpus.push_back(std::move(b));
      }
    }
  }
  if (corpus.empty()) corpus.emplace_back();  // still fuzz from the empty input

  for (const Bytes& b : corpus) run_one(b);

  Rng rng{seed};
  const auto start = std::chrono::steady_clock::now();
  const auto budget = std::chrono::duration<double>(seconds);
  long long runs = 0;
  Bytes input;
  while (max_runs < 0 || runs < max_runs) {
    if ((runs & 255) == 0 && std::chrono::steady_clock::now() - start >= budget) break;
    input = corpus[rng.below(corpus.size())];
    mutate(input, corpus, rng, max_len);
    run_one(input);
    ++runs;
  }
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("driver: %zu seed inputs, %lld mutations in %.1f s (seed %llu): no crash\n",
              corpus.size(), runs, took, static_cast<unsigned long long>(seed));
  return 0;
}
