// Layering: every layer writes into one Config through the schema and records, per leaf, the
// origin of the value it set. Errors are collected, never thrown, so one run reports them all.
#include "hft/config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "hft/config/schema.hpp"

extern char** environ;  // NOLINT: POSIX

namespace hft::config {

namespace {

namespace fs = std::filesystem;

// Environment variables with an HFT_ prefix that other parts of the platform read; never
// reported as misspelt config keys.
const std::set<std::string, std::less<>> kNonConfigEnv = {"HFT_LIVE_CONFIRM", "HFT_CONFIG_DIR"};

struct Layering {
  Config cfg;
  std::map<std::string, std::string> origin;  // leaf key -> where its value came from
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  bool enforce_selectors = true;  // mode/env fixed by LoadOptions; layers may only repeat them
  std::string mode_origin = "default";
  std::string env_origin = "default";
};

std::string line_of(const std::string& file, const YAML::Mark& m) {
  return file + ":" + std::to_string(m.line + 1);
}

bool is_section(std::string_view path) {
  for (const Field& f : schema()) {
    if (f.key.size() > path.size() && f.key.substr(0, path.size()) == path &&
        f.key[path.size()] == '.') {
      return true;
    }
  }
  return false;
}

std::string unknown_key(std::string_view key) {
  std::string msg = "unknown key '" + std::string(key) + "'";
  if (auto s = suggest_key(key); !s.empty()) msg += " (did you mean '" + s + "'?)";
  return msg;
}

std::string render_scalar(const YAML::Node& n) {
  if (n.IsNull()) return "null";
  if (n.IsScalar()) return n.Scalar();
  if (n.IsSequence()) return "a list";
  return "a mapping";
}

// Sets one leaf (or one map entry) from text; `where` prefixes errors, `origin` is recorded.
void set_leaf(Layering& l, const Field& f, std::string_view text, std::string_view map_key,
              const std::string& where, const std::string& origin) {
  const std::string full =
      map_key.empty() ? std::string(f.key) : std::string(f.key) + "." + std::string(map_key);
  const bool selector = f.key == "mode" || f.key == "env";
  if (selector && l.enforce_selectors) {
    Config scratch = l.cfg;
    const std::string err = assign_text(f, scratch, text, map_key);
    if (!err.empty()) {
      l.errors.push_back(where + ": key '" + full + "': " + err);
      return;
    }
    const std::string want = f.key == "mode" ? l.cfg.mode : l.cfg.env;
    const std::string got = f.key == "mode" ? scratch.mode : scratch.env;
    if (got != want) {
      l.errors.push_back(where + ": key '" + full + "': '" + got + "' contradicts the " +
                         std::string(f.key) + " '" + want + "' chosen by " +
                         (f.key == "mode" ? l.mode_origin : l.env_origin));
    }
    return;
  }
  const std::string err = assign_text(f, l.cfg, text, map_key);
  if (!err.empty()) {
    // A secret's text never reaches a message; secrets are plain strings, so this is a guard.
    l.errors.push_back(where + ": key '" + full + "': " + (f.secret ? "invalid value" : err));
    return;
  }
  l.origin[full] = origin;
}

void apply_field_node(Layering& l, const Field& f, const YAML::Node& v, const std::string& file) {
  const std::string where = line_of(file, v.Mark());
  const std::string key(f.key);
  switch (f.type()) {
    case FieldType::kDoubleMap: {
      if (v.IsNull()) return;
      if (!v.IsMap()) {
        l.errors.push_back(where + ": key '" + key +
                           "': expected a mapping of name -> number, got " +
                           (v.IsScalar() ? "'" + v.Scalar() + "'" : render_scalar(v)));
        return;
      }
      for (const auto& kv : v) {
        const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : "";
        const std::string ewhere = line_of(file, kv.second.Mark());
        if (name.empty()) {
          l.errors.push_back(line_of(file, kv.first.Mark()) + ": key '" + key +
                             "': entry names must be plain strings");
          continue;
        }
        if (!kv.second.IsScalar()) {
          l.errors.push_back(ewhere + ": key '" + key + "." + name + "': expected a number, got " +
                             render_scalar(kv.second));
          continue;
        }
        set_leaf(l, f, kv.second.Scalar(), name, ewhere, ewhere);
      }
      return;
    }
    case FieldType::kStringList: {
      if (v.IsNull()) {
        std::get<std::vector<std::string>*>(f.ref(l.cfg))->clear();
        l.origin[key] = where;
        return;
      }
      if (!v.IsSequence()) {
        l.errors.push_back(where + ": key '" + key + "': expected a list of strings, got " +
                           (v.IsScalar() ? "'" + v.Scalar() + "'" : render_scalar(v)));
        return;
      }
      std::vector<std::string> items;
      bool ok = true;
      for (const auto& item : v) {
        if (!item.IsScalar() || item.Scalar().empty()) {
          l.errors.push_back(line_of(file, item.Mark()) + ": key '" + key +
                             "': expected a non-empty string item, got " + render_scalar(item));
          ok = false;
          continue;
        }
        items.push_back(item.Scalar());
      }
      if (ok) {
        *std::get<std::vector<std::string>*>(f.ref(l.cfg)) = std::move(items);
        l.origin[key] = where;
      }
      return;
    }
    default: break;
  }
  if (v.IsNull() && f.type() == FieldType::kString) {
    set_leaf(l, f, "", {}, where, where);
    return;
  }
  if (!v.IsScalar()) {
    l.errors.push_back(where + ": key '" + key + "': expected " + type_expectation(f.type()) +
                       ", got " + render_scalar(v));
    return;
  }
  set_leaf(l, f, v.Scalar(), {}, where, where);
}

bool file_is_private(const std::string& file) {
  std::error_code ec;
  const auto perms = fs::status(file, ec).permissions();
  if (ec) return false;
  return (perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none;
}

void apply_map(Layering& l, const YAML::Node& map, const std::string& prefix,
               const std::string& file, bool secrets_ok) {
  std::map<std::string, int> seen;  // key -> line, to catch duplicates yaml-cpp lets through
  for (const auto& kv : map) {
    const YAML::Node& k = kv.first;
    const YAML::Node& v = kv.second;
    const std::string kwhere = line_of(file, k.Mark());
    if (!k.IsScalar()) {
      l.errors.push_back(kwhere + ": keys must be plain strings");
      continue;
    }
    const std::string path = prefix.empty() ? k.Scalar() : prefix + "." + k.Scalar();
    const int line = k.Mark().line + 1;
    if (auto [it, inserted] = seen.emplace(k.Scalar(), line); !inserted) {
      l.errors.push_back(kwhere + ": duplicate key '" + path + "' (first at line " +
                         std::to_string(it->second) + ")");
      continue;
    }
    if (const Field* f = find_field(path)) {
      if (f->secret && !v.IsNull() && !(v.IsScalar() && v.Scalar().empty()) && !secrets_ok) {
        l.errors.push_back(kwhere + ": key '" + path +
                           "' is a secret but the file is readable by group/others; chmod 600 " +
                           file + " or set " + std::string(f->alias_env) + " instead");
        continue;
      }
      if (f->key == path) {
        apply_field_node(l, *f, v, file);
      } else {  // strategy.params.<name>: one map entry written as a dotted key
        const std::string vwhere = line_of(file, v.Mark());
        if (!v.IsScalar()) {
          l.errors.push_back(vwhere + ": key '" + path + "': expected a number, got " +
                             render_scalar(v));
          continue;
        }
        set_leaf(l, *f, v.Scalar(), std::string_view(path).substr(f->key.size() + 1), vwhere,
                 vwhere);
      }
    } else if (is_section(path)) {
      if (v.IsNull()) continue;  // "sim:" with nothing under it
      if (!v.IsMap()) {
        l.errors.push_back(line_of(file, v.Mark()) + ": key '" + path +
                           "': expected a section (a mapping of keys), got " + render_scalar(v));
        continue;
      }
      apply_map(l, v, path, file, secrets_ok);
    } else {
      l.errors.push_back(kwhere + ": " + unknown_key(path));
    }
  }
}

void apply_file(Layering& l, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::BadFile&) {
    l.errors.push_back(file + ": cannot read file");
    return;
  } catch (const YAML::ParserException& e) {
    l.errors.push_back(file + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " +
                       e.msg + " (column " + std::to_string(e.mark.column + 1) + ")");
    return;
  } catch (const YAML::Exception& e) {
    l.errors.push_back(file + ": " + e.what());
    return;
  }
  if (root.IsNull()) return;  // an empty overlay is fine
  if (!root.IsMap()) {
    l.errors.push_back(line_of(file, root.Mark()) +
                       ": expected a mapping of keys at the top level");
    return;
  }
  try {
    apply_map(l, root, "", file, file_is_private(file));
  } catch (const YAML::Exception& e) {  // load() promises not to throw, whatever the input
    l.errors.push_back(file + ": " + e.what());
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

void apply_env(Layering& l, const std::map<std::string, std::string>& env) {
  std::set<std::string, std::less<>> known(kNonConfigEnv.begin(), kNonConfigEnv.end());
  for (const Field& f : schema()) {
    const std::string var = f.env_var();
    known.insert(var);
    if (!f.alias_env.empty()) known.insert(std::string(f.alias_env));
    if (f.key == "env") continue;  // HFT_ENV is the selector itself, read by load()
    // The conventional name first, so that the HFT_ form wins when both are set.
    if (!f.alias_env.empty()) {
      if (auto it = env.find(std::string(f.alias_env)); it != env.end()) {
        set_leaf(l, f, it->second, {}, "env " + it->first, "env " + it->first);
      }
    }
    if (f.type() == FieldType::kDoubleMap) {
      const std::string prefix = var + "_";
      for (auto it = env.lower_bound(prefix); it != env.end() && it->first.starts_with(prefix);
           ++it) {
        const std::string name = lower(std::string_view(it->first).substr(prefix.size()));
        set_leaf(l, f, it->second, name, "env " + it->first, "env " + it->first);
        known.insert(it->first);
      }
    }
    if (auto it = env.find(var); it != env.end()) {
      set_leaf(l, f, it->second, {}, "env " + var, "env " + var);
    }
  }
  for (const auto& [name, value] : env) {
    if (!name.starts_with("HFT_") || known.contains(name)) continue;
    for (const Field& f : schema()) {
      if (edit_distance(name, f.env_var()) <= 2) {
        l.warnings.push_back("env " + name + ": not a config variable (did you mean " +
                             f.env_var() + "?)");
        break;
      }
    }
  }
}

void apply_cli(Layering& l, const std::map<std::string, std::string>& cli) {
  for (const auto& [key, value] : cli) {
    const std::string where = "cli --" + key;
    const Field* f = find_field(key);
    if (f == nullptr) {
      l.errors.push_back(where + ": " + unknown_key(key));
      continue;
    }
    if (f->secret) {
      l.errors.push_back(where + ": secrets cannot be given on the command line (other users " +
                         "see it in ps); set " + std::string(f->alias_env) + " instead");
      continue;
    }
    const std::string_view map_key =
        f->key == key ? std::string_view{} : std::string_view(key).substr(f->key.size() + 1);
    set_leaf(l, *f, value, map_key, where, where);
  }
}

// A relative symbols_file is looked up from the working directory first, then from the project
// root (the parent of the config directory), so `hft` works from any directory when
// HFT_CONFIG_DIR points at a checkout's config/.
void resolve_relative_paths(Layering& l, const fs::path& config_dir) {
  std::error_code ec;
  const fs::path file = l.cfg.symbols_file;
  if (file.empty() || file.is_absolute() || fs::exists(file, ec)) return;
  const fs::path from_root = config_dir.parent_path() / file;
  if (fs::exists(from_root, ec)) l.cfg.symbols_file = from_root.string();
}

// Checks that need the whole picture, after every layer.
void check_final(Layering& l) {
  const auto origin_of = [&](const std::string& key) {
    auto it = l.origin.find(key);
    return it == l.origin.end() ? std::string("default") : it->second;
  };
  if (l.cfg.symbols.empty()) {
    l.errors.push_back(origin_of("symbols") + ": key 'symbols': at least one symbol is needed");
  }
  if (!l.cfg.symbols_file.empty() && !fs::exists(l.cfg.symbols_file)) {
    l.errors.push_back(origin_of("symbols_file") + ": key 'symbols_file': '" + l.cfg.symbols_file +
                       "' does not exist (create it with `hft config build`)");
  }
}

std::vector<Provenance> provenance_of(const Layering& l) {
  std::vector<Provenance> out;
  const auto origin_of = [&](const std::string& key) {
    if (key == "mode") return l.mode_origin;
    if (key == "env") return l.env_origin;
    auto it = l.origin.find(key);
    return it == l.origin.end() ? std::string("default") : it->second;
  };
  for (const Field& f : schema()) {
    const std::string key(f.key);
    if (f.type() == FieldType::kDoubleMap &&
        !std::get<std::map<std::string, double>*>(f.ref(const_cast<Config&>(l.cfg)))->empty()) {
      const auto* m = std::get<std::map<std::string, double>*>(f.ref(const_cast<Config&>(l.cfg)));
      for (const auto& [name, v] : *m) {
        out.push_back({key + "." + name, render_number(v), origin_of(key + "." + name)});
      }
      continue;
    }
    out.push_back({key, render_value(f, l.cfg), origin_of(key)});
  }
  return out;
}

}  // namespace

LoadResult load(const LoadOptions& options) {
  Layering l;
  const Field* mode_field = find_field("mode");
  const Field* env_field = find_field("env");

  // Selectors first: they choose which files take part.
  l.mode_origin = options.mode == "sim" ? "default" : "cli --mode";
  if (auto e = assign_text(*mode_field, l.cfg, options.mode); !e.empty()) {
    l.errors.push_back(l.mode_origin + ": key 'mode': " + e);
  }
  if (auto it = options.env.find("HFT_ENV"); it != options.env.end()) {
    l.env_origin = "env HFT_ENV";
    if (auto e = assign_text(*env_field, l.cfg, it->second); !e.empty()) {
      l.errors.push_back("env HFT_ENV: key 'env': " + e);
    }
  }

  std::error_code ec;
  const fs::path dir = options.config_dir;
  if (!fs::is_directory(dir, ec)) {
    l.warnings.push_back("config dir '" + options.config_dir +
                         "' does not exist; using built-in defaults");
  } else {
    const fs::path base = dir / "base" / "main.yaml";
    if (!fs::exists(base, ec)) {
      l.errors.push_back(base.string() + ": missing (every config dir needs base/main.yaml)");
    } else {
      apply_file(l, base.string());
    }
    for (const std::string& overlay : {l.cfg.mode, l.cfg.env}) {
      const fs::path p = dir / "env" / overlay / "main.yaml";
      if (fs::exists(p, ec)) apply_file(l, p.string());
    }
  }
  if (options.extra_file) {
    if (!fs::exists(*options.extra_file, ec)) {
      l.errors.push_back(*options.extra_file + ": --config file does not exist");
    } else {
      apply_file(l, *options.extra_file);
    }
  }
  apply_env(l, options.env);
  apply_cli(l, options.cli);
  resolve_relative_paths(l, fs::path(options.config_dir));
  check_final(l);

  LoadResult r;
  r.provenance = provenance_of(l);
  r.config = std::move(l.cfg);
  r.errors = std::move(l.errors);
  r.warnings = std::move(l.warnings);
  return r;
}

std::vector<std::string> validate_file(const std::string& path) {
  Layering l;
  l.enforce_selectors = false;
  std::error_code ec;
  if (!fs::exists(path, ec)) return {path + ": file does not exist"};
  apply_file(l, path);
  return l.errors;
}

std::string provenance_table(const std::vector<Provenance>& rows) {
  std::size_t wk = 3;
  std::size_t wv = 5;
  for (const auto& r : rows) {
    wk = std::max(wk, r.key.size());
    wv = std::max(wv, r.value.size());
  }
  const auto line = [&](const std::string& k, const std::string& v, const std::string& o) {
    std::string out = k + std::string(wk - k.size() + 2, ' ') + v;
    out += std::string(wv - v.size() + 2, ' ') + o + "\n";
    return out;
  };
  std::string out = line("key", "value", "origin");
  for (const auto& r : rows) out += line(r.key, r.value.empty() ? "\"\"" : r.value, r.origin);
  return out;
}

std::map<std::string, std::string> process_env() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view kv(*e);
    const auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return out;
}

}  // namespace hft::config
