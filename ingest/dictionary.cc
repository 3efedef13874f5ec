#include "ingest/dictionary.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "ingest/ascii.h"

namespace kg::ingest {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- helpers

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
    --e;
  return s.substr(b, e - b);
}

std::string Lower(std::string_view s) { return ingest::AsciiLower(s); }
std::string Upper(std::string_view s) { return ingest::AsciiUpper(s); }

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::vector<std::string> SplitWords(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  for (const auto& w : SplitWords(s)) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

Status Err(const std::string& file, uint32_t line, const std::string& reason) {
  return Status::InvalidArgument(file + ":" + std::to_string(line) + ": " + reason);
}

std::string Where(const std::string& file, uint32_t line) {
  return file + ":" + std::to_string(line);
}

Result<std::vector<std::string>> ReadLines(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Status::IoError(path + ": cannot read: not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  if (in.bad()) return Status::IoError(path + ": read error");
  if (!lines.empty() && lines[0].rfind("\xEF\xBB\xBF", 0) == 0) lines[0].erase(0, 3);
  return lines;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
Date CivilToDays(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Date>(era * 146097 + static_cast<int>(doe) - 719468);
}

bool ParseDigits(std::string_view s, int* out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

Result<Date> MakeDate(int y, int m, int d, std::string_view text) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) {
    return Status::InvalidArgument("bad date '" + std::string(text) + "'");
  }
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap)
    return Status::InvalidArgument("bad date '" + std::string(text) + "'");
  return CivilToDays(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

// TABARI dates: YYMMDD (00-30 -> 20YY, else 19YY) or YYYYMMDD.
Result<Date> ParseTabariDate(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() == 6 && ParseDigits(s.substr(0, 2), &y) && ParseDigits(s.substr(2, 2), &m) &&
      ParseDigits(s.substr(4, 2), &d)) {
    y += y <= 30 ? 2000 : 1900;
    return MakeDate(y, m, d, s);
  }
  if (s.size() == 8 && ParseDigits(s.substr(0, 4), &y) && ParseDigits(s.substr(4, 2), &m) &&
      ParseDigits(s.substr(6, 2), &d)) {
    return MakeDate(y, m, d, s);
  }
  return Status::InvalidArgument("bad date '" + std::string(s) + "' (expected YYMMDD or YYYYMMDD)");
}

bool IsActorCode(std::string_view code) {
  if (code.empty() || code.size() > 30) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool IsCameoCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 4) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A TSV table: the header has been checked; rows are split into exactly
// `columns.size()` fields.
struct Row {
  uint32_t line = 0;
  std::vector<std::string> fields;
};

Result<std::vector<Row>> ReadTable(const std::string& path,
                                   const std::vector<std::string>& columns) {
  KG_ASSIGN_OR_RETURN(auto lines, ReadLines(path));
  std::vector<Row> rows;
  std::string header;
  for (size_t i = 0; i < lines.size(); ++i) {
    const uint32_t lineno = static_cast<uint32_t>(i + 1);
    std::string_view raw = lines[i];
    std::string_view trimmed = Trim(raw);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    std::vector<std::string_view> parts = Split(raw, '\t');
    if (header.empty()) {
      std::vector<std::string> names;
      for (auto p : parts) names.push_back(Lower(Trim(p)));
      if (names != columns) {
        std::string want;
        for (const auto& c : columns) want += (want.empty() ? "" : "<TAB>") + c;
        return Err(path, lineno, "bad header '" + std::string(trimmed) + "', expected " + want);
      }
      header = Lower(trimmed);
      continue;
    }
    if (Lower(trimmed) == header) return Err(path, lineno, "duplicate header line");
    if (parts.size() != columns.size()) {
      return Err(
          path, lineno,
          "expected " + std::to_string(columns.size()) + " tab-separated columns (" +
              [&] {
                std::string s;
                for (const auto& c : columns) s += (s.empty() ? "" : ", ") + c;
                return s;
              }() +
              "), got " + std::to_string(parts.size()));
    }
    Row row;
    row.line = lineno;
    for (auto p : parts) row.fields.emplace_back(Trim(p));
    rows.push_back(std::move(row));
  }
  if (header.empty()) return Err(path, 1, "missing header line");
  return rows;
}

Status CheckUniqueVerbs(const std::vector<VerbEntry>& verbs, size_t first) {
  std::map<std::pair<std::string, bool>, uint32_t> seen;
  for (size_t i = first; i < verbs.size(); ++i) {
    const auto& v = verbs[i];
    auto key = std::make_pair(v.phrase, v.Has(kVerbNominal));
    auto [it, inserted] = seen.emplace(key, v.line);
    if (!inserted) {
      return Err(
          v.file, v.line,
          "duplicate phrase '" + v.phrase + "' (first on line " + std::to_string(it->second) + ")");
    }
  }
  return Status::Ok();
}

}  // namespace

// ---------------------------------------------------------------- public helpers

bool ActorEntry::ValidOn(Date date) const {
  if (date == kUnknownDate) return true;
  if (valid_from != kUnknownDate && date < valid_from) return false;
  if (valid_to != kUnknownDate && date >= valid_to) return false;
  return true;
}

std::string_view RoleKindName(RoleKind kind) {
  switch (kind) {
    case RoleKind::kTitle:
      return "title";
    case RoleKind::kBody:
      return "body";
    case RoleKind::kGroup:
      return "group";
  }
  return "title";
}

namespace {
constexpr std::pair<std::string_view, VerbFlag> kFlagNames[] = {
    {"cue", kVerbCue},
    {"accusatory", kVerbAccusatory},
    {"control", kVerbControl},
    {"nominal", kVerbNominal},
    {"symmetric", kVerbSymmetric},
    {"passive_ok", kVerbPassiveOk},
    {"pejorative", kVerbPejorative},
    {"stance", kVerbStance},
    {"medium", kVerbMedium},
};
}  // namespace

Result<uint32_t> ParseVerbFlags(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text == "-") return 0u;
  uint32_t flags = 0;
  for (auto part : Split(text, ',')) {
    std::string name = Lower(Trim(part));
    if (name.empty()) continue;
    bool found = false;
    for (const auto& [n, f] : kFlagNames) {
      if (n == name) {
        flags |= f;
        found = true;
      }
    }
    if (!found) {
      return Status::InvalidArgument("unknown flag '" + name +
                                     "' (expected cue, accusatory, control, nominal, symmetric, "
                                     "passive_ok, pejorative, stance, medium or -)");
    }
  }
  return flags;
}

