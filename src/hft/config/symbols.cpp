#include "hft/config/symbols.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "hft/config/schema.hpp"

namespace hft::config {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSpecKeys[] = {"name",     "root",         "product_type",
                                          "exchange", "price_scale",  "multiplier",
                                          "lot_size", "limit_pct_bp", "tags"};

bool is_spec_key(std::string_view k) {
  for (auto s : kSpecKeys) {
    if (s == k) return true;
  }
  return false;
}

std::string suggest_spec_key(std::string_view k) {
  for (auto s : kSpecKeys) {
    if (edit_distance(k, s) <= 2) return " (did you mean '" + std::string(s) + "'?)";
  }
  return {};
}

std::string allowed_product_types() { return "stock|etf|index_future|stock_future|index_option"; }

// Exchange names as written by people and by the platform we replace.
std::optional<Exchange> parse_exchange(std::string_view s) {
  if (auto e = exchange_from_string(s)) return e;
  if (s == "TWSE") return Exchange::kTSE;
  if (s == "TPEx" || s == "TPEX") return Exchange::kOTC;
  if (s == "FUT" || s == "OPT") return Exchange::kTAIFEX;
  return std::nullopt;
}

std::optional<std::int64_t> parse_i64(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::vector<std::string> split_tags(std::string_view s) {
  std::vector<std::string> out;
  while (true) {
    const auto bar = s.find('|');
    if (auto t = s.substr(0, bar); !t.empty()) out.emplace_back(t);
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  return out;
}

std::int64_t default_lot_size(ProductType t) {
  return t == ProductType::kStock || t == ProductType::kEtf ? 1000 : 1;
}

std::string inline_spec_hint(std::string_view code) {
  return "write its full spec inline, e.g. '" + std::string(code) +
         " product_type=stock exchange=TSE price_scale=100 multiplier=1000 lot_size=1000' "
         "(product_type one of " +
         allowed_product_types() + "; exchange TSE|OTC|TAIFEX)";
}

// Builds the spec of `code` from the built-in table and key=value overrides. `where` prefixes
// errors ("file:line"). Returns nullopt after recording errors.
std::optional<SymbolEntry> make_entry(const std::string& code,
                                      const std::map<std::string, std::string>& kv,
                                      const std::string& where, std::vector<std::string>& errors) {
  const std::size_t errors_before = errors.size();
  SymbolEntry e;
  const auto builtin = builtin_contract(code);
  if (builtin) {
    e.spec = *builtin;
  } else {
    std::string missing;
    for (const char* k : {"product_type", "exchange", "price_scale", "multiplier"}) {
      if (!kv.contains(k)) missing += std::string(missing.empty() ? "" : ", ") + k;
    }
    if (!missing.empty()) {
      errors.push_back(where + ": unknown symbol '" + code +
                       "': not in the built-in contract table (missing " + missing + "); " +
                       inline_spec_hint(code));
      return std::nullopt;
    }
    e.spec.code = code;
    e.spec.name = code;
    e.spec.root = code;
  }
  const auto bad = [&](const std::string& key, const std::string& value, const std::string& want) {
    errors.push_back(where + ": symbol '" + code + "': " + key + "='" + value + "': expected " +
                     want);
  };
  bool lot_given = false;
  for (const auto& [k, v] : kv) {
    if (k == "name") {
      e.spec.name = v;
    } else if (k == "root") {
      e.spec.root = v;
    } else if (k == "product_type") {
      if (auto t = product_type_from_string(v)) {
        e.spec.type = *t;
      } else {
        bad(k, v, "one of " + allowed_product_types());
      }
    } else if (k == "exchange") {
      if (auto x = parse_exchange(v)) {
        e.spec.exchange = *x;
      } else {
        bad(k, v, "one of TSE|OTC|TAIFEX");
      }
    } else if (k == "tags") {
      e.tags = split_tags(v);
    } else {
      const auto n = parse_i64(v);
      if (!n) {
        bad(k, v, "an integer");
        continue;
      }
      if (k == "price_scale") e.spec.price_scale = *n;
      if (k == "multiplier") e.spec.multiplier = *n;
      if (k == "lot_size") {
        e.spec.lot_size = *n;
        lot_given = true;
      }
      if (k == "limit_pct_bp") e.spec.limit_pct_bp = *n;
    }
  }
  if (!builtin && !lot_given) e.spec.lot_size = default_lot_size(e.spec.type);
  if (errors.size() != errors_before) return std::nullopt;
  if (auto why = e.spec.validate(); !why.empty()) {
    errors.push_back(where + ": symbol '" + code + "': " + why);
    return std::nullopt;
  }
  return e;
}

// Splits a line into words; a value may be double-quoted (name="Hon Hai"). '#' outside quotes
// starts a comment. Returns false on an unterminated quote.
bool split_words(std::string_view line, std::vector<std::string>& words) {
  std::string cur;
  bool in_quotes = false;
  bool have = false;
  for (char ch : line) {
    if (in_quotes) {
      if (ch == '"') {
        in_quotes = false;
      } else {
        cur.push_back(ch);
      }
    } else if (ch == '"') {
      in_quotes = true;
      have = true;
    } else if (ch == '#') {
      break;
    } else if (ch == ' ' || ch == '\t' || ch == '\r') {
      if (have) words.push_back(std::move(cur));
      cur.clear();
      have = false;
    } else {
      cur.push_back(ch);
      have = true;
    }
  }
  if (in_quotes) return false;
  if (have) words.push_back(std::move(cur));
  return true;
}

struct ListParser {
  SymbolsResult result;
  std::map<std::string, std::string> first_seen;  // code -> "file:line"
  std::vector<std::string> include_stack;         // canonical paths, to refuse cycles

  void parse_text(std::string_view text, const std::string& origin, const fs::path& dir);
  void parse_file(const std::string& path, const std::string& where_included);
};

void ListParser::parse_file(const std::string& path, const std::string& where_included) {
  std::error_code ec;
  const std::string canon = fs::weakly_canonical(path, ec).string();
  for (const auto& open : include_stack) {
    if (open == canon) {
      result.errors.push_back(where_included + ": @include cycle: '" + path +
                              "' is already being read");
      return;
    }
  }
  std::ifstream in(path);
  if (!in) {
    result.errors.push_back((where_included.empty() ? path : where_included + ": '" + path + "'") +
                            ": cannot read file");
    return;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  include_stack.push_back(canon);
  parse_text(ss.str(), path, fs::path(path).parent_path());
  include_stack.pop_back();
}

void ListParser::parse_text(std::string_view text, const std::string& origin, const fs::path& dir) {
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    const std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    const std::string where = origin + ":" + std::to_string(line_no);
    std::vector<std::string> words;
    if (!split_words(line, words)) {
      result.errors.push_back(where + ": unterminated quote");
      continue;
    }
    if (words.empty()) continue;
    if (words[0] == "@include") {
      if (words.size() != 2) {
        result.errors.push_back(where + ": expected '@include FILE'");
        continue;
      }
      const fs::path p = fs::path(words[1]).is_absolute() ? fs::path(words[1]) : dir / words[1];
      parse_file(p.string(), where);
      continue;
    }
    const std::string& raw = words[0];
    if (raw.find(',') != std::string::npos || raw.find('=') != std::string::npos) {
      result.errors.push_back(where + ": '" + raw +
                              "': a line starts with a symbol code; write 'CODE key=value ...' "
                              "(e.g. '2330 exchange=TSE tags=stocks')");
      continue;
    }
    const std::string code = expand_code(raw);
    if (code.find('@') != std::string::npos) {
      result.errors.push_back(where + ": '" + raw +
                              "': unknown roll rule; use ROOT@front (= ROOTR1) or ROOT@next "
                              "(= ROOTR2)");
      continue;
    }
    std::map<std::string, std::string> kv;
    bool ok = true;
    for (std::size_t i = 1; i < words.size(); ++i) {
      const auto eq = words[i].find('=');
      if (eq == std::string::npos || eq == 0) {
        result.errors.push_back(where + ": '" + words[i] + "': expected key=value");
        ok = false;
        continue;
      }
      std::string k = words[i].substr(0, eq);
      if (!is_spec_key(k)) {
        result.errors.push_back(where + ": unknown key '" + k + "'" + suggest_spec_key(k) +
                                "; known keys: name, root, product_type, exchange, price_scale, "
                                "multiplier, lot_size, limit_pct_bp, tags");
        ok = false;
        continue;
      }
      if (!kv.emplace(k, words[i].substr(eq + 1)).second) {
        result.errors.push_back(where + ": key '" + k + "' given twice");
        ok = false;
      }
    }
    if (!ok) continue;
    if (auto [it, inserted] = first_seen.emplace(code, where); !inserted) {
      result.errors.push_back(where + ": duplicate symbol '" + code + "' (first at " + it->second +
                              ")");
      continue;
    }
    if (auto e = make_entry(code, kv, where, result.errors))
      result.symbols.push_back(std::move(*e));
  }
}

std::string yaml_quoted(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  return out + "\"";
}

}  // namespace

std::string expand_code(std::string_view code) {
  const auto at = code.find('@');
  if (at == std::string_view::npos || at == 0) return std::string(code);
  const std::string_view root = code.substr(0, at);
  const std::string_view rule = code.substr(at + 1);
  if (rule == "front") return std::string(root) + "R1";
  if (rule == "next") return std::string(root) + "R2";
  return std::string(code);
}

SymbolsResult parse_symbols_list(const std::string& path) {
  ListParser p;
  p.parse_file(path, "");
  return std::move(p.result);
}

SymbolsResult parse_symbols_list_text(std::string_view text, const std::string& origin) {
  ListParser p;
  p.parse_text(text, origin, fs::current_path());
  return std::move(p.result);
}

std::string render_symbols_yaml(const std::vector<SymbolEntry>& symbols,
                                const std::string& source) {
  std::string out = "# Generated by `hft config build` from " + source +
                    "; edit that file and rebuild, not this one.\nsymbols:\n";
  if (symbols.empty()) return out.substr(0, out.size() - 1) + " []\n";
  for (const SymbolEntry& e : symbols) {
    const ContractSpec& s = e.spec;
    out += "  - code: " + yaml_quoted(s.code) + "\n";
    out += "    name: " + yaml_quoted(s.name) + "\n";
    out += "    root: " + yaml_quoted(s.root) + "\n";
    out += "    product_type: " + std::string(to_string(s.type)) + "\n";
    out += "    exchange: " + std::string(to_string(s.exchange)) + "\n";
    out += "    price_scale: " + std::to_string(s.price_scale) + "\n";
    out += "    multiplier: " + std::to_string(s.multiplier) + "\n";
    out += "    lot_size: " + std::to_string(s.lot_size) + "\n";
    out += "    limit_pct_bp: " + std::to_string(s.limit_pct_bp) + "\n";
    out += "    tags: [";
    for (std::size_t i = 0; i < e.tags.size(); ++i) out += (i ? ", " : "") + yaml_quoted(e.tags[i]);
    out += "]\n";
  }
  return out;
}

std::string write_symbols_yaml(const std::string& path, const std::vector<SymbolEntry>& symbols,
                               const std::string& source) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return path + ": cannot write";
    out << render_symbols_yaml(symbols, source);
    if (!out.flush()) return path + ": write failed";
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return path + ": cannot rename " + tmp + ": " + ec.message();
  return {};
}

namespace {

SymbolsResult load_symbols_node(const std::string& path, const YAML::Node& root);

}  // namespace

SymbolsResult load_symbols_yaml(const std::string& path) {
  SymbolsResult r;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    r.errors.push_back(path + ": cannot read file");
    return r;
  } catch (const YAML::ParserException& e) {
    r.errors.push_back(path + ":" + std::to_string(e.mark.line + 1) +
                       ": YAML syntax error: " + e.msg);
    return r;
  } catch (const YAML::Exception& e) {
    r.errors.push_back(path + ": " + e.what());
    return r;
  }
  try {
    return load_symbols_node(path, root);
  } catch (const YAML::Exception& e) {
    r.errors.push_back(path + ": " + e.what());
    return r;
  }
}

