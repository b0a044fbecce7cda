// hft lease status | release --owner ID
// The single-runtime session lease of `hft run live` (lease.*, docs/operations.md "Session
// lease"), read from the configuration `hft run live` uses (--config on top).
// Exit codes: 0 done (status: printed, held or free); 1 Redis unreachable, or release refused
// (the lease is not held by --owner); 2 bad usage or configuration.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "hft/cli/commands.hpp"
#include "hft/cli/run_symbols.hpp"
#include "hft/lease/session_lease.hpp"

namespace hft::cli {
namespace {

struct LeaseArgs {
  std::string config_file;
  std::string owner;
};

struct LiveLease {
  bool enabled = false;
  lease::LeaseSettings settings;
};

/// The lease of `hft run live`'s configuration; nullopt (after the loader's messages) on a bad
/// configuration.
std::optional<LiveLease> live_lease(const LeaseArgs& a) {
  config::Config cfg;
  if (!load_run_config("live", a.config_file, "", cfg)) return std::nullopt;
  return LiveLease{.enabled = cfg.lease.enabled, .settings = lease::lease_settings(cfg.lease)};
}

int status(const LeaseArgs& a) {
  const std::optional<LiveLease> l = live_lease(a);
  if (!l) return 2;
  const lease::LeaseSettings& s = l->settings;
  lease::RedisClient redis(s.redis);
  std::string error;
  const std::optional<lease::LeaseHolder> h = lease::read_holder(redis, s.key, &error);
  if (!error.empty()) {
    std::fprintf(stderr, "hft lease status: cannot reach Redis at %s: %s\n", redis.where().c_str(),
                 error.c_str());
    return 1;
  }
  std::printf("key:     %s (Redis %s)\n", s.key.c_str(), redis.where().c_str());
  if (!h) {
    std::printf("holder:  none — `hft run live` may start\n");
  } else {
    std::printf("holder:  %s\n", h->owner.c_str());
    if (h->ttl_ms >= 0) {
      std::printf("expires: in %.1f s unless its engine refreshes it\n",
                  static_cast<double>(h->ttl_ms) / 1000.0);
    } else {
      std::printf("expires: never (set by hand without expiry?)\n");
    }
  }
  std::printf("enabled: %s (lease.enabled of the live configuration)\n", l->enabled ? "yes" : "no");
  return 0;
}

int release(const LeaseArgs& a) {
  const std::optional<LiveLease> l = live_lease(a);
  if (!l) return 2;
  const lease::LeaseSettings& s = l->settings;
  lease::RedisClient redis(s.redis);
  std::string error;
  if (lease::release_if_owner(redis, s.key, a.owner, &error)) {
    std::printf("session lease '%s' released (it was held by '%s')\n", s.key.c_str(),
                a.owner.c_str());
    return 0;
  }
  if (!error.empty()) {
    std::fprintf(stderr, "hft lease release: cannot reach Redis at %s: %s\n", redis.where().c_str(),
                 error.c_str());
    return 1;
  }
  const std::optional<lease::LeaseHolder> h = lease::read_holder(redis, s.key, &error);
  const std::string holder = h ? "'" + h->owner + "'" : std::string("nobody");
  std::fprintf(stderr,
               "hft lease release: not released: the lease '%s' is held by %s, not '%s' "
               "(`hft lease status` shows the holder)\n",
               s.key.c_str(), holder.c_str(), a.owner.c_str());
  return 1;
}

}  // namespace

void register_lease(CLI::App& app, int& exit_code) {
  CLI::App* group = app.add_subcommand(
      "lease", "Show or clear the single-runtime session lease of `hft run live` (Redis)");
  group->require_subcommand(1);
  group->footer(
      "Settings: lease.* of the live configuration (HFT_ENV overlays, environment, --config).\n"
      "Exit codes: 0 ok, 1 Redis unreachable or release refused, 2 bad usage or configuration.");
  auto args = std::make_shared<LeaseArgs>();

  CLI::App* st = group->add_subcommand("status", "Who holds the lease and when it expires");
  st->add_option("--config", args->config_file, "YAML file applied on top of the layers");
  st->callback([&exit_code, args] { exit_code = status(*args); });

  CLI::App* rel = group->add_subcommand(
      "release",
      "Delete the lease if OWNER holds it: after that engine crashed, so the next can start "
      "before the lease expires. Check first that it is not running");
  rel->add_option("--owner", args->owner, "The holder's id, as `hft lease status` shows it")
      ->required();
  rel->add_option("--config", args->config_file, "YAML file applied on top of the layers");
  rel->callback([&exit_code, args] { exit_code = release(*args); });
}

}  // namespace hft::cli