std::string VerbFlagsToString(uint32_t flags) {
  std::string out;
  for (const auto& [n, f] : kFlagNames) {
    if (flags & f) {
      if (!out.empty()) out += ',';
      out += n;
    }
  }
  return out.empty() ? "-" : out;
}

Result<Date> ParseDictionaryDate(std::string_view text) {
  text = Trim(text);
  int y = 0, m = 0, d = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && ParseDigits(text.substr(0, 4), &y) &&
      ParseDigits(text.substr(5, 2), &m) && ParseDigits(text.substr(8, 2), &d)) {
    return MakeDate(y, m, d, text);
  }
  return Status::InvalidArgument("bad date '" + std::string(text) + "' (expected YYYY-MM-DD)");
}

void Dictionaries::IndexCameo() {
  cameo_index_.clear();
  for (size_t i = 0; i < cameo.size(); ++i) cameo_index_.emplace(cameo[i].code, i);
}

const CameoEntry* Dictionaries::FindCameo(std::string_view code) const {
  code = Trim(code);
  while (code.size() >= 2) {
    auto it = cameo_index_.find(code);
    if (it != cameo_index_.end()) return &cameo[it->second];
    // A 3-digit code "190" may be listed only as its root "19".
    code.remove_suffix(1);
  }
  return nullptr;
}

double Dictionaries::Goldstein(std::string_view code) const {
  const CameoEntry* e = FindCameo(code);
  return e ? e->goldstein : 0.0;
}

// ---------------------------------------------------------------- TSV readers