namespace {

SymbolsResult load_symbols_node(const std::string& path, const YAML::Node& root) {
  SymbolsResult r;
  const auto at = [&](const YAML::Node& n) {
    return path + ":" + std::to_string(n.Mark().line + 1);
  };
  if (!root.IsMap() || !root["symbols"] ||
      !(root["symbols"].IsSequence() || root["symbols"].IsNull())) {
    r.errors.push_back(path + ":1: expected a top-level 'symbols:' list");
    return r;
  }
  for (const auto& kv : root) {
    if (kv.first.Scalar() != "symbols") {
      r.errors.push_back(at(kv.first) + ": unknown key '" + kv.first.Scalar() + "'");
    }
  }
  std::map<std::string, std::string> first_seen;
  for (const auto& item : root["symbols"]) {
    const std::string where = at(item);
    if (!item.IsMap()) {
      r.errors.push_back(where +
                         ": expected a symbol entry (a mapping with code, product_type, ...)");
      continue;
    }
    std::map<std::string, std::string> kv;
    std::string code;
    bool ok = true;
    for (const auto& field : item) {
      const std::string k = field.first.Scalar();
      if (k == "code") {
        code = field.second.Scalar();
        continue;
      }
      if (!is_spec_key(k)) {
        r.errors.push_back(at(field.first) + ": unknown key '" + k + "'" + suggest_spec_key(k));
        ok = false;
        continue;
      }
      if (k == "tags") {
        if (!field.second.IsSequence() && !field.second.IsNull()) {
          r.errors.push_back(at(field.second) + ": key 'tags': expected a list of strings");
          ok = false;
          continue;
        }
        std::string joined;
        for (const auto& t : field.second) {
          if (!t.IsScalar() || t.Scalar().empty() || t.Scalar().find('|') != std::string::npos) {
            r.errors.push_back(at(t) + ": key 'tags': expected plain words without '|'");
            ok = false;
            continue;
          }
          joined += (joined.empty() ? "" : "|") + t.Scalar();
        }
        kv[k] = joined;
        continue;
      }
      if (!field.second.IsScalar()) {
        r.errors.push_back(at(field.second) + ": key '" + k + "': expected a scalar value");
        ok = false;
        continue;
      }
      kv[k] = field.second.Scalar();
    }
    if (code.empty()) {
      r.errors.push_back(where + ": symbol entry without a 'code'");
      continue;
    }
    if (!ok) continue;
    if (auto [it, inserted] = first_seen.emplace(code, where); !inserted) {
      r.errors.push_back(where + ": duplicate symbol '" + code + "' (first at " + it->second + ")");
      continue;
    }
    // Every field is written out by `hft config build`, so the file alone defines the spec;
    // the built-in table only fills what a hand-written entry leaves out.
    if (auto e = make_entry(code, kv, where, r.errors)) r.symbols.push_back(std::move(*e));
  }
  return r;
}

}  // namespace

