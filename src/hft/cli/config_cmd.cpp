// hft config show|validate|build|keys (and sync, config_sync_cmd.cpp): thin wrappers over
// hft/config (the logic and its tests live there).
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hft/cli/commands.hpp"
#include "hft/cli/run_symbols.hpp"
#include "hft/config/config.hpp"
#include "hft/config/schema.hpp"
#include "hft/config/symbols.hpp"

namespace hft::cli {

namespace {

struct LayerArgs {
  std::string config_dir;
  std::string mode;
  std::string config_file;
  std::vector<std::string> sets;  // key=value
  bool json = false;
};

std::string default_mode() {
  const char* mode = std::getenv("HFT_MODE");
  return mode != nullptr ? mode : "sim";
}

void add_layer_options(CLI::App* cmd, LayerArgs& a) {
  cmd->add_option("--config-dir", a.config_dir,
                  "directory with base/ and env/ (default: $HFT_CONFIG_DIR or config)");
  cmd->add_option("--mode", a.mode,
                  "run mode whose overlay to apply: sim|live|replay "
                  "(default: $HFT_MODE or sim)");
  cmd->add_option("--config", a.config_file, "extra YAML file layered after the env overlays");
  cmd->add_option("--set", a.sets, "override a key like a CLI flag: --set sim.rate=5 (repeatable)");
}

// Fills LoadOptions from the flags; false (after a message) on a malformed --set.
bool make_options(const LayerArgs& a, config::LoadOptions& o) {
  o.config_dir = a.config_dir.empty() ? config_dir() : a.config_dir;
  o.mode = a.mode.empty() ? default_mode() : a.mode;
  o.env = config::process_env();
  if (!a.config_file.empty()) o.extra_file = a.config_file;
  for (const std::string& s : a.sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "hft config: --set '%s': expected key=value (e.g. sim.rate=5)\n",
                   s.c_str());
      return false;
    }
    o.cli[s.substr(0, eq)] = s.substr(eq + 1);
  }
  return true;
}

void print_lines(const std::vector<std::string>& lines, const char* prefix = "") {
  for (const std::string& l : lines) std::fprintf(stderr, "%s%s\n", prefix, l.c_str());
}

nlohmann::json typed_value(const config::Field& f, const config::Config& c) {
  if (f.secret) {
    const std::string v = config::render_value(f, c);
    return v;  // "<redacted>" or ""
  }
  const config::FieldRef r = f.ref(const_cast<config::Config&>(c));
  return std::visit([](auto* p) { return nlohmann::json(*p); }, r);
}

int show(const LayerArgs& a) {
  config::LoadOptions o;
  if (!make_options(a, o)) return 2;
  const config::LoadResult r = config::load(o);
  print_lines(r.warnings, "warning: ");
  if (!r.ok()) {
    print_lines(r.errors);
    std::fprintf(stderr, "hft config show: %zu error(s)\n", r.errors.size());
    return 2;
  }
  if (!a.json) {
    std::fputs(config::provenance_table(r.provenance).c_str(), stdout);
    return 0;
  }
  nlohmann::json doc;
  nlohmann::json& cfg = doc["config"];
  for (const config::Field& f : config::schema()) {
    std::string path = "/";
    for (char ch : f.key) path.push_back(ch == '.' ? '/' : ch);
    cfg[nlohmann::json::json_pointer(path)] = typed_value(f, r.config);
  }
  nlohmann::json& prov = doc["provenance"];
  prov = nlohmann::json::array();
  for (const auto& p : r.provenance) {
    prov.push_back({{"key", p.key}, {"value", p.value}, {"origin", p.origin}});
  }
  std::printf("%s\n", doc.dump(2).c_str());
  return 0;
}

int validate(const LayerArgs& a, const std::string& file) {
  std::vector<std::string> errors;
  if (!file.empty()) {
    errors = config::validate_file(file);
  } else {
    config::LoadOptions o;
    if (!make_options(a, o)) return 2;
    const config::LoadResult r = config::load(o);
    print_lines(r.warnings, "warning: ");
    errors = r.errors;
  }
  if (errors.empty()) {
    std::printf("ok\n");
    return 0;
  }
  print_lines(errors);
  std::fprintf(stderr, "%zu error(s)\n", errors.size());
  return 2;
}

int build(const std::string& list_arg, const std::string& out_arg) {
  const std::string dir = config_dir();
  const std::string list = list_arg.empty() ? dir + "/symbols.list" : list_arg;
  const std::string out = out_arg.empty() ? dir + "/symbols.yaml" : out_arg;
  const config::SymbolsResult r = config::parse_symbols_list(list);
  if (!r.ok()) {
    print_lines(r.errors);
    std::fprintf(stderr, "hft config build: %zu error(s); %s not written\n", r.errors.size(),
                 out.c_str());
    return 2;
  }
  if (const std::string err = config::write_symbols_yaml(out, r.symbols, list); !err.empty()) {
    std::fprintf(stderr, "hft config build: %s\n", err.c_str());
    return 1;
  }
  std::printf("wrote %zu symbols to %s\n", r.symbols.size(), out.c_str());
  return 0;
}

int keys(bool markdown) {
  if (markdown) {
    std::fputs(config::schema_markdown().c_str(), stdout);
    return 0;
  }
  for (const config::Field& f : config::schema()) {
    std::printf("%-24s %-16s %-32s %s\n", std::string(f.key).c_str(), config::type_name(f.type()),
                f.env_var().c_str(), std::string(f.description).c_str());
  }
  return 0;
}

}  // namespace

void register_config(CLI::App& app, int& exit_code) {
  CLI::App* cfg = app.add_subcommand(
      "config", "Show, validate and build configuration; check it against the broker's contracts");
  cfg->require_subcommand(1);

  auto show_args = std::make_shared<LayerArgs>();
  CLI::App* show_cmd =
      cfg->add_subcommand("show",
                          "Print the effective configuration: key, value and where it came from "
                          "(secrets redacted)");
  add_layer_options(show_cmd, *show_args);
  show_cmd->add_flag("--json", show_args->json, "print JSON {config, provenance} instead");
  show_cmd->callback([show_args, &exit_code] { exit_code = show(*show_args); });

  auto val_args = std::make_shared<LayerArgs>();
  auto val_file = std::make_shared<std::string>();
  CLI::App* val_cmd = cfg->add_subcommand(
      "validate",
      "Check the layered configuration, or one FILE against the schema; prints ok "
      "or every error (exit 0 / 2)");
  val_cmd->add_option("FILE", *val_file, "a single YAML file to check on its own");
  add_layer_options(val_cmd, *val_args);
  val_cmd->callback(
      [val_args, val_file, &exit_code] { exit_code = validate(*val_args, *val_file); });

  auto list = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  CLI::App* build_cmd = cfg->add_subcommand(
      "build", "Expand symbols.list into symbols.yaml with full contract specs");
  build_cmd->add_option("--list", *list, "input list (default: <config dir>/symbols.list)");
  build_cmd->add_option("--out", *out, "output file (default: <config dir>/symbols.yaml)");
  build_cmd->callback([list, out, &exit_code] { exit_code = build(*list, *out); });

  register_config_sync(*cfg, exit_code);

  auto markdown = std::make_shared<bool>(false);
  CLI::App* keys_cmd =
      cfg->add_subcommand("keys", "List every configuration key, its type and HFT_* variable");
  keys_cmd->add_flag("--markdown", *markdown, "print the table used in docs/configuration.md");
  keys_cmd->callback([markdown, &exit_code] { exit_code = keys(*markdown); });
}

}  // namespace hft::cli