Status LoadActorTsv(const std::string& path, std::vector<ActorEntry>* out) {
  KG_ASSIGN_OR_RETURN(
      auto rows, ReadTable(path, {"name", "code", "type", "aliases", "valid_from", "valid_to"}));
  for (auto& row : rows) {
    auto& f = row.fields;
    ActorEntry e;
    e.file = path;
    e.line = row.line;
    e.name = CollapseSpaces(f[0]);
    if (e.name.empty()) return Err(path, row.line, "empty name");
    e.code = f[1];
    if (!IsActorCode(e.code)) {
      return Err(path, row.line,
                 "bad code '" + f[1] + "' (expected upper-case letters/digits, e.g. USAGOV)");
    }
    auto type = ParseActorType(Lower(f[2]));
    if (!type || *type == ActorType::kUnknown) {
      return Err(
          path, row.line,
          "unknown type '" + f[2] + "' (expected country, person, organization, group or place)");
    }
    e.type = *type;
    if (!f[3].empty() && f[3] != "-") {
      for (auto a : Split(f[3], '|')) {
        std::string alias = CollapseSpaces(a);
        if (alias.empty()) continue;
        if (std::find(e.aliases.begin(), e.aliases.end(), alias) == e.aliases.end()) {
          e.aliases.push_back(std::move(alias));
        }
      }
    }
    if (!f[4].empty()) {
      auto d = ParseDictionaryDate(f[4]);
      if (!d.ok()) return Err(path, row.line, "valid_from: " + d.status().message());
      e.valid_from = *d;
    }
    if (!f[5].empty()) {
      auto d = ParseDictionaryDate(f[5]);
      if (!d.ok()) return Err(path, row.line, "valid_to: " + d.status().message());
      e.valid_to = *d;
    }
    if (e.valid_from != kUnknownDate && e.valid_to != kUnknownDate && e.valid_from >= e.valid_to) {
      return Err(path, row.line, "valid_from " + f[4] + " is not before valid_to " + f[5]);
    }
    out->push_back(std::move(e));
  }
  return Status::Ok();
}

Status LoadDemonymTsv(const std::string& path, std::vector<DemonymEntry>* out) {
  KG_ASSIGN_OR_RETURN(auto rows, ReadTable(path, {"adjective", "code"}));
  for (auto& row : rows) {
    DemonymEntry e{CollapseSpaces(row.fields[0]), row.fields[1]};
    if (e.adjective.empty()) return Err(path, row.line, "empty adjective");
    if (!IsActorCode(e.code)) return Err(path, row.line, "bad code '" + e.code + "'");
    out->push_back(std::move(e));
  }
  return Status::Ok();
}

Status LoadRoleTsv(const std::string& path, std::vector<RoleEntry>* out) {
  KG_ASSIGN_OR_RETURN(auto rows, ReadTable(path, {"phrase", "suffix", "kind"}));
  for (auto& row : rows) {
    RoleEntry e;
    e.phrase = CollapseSpaces(row.fields[0]);
    if (e.phrase.empty()) return Err(path, row.line, "empty phrase");
    e.suffix = row.fields[1] == "-" ? "" : row.fields[1];
    if (!e.suffix.empty() && !IsActorCode(e.suffix)) {
      return Err(path, row.line,
                 "bad suffix '" + e.suffix + "' (expected a role code like GOV or -)");
    }
    std::string kind = Lower(row.fields[2]);
    if (kind == "title") {
      e.kind = RoleKind::kTitle;
    } else if (kind == "body") {
      e.kind = RoleKind::kBody;
    } else if (kind == "group") {
      e.kind = RoleKind::kGroup;
    } else {
      return Err(path, row.line,
                 "unknown kind '" + row.fields[2] + "' (expected title, body or group)");
    }
    out->push_back(std::move(e));
  }
  return Status::Ok();
}

Status LoadCameoTsv(const std::string& path, std::vector<CameoEntry>* out) {
  KG_ASSIGN_OR_RETURN(auto rows, ReadTable(path, {"code", "name", "goldstein", "quad"}));
  std::map<std::string, uint32_t> seen;
  for (auto& row : rows) {
    auto& f = row.fields;
    CameoEntry e;
    e.code = f[0];
    if (!IsCameoCode(e.code))
      return Err(path, row.line, "bad CAMEO code '" + f[0] + "' (expected 2-4 digits)");
    auto [it, inserted] = seen.emplace(e.code, row.line);
    if (!inserted) {
      return Err(
          path, row.line,
          "duplicate code " + e.code + " (first on line " + std::to_string(it->second) + ")");
    }
    e.name = f[1];
    if (e.name.empty()) return Err(path, row.line, "empty name");
    char* end = nullptr;
    e.goldstein = std::strtod(f[2].c_str(), &end);
    if (f[2].empty() || end != f[2].c_str() + f[2].size() || e.goldstein < -10.0 ||
        e.goldstein > 10.0) {
      return Err(path, row.line, "bad goldstein '" + f[2] + "' (expected a number in [-10, 10])");
    }
    if (f[3].size() != 1 || f[3][0] < '1' || f[3][0] > '4') {
      return Err(path, row.line, "bad quad '" + f[3] + "' (expected 1, 2, 3 or 4)");
    }
    e.quad = f[3][0] - '0';
    out->push_back(std::move(e));
  }
  return Status::Ok();
}