SymbolsResult resolve_symbols(const Config& config) {
  SymbolsResult r;
  std::map<std::string, SymbolEntry> from_file;
  if (!config.symbols_file.empty()) {
    SymbolsResult f = load_symbols_yaml(config.symbols_file);
    r.errors = std::move(f.errors);
    for (auto& e : f.symbols) from_file.emplace(e.spec.code, std::move(e));
  }
  std::map<std::string, std::string> seen;
  for (const std::string& raw : config.symbols) {
    const std::string code = expand_code(raw);
    if (auto [it, inserted] = seen.emplace(code, raw); !inserted) {
      r.errors.push_back("key 'symbols': duplicate symbol '" + code + "' ('" + it->second +
                         "' and '" + raw + "')");
      continue;
    }
    if (auto it = from_file.find(code); it != from_file.end()) {
      r.symbols.push_back(it->second);
    } else if (auto spec = builtin_contract(code)) {
      r.symbols.push_back({*spec, {}});
    } else {
      r.errors.push_back("key 'symbols': unknown symbol '" + code + "': not in " +
                         (config.symbols_file.empty()
                              ? std::string("the built-in table")
                              : config.symbols_file + " nor the built-in table") +
                         "; add it to config/symbols.list and run `hft config build`");
    }
  }
  return r;
}

}  // namespace hft::config
