#include "hft/strategy/plugin_loader.hpp"

#include <dlfcn.h>

#include <cinttypes>
#include <cstdio>
#include <exception>

#include "hft/strategy/plugin.hpp"

namespace hft::strategy {

namespace {

using AbiFn = std::uint64_t (*)();
using CreateFn = Strategy* (*)(const Params&);
using DestroyFn = void (*)(Strategy*);

/// Forwards every callback to the library's strategy; owns the object and the library handle
/// (the object is destroyed by the library, then the library is closed).
class LibraryStrategy final : public Strategy {
 public:
  LibraryStrategy(void* handle, Strategy* inner, DestroyFn destroy)
      : handle_(handle), inner_(inner), destroy_(destroy) {}
  ~LibraryStrategy() override {
    destroy_(inner_);
    dlclose(handle_);
  }
  LibraryStrategy(const LibraryStrategy&) = delete;
  LibraryStrategy& operator=(const LibraryStrategy&) = delete;

  void on_start(Context& c) override { inner_->on_start(c); }
  void on_book(Context& c, SymbolId s, const lob::BookStats& b) override {
    inner_->on_book(c, s, b);
  }
  void on_trade(Context& c, const TradeEvent& t) override { inner_->on_trade(c, t); }
  void on_fill(Context& c, const ExecReport& r) override { inner_->on_fill(c, r); }
  void on_order_update(Context& c, const ExecReport& r) override { inner_->on_order_update(c, r); }
  void on_timer(Context& c, std::uint64_t tag) override { inner_->on_timer(c, tag); }
  void on_stop(Context& c) override { inner_->on_stop(c); }

 private:
  void* handle_;
  Strategy* inner_;
  DestroyFn destroy_;
};

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

}  // namespace

std::unique_ptr<Strategy> load_strategy_library(const std::string& path, const Params& params,
                                                std::string* error) {
  auto fail = [&](const std::string& why, void* handle) -> std::unique_ptr<Strategy> {
    if (error != nullptr) *error = path + ": " + why;
    if (handle != nullptr) dlclose(handle);
    return nullptr;
  };
  // A bare file name would make dlopen search the library path; a plugin is a file we name.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* e = dlerror();
    return fail(std::string("cannot load: ") + (e != nullptr ? e : "unknown error"), nullptr);
  }
  auto abi = reinterpret_cast<AbiFn>(dlsym(handle, "hft_strategy_abi"));
  auto create = reinterpret_cast<CreateFn>(dlsym(handle, "hft_create_strategy"));
  auto destroy = reinterpret_cast<DestroyFn>(dlsym(handle, "hft_destroy_strategy"));
  if (abi == nullptr || create == nullptr || destroy == nullptr) {
    return fail(
        "not a strategy library (needs hft_strategy_abi, hft_create_strategy and "
        "hft_destroy_strategy: use HFT_EXPORT_STRATEGY from hft/strategy/plugin.hpp)",
        handle);
  }
  const std::uint64_t theirs = abi();
  const std::uint64_t ours = plugin_abi_stamp();
  if (theirs != ours) {
    return fail("built against other hft headers (ABI stamp " + hex(theirs) + ", this hft " +
                    hex(ours) + "; version " + std::to_string(theirs >> 48) + " vs " +
                    std::to_string(ours >> 48) + "): rebuild it against this tree's headers",
                handle);
  }
  Strategy* inner = nullptr;
  try {
    inner = create(params);
  } catch (const std::exception& e) {
    return fail(std::string("hft_create_strategy refused the parameters: ") + e.what(), handle);
  }
  if (inner == nullptr) return fail("hft_create_strategy returned no strategy", handle);
  return std::make_unique<LibraryStrategy>(handle, inner, destroy);
}

}  // namespace hft::strategy