Status LoadVerbTsv(const std::string& path, const Dictionaries& cameo,
                   std::vector<VerbEntry>* out) {
  KG_ASSIGN_OR_RETURN(auto rows, ReadTable(path, {"phrase", "cameo", "relation", "flags"}));
  const size_t first = out->size();
  for (auto& row : rows) {
    auto& f = row.fields;
    VerbEntry e;
    e.file = path;
    e.line = row.line;
    e.phrase = Lower(CollapseSpaces(f[0]));
    if (e.phrase.empty()) return Err(path, row.line, "empty phrase");
    e.words = SplitWords(e.phrase);
    e.cameo = f[1] == "-" ? "" : f[1];
    if (!e.cameo.empty()) {
      if (!IsCameoCode(e.cameo)) return Err(path, row.line, "bad CAMEO code '" + f[1] + "'");
      const CameoEntry* known = cameo.FindCameo(e.cameo);
      if (known == nullptr || known->code != e.cameo) {
        return Err(path, row.line, "CAMEO code " + e.cameo + " is not in cameo.tsv");
      }
    }
    e.relation = CollapseSpaces(f[2]);
    if (e.relation.empty()) return Err(path, row.line, "empty relation");
    auto flags = ParseVerbFlags(f[3]);
    if (!flags.ok()) return Err(path, row.line, flags.status().message());
    e.flags = *flags;
    out->push_back(std::move(e));
  }
  return CheckUniqueVerbs(*out, first);
}

// ---------------------------------------------------------------- TABARI / PETRARCH readers

namespace {

// Strips a comment introduced by '#' or ';'.
std::string_view StripComment(std::string_view s) {
  size_t pos = s.find_first_of("#;");
  if (pos != std::string_view::npos) s = s.substr(0, pos);
  return Trim(s);
}

// "HAMID_KARZAI_" -> "Hamid Karzai"-like text: underscores to spaces; case kept.
std::string TabariName(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '_' ? ' ' : c;
  return CollapseSpaces(out);
}

// "RUFUS FIREFLY" -> "Rufus Firefly"; names with lower-case letters are kept.
std::string TitleCaseIfUpper(std::string s) {
  if (std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return s;
  bool start = true;
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z' && !start) c = static_cast<char>(c - 'A' + 'a');
    start = c == ' ' || c == '-';
  }
  return s;
}

struct CodeSpec {
  std::string code;
  Date from = kUnknownDate, to = kUnknownDate;
};

// Parses the inside of "[CODE]", "[CODE <YYMMDD]", "[CODE >YYMMDD]",
// "[CODE YYMMDD-YYMMDD]".
Result<CodeSpec> ParseCodeSpec(std::string_view inside) {
  auto words = SplitWords(inside);
  if (words.empty()) return Status::InvalidArgument("empty code");
  CodeSpec spec;
  spec.code = Upper(words[0]);
  if (!IsActorCode(spec.code)) return Status::InvalidArgument("bad code '" + words[0] + "'");
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w[0] == '<' || w[0] == '>') {
      bool before = w[0] == '<';
      w.remove_prefix(1);
      KG_ASSIGN_OR_RETURN(Date d, ParseTabariDate(w));
      (before ? spec.to : spec.from) = d;
    } else if (auto dash = w.find('-'); dash != std::string_view::npos) {
      KG_ASSIGN_OR_RETURN(spec.from, ParseTabariDate(w.substr(0, dash)));
      KG_ASSIGN_OR_RETURN(spec.to, ParseTabariDate(w.substr(dash + 1)));
    } else {
      return Status::InvalidArgument("bad date restriction '" + std::string(w) + "'");
    }
  }
  return spec;
}

ActorType GuessType(const std::string& code) {
  return code.size() == 3 ? ActorType::kCountry : ActorType::kUnknown;
}

}  // namespace

Status LoadTabariActors(const std::string& path, std::vector<ActorEntry>* out,
                        std::vector<std::string>* warnings, uint64_t* skipped) {
  KG_ASSIGN_OR_RETURN(auto lines, ReadLines(path));
  struct Pending {
    std::string name;
    std::vector<std::string> aliases;
    std::vector<CodeSpec> codes;
    uint32_t line = 0;
  };
  Pending cur;
  auto flush = [&]() {
    if (cur.name.empty()) return;
    if (cur.codes.empty()) {
      warnings->push_back(Where(path, cur.line) + ": actor '" + cur.name +
                          "' has no code; skipped");
      ++*skipped;
    }
    for (const auto& spec : cur.codes) {
      ActorEntry e;
      e.name = cur.name;
      e.code = spec.code;
      e.type = GuessType(spec.code);
      e.aliases = cur.aliases;
      e.valid_from = spec.from;
      e.valid_to = spec.to;
      e.file = path;
      e.line = cur.line;
      out->push_back(std::move(e));
    }
    cur = Pending();
  };
  // Parses the "[...]" groups of `rest` into cur.codes.
  auto parse_codes = [&](std::string_view rest, uint32_t lineno) -> Status {
    while (!rest.empty()) {
      rest = Trim(rest);
      if (rest.empty()) break;
      if (rest[0] != '[')
        return Err(path, lineno, "expected '[CODE]', got '" + std::string(rest) + "'");
      size_t close = rest.find(']');
      if (close == std::string_view::npos) return Err(path, lineno, "missing ']'");
      auto spec = ParseCodeSpec(rest.substr(1, close - 1));
      if (!spec.ok()) return Err(path, lineno, spec.status().message());
      cur.codes.push_back(std::move(spec).value());
      rest = rest.substr(close + 1);
    }
    return Status::Ok();
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const uint32_t lineno = static_cast<uint32_t>(i + 1);
    std::string_view s = StripComment(lines[i]);
    if (s.empty()) continue;
    if (s[0] == '+') {
      if (cur.name.empty()) return Err(path, lineno, "alias line before any actor");
      std::string_view rest = Trim(s.substr(1));
      size_t bracket = rest.find('[');
      std::string alias = TabariName(rest.substr(0, bracket));
      if (!alias.empty()) cur.aliases.push_back(std::move(alias));
      if (bracket != std::string_view::npos)
        KG_RETURN_IF_ERROR(parse_codes(rest.substr(bracket), lineno));
      continue;
    }
    if (s[0] == '[') {
      if (cur.name.empty()) return Err(path, lineno, "code line before any actor");
      KG_RETURN_IF_ERROR(parse_codes(s, lineno));
      continue;
    }
    if (s[0] == '<' || s[0] == '!' || s[0] == '~' || s[0] == '&' || s[0] == '=' || s[0] == '-') {
      warnings->push_back(Where(path, lineno) + ": unsupported line '" + std::string(s) +
                          "'; skipped");
      ++*skipped;
      continue;
    }
    flush();
    size_t bracket = s.find('[');
    cur.name = TitleCaseIfUpper(TabariName(s.substr(0, bracket)));
    cur.line = lineno;
    if (cur.name.empty()) return Err(path, lineno, "empty actor name");
    if (bracket != std::string_view::npos)
      KG_RETURN_IF_ERROR(parse_codes(s.substr(bracket), lineno));
  }
  flush();
  return Status::Ok();
}

Status LoadTabariVerbs(const std::string& path, const Dictionaries& cameo,
                       std::vector<VerbEntry>* out, std::vector<std::string>* warnings,
                       uint64_t* skipped) {
  KG_ASSIGN_OR_RETURN(auto lines, ReadLines(path));
  const size_t first = out->size();
  std::string verb;  // Lemma of the current "--- VERB [code] ---" group, lower case.
  auto skip = [&](uint32_t lineno, const std::string& why) {
    warnings->push_back(Where(path, lineno) + ": " + why + "; skipped");
    ++*skipped;
  };
  // Extracts "[code]" at the end of `s`; returns false when absent.
  auto take_code = [](std::string_view& s, std::string* code) {
    size_t open = s.rfind('[');
    size_t close = s.rfind(']');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
      return false;
    *code = std::string(Trim(s.substr(open + 1, close - open - 1)));
    s = Trim(s.substr(0, open));
    return true;
  };
  auto add = [&](const std::string& phrase, const std::string& code, uint32_t lineno) {
    if (code.empty() || code.find_first_not_of('-') == std::string::npos) {
      skip(lineno, "null code for '" + phrase + "'");
      return;
    }
    if (!IsCameoCode(code) || cameo.FindCameo(code) == nullptr) {
      skip(lineno, "CAMEO code '" + code + "' not in cameo.tsv");
      return;
    }
    VerbEntry e;
    e.phrase = phrase;
    e.words = SplitWords(phrase);
    e.cameo = code;
    e.relation = e.words.empty() ? phrase : e.words[0];
    e.file = path;
    e.line = lineno;
    // Replace an earlier pattern of this file with the same phrase (TABARI lists
    // the same phrase in several groups); the last one wins.
    for (size_t k = first; k < out->size(); ++k) {
      if ((*out)[k].phrase == e.phrase && !(*out)[k].Has(kVerbNominal)) {
        (*out)[k] = std::move(e);
        return;
      }
    }
    out->push_back(std::move(e));
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const uint32_t lineno = static_cast<uint32_t>(i + 1);
    std::string_view s = StripComment(lines[i]);
    if (s.empty()) continue;
    if (s.rfind("---", 0) == 0) {
      s.remove_prefix(3);
      s = Trim(s);
      while (!s.empty() && s.back() == '-') s.remove_suffix(1);
      s = Trim(s);
      std::string code;
      if (!take_code(s, &code)) code.clear();
      verb = Lower(TabariName(s));
      if (verb.empty() || verb.find_first_of("$+%^&{}|()<>@*") != std::string::npos) {
        skip(lineno, "unsupported verb group '" + std::string(s) + "'");
        verb.clear();
        continue;
      }
      add(verb, code, lineno);
      continue;
    }
    if (s[0] == '-') {
      s.remove_prefix(1);
      s = Trim(s);
      std::string code;
      if (!take_code(s, &code)) {
        skip(lineno, "pattern without [code]");
        continue;
      }
      if (verb.empty()) {
        skip(lineno, "pattern outside a verb group");
        continue;
      }
      auto tokens = SplitWords(s);
      std::vector<std::string> words;
      bool seen_star = false, complex = false;
      for (const auto& t : tokens) {
        if (t == "$" || t == "+") continue;  // Source / target markers.
        if (t == "*") {
          seen_star = true;
          words.push_back(verb);
          continue;
        }
        if (!seen_star || t.find_first_of("$+%^&{}|()<>@*=!~") != std::string::npos) {
          complex = true;
          break;
        }
        for (const auto& w : SplitWords(TabariName(t))) words.push_back(Lower(w));
      }
      if (complex || !seen_star) {
        skip(lineno, "complex pattern '" + std::string(s) + "'");
        continue;
      }
      std::string phrase;
      for (const auto& w : words) phrase += (phrase.empty() ? "" : " ") + w;
      add(phrase, code, lineno);
      continue;
    }
    // A plain line inside a group lists an inflected form (ACCUSED); our
    // lemmatizer handles those. Other syntax (synonym sets "&", "====") is skipped.
    if (s[0] == '&' || s[0] == '=' || s[0] == '<' || s[0] == '!' || s[0] == '~') {
      skip(lineno, "unsupported line '" + std::string(s) + "'");
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- LoadDictionaries

namespace {

bool HasSuffix(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Replaces earlier entries (from earlier files) that have the same phrase and
// kind as an entry of `verbs[first..]`.
void OverrideVerbs(std::vector<VerbEntry>* verbs, size_t first) {
  std::set<std::pair<std::string, bool>> newer;
  for (size_t i = first; i < verbs->size(); ++i) {
    newer.emplace((*verbs)[i].phrase, (*verbs)[i].Has(kVerbNominal));
  }
  std::vector<VerbEntry> kept;
  kept.reserve(verbs->size());
  for (size_t i = 0; i < verbs->size(); ++i) {
    auto& v = (*verbs)[i];
    if (i < first && newer.count({v.phrase, v.Has(kVerbNominal)})) continue;
    kept.push_back(std::move(v));
  }
  *verbs = std::move(kept);
}

}  // namespace

Result<Dictionaries> LoadDictionaries(const std::string& data_dir,
                                      const std::vector<std::string>& extra_actor_files,
                                      const std::vector<std::string>& extra_verb_files) {
  Dictionaries dict;
  const fs::path dir(data_dir);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::IoError(data_dir + ": not a directory");

  KG_RETURN_IF_ERROR(LoadCameoTsv((dir / "cameo.tsv").string(), &dict.cameo));
  dict.IndexCameo();

  const fs::path actors_dir = dir / "actors";
  std::vector<std::string> actor_files;
  if (fs::is_directory(actors_dir, ec)) {
    for (const auto& entry : fs::directory_iterator(actors_dir, ec)) {
      const auto& p = entry.path();
      if (p.extension() == ".tsv" && p.filename() != "demonyms.tsv")
        actor_files.push_back(p.string());
    }
    if (ec) return Status::IoError(actors_dir.string() + ": " + ec.message());
  }
  std::sort(actor_files.begin(), actor_files.end());
  for (const auto& f : actor_files) KG_RETURN_IF_ERROR(LoadActorTsv(f, &dict.actors));
  const fs::path demonyms = actors_dir / "demonyms.tsv";
  if (fs::exists(demonyms, ec))
    KG_RETURN_IF_ERROR(LoadDemonymTsv(demonyms.string(), &dict.demonyms));

  KG_RETURN_IF_ERROR(LoadRoleTsv((dir / "roles.tsv").string(), &dict.roles));
  KG_RETURN_IF_ERROR(LoadVerbTsv((dir / "verbs.tsv").string(), dict, &dict.verbs));
  // Generated WordNet stance verbs (scripts/gen_stance_verbs.py): the curated
  // verbs.tsv wins over them.
  const fs::path stance = dir / "stance_verbs.tsv";
  if (fs::exists(stance, ec)) {
    std::vector<VerbEntry> generated;
    KG_RETURN_IF_ERROR(LoadVerbTsv(stance.string(), dict, &generated));
    std::set<std::pair<std::string, bool>> curated;
    for (const auto& v : dict.verbs) curated.emplace(v.phrase, v.Has(kVerbNominal));
    for (auto& v : generated) {
      if (!curated.count({v.phrase, v.Has(kVerbNominal)})) dict.verbs.push_back(std::move(v));
    }
  }

  for (const auto& f : extra_actor_files) {
    if (HasSuffix(f, ".actors")) {
      KG_RETURN_IF_ERROR(LoadTabariActors(f, &dict.actors, &dict.warnings, &dict.skipped_patterns));
    } else {
      KG_RETURN_IF_ERROR(LoadActorTsv(f, &dict.actors));
    }
  }
  for (const auto& f : extra_verb_files) {
    const size_t first = dict.verbs.size();
    if (HasSuffix(f, ".verbs")) {
      KG_RETURN_IF_ERROR(
          LoadTabariVerbs(f, dict, &dict.verbs, &dict.warnings, &dict.skipped_patterns));
    } else {
      KG_RETURN_IF_ERROR(LoadVerbTsv(f, dict, &dict.verbs));
    }
    OverrideVerbs(&dict.verbs, first);
  }
  return dict;
}

// ---------------------------------------------------------------- conflicts

std::vector<std::string> FindAliasConflicts(const std::vector<ActorEntry>& actors) {
  // (file, lower-cased alias) -> rows using it.
  std::map<std::pair<std::string, std::string>, std::vector<const ActorEntry*>> uses;
  for (const auto& a : actors) {
    std::set<std::string> forms;
    forms.insert(Lower(a.name));
    for (const auto& alias : a.aliases) forms.insert(Lower(alias));
    for (const auto& f : forms) uses[{a.file, f}].push_back(&a);
  }
  auto overlap = [](const ActorEntry& x, const ActorEntry& y) {
    const int64_t lo = INT64_MIN, hi = INT64_MAX;
    int64_t xf = x.valid_from == kUnknownDate ? lo : x.valid_from;
    int64_t xt = x.valid_to == kUnknownDate ? hi : x.valid_to;
    int64_t yf = y.valid_from == kUnknownDate ? lo : y.valid_from;
    int64_t yt = y.valid_to == kUnknownDate ? hi : y.valid_to;
    return xf < yt && yf < xt;
  };
  std::vector<std::string> out;
  for (const auto& [key, rows] : uses) {
    for (size_t i = 0; i < rows.size(); ++i) {
      for (size_t j = i + 1; j < rows.size(); ++j) {
        const ActorEntry& x = *rows[i];
        const ActorEntry& y = *rows[j];
        if (x.code == y.code || !overlap(x, y)) continue;
        out.push_back(Where(y.file, y.line) + ": alias '" + key.second + "' -> " + x.code +
                      " (line " + std::to_string(x.line) + ", " + x.name + ") and " + y.code +
                      " (" + y.name + ") on overlapping dates");
      }
    }
  }
  return out;
}

}  // namespace kg::ingest
