// Bigram HMM part-of-speech tagger over the Lingua::EN::Tagger model.
#include "ingest/tagger.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <utility>

namespace kg::ingest {
namespace {

// Transitions the model never saw get this probability rather than zero, so
// that Viterbi always finds a path.
constexpr double kTransitionFloor = 1e-7;
// Added to every word/tag count before normalising.
constexpr double kCountSmoothing = 0.1;
// Emission = log P(tag | word) - kPriorWeight * log P(tag); 1 is the plain
// HMM (P(word | tag) up to a per-word constant). 0.5 and 0 were tried on
// news text and looked worse (fewer NNPS, RP, WDT, EX).
constexpr double kPriorWeight = 1.0;

struct ModelLine {
  std::string_view key;
  std::vector<std::pair<Pos, double>> values;
};

Status ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open tagger model file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read tagger model file " + path);
  *out = std::move(ss).str();
  return Status::Ok();
}

// Parses one line of the Lingua YAML files: `key: { tag: value, ... }`, the
// key optionally in double quotes. Returns false for lines to ignore
// (headers, blank lines); sets *error for malformed ones.
bool ParseModelLine(std::string_view line, ModelLine* out, std::string* error) {
  out->values.clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty() || line.substr(0, 3) == "---" || line[0] == '#') return false;
  size_t pos;
  if (line[0] == '"') {
    const size_t q = line.find('"', 1);
    if (q == std::string_view::npos || line.substr(q + 1, 4) != ": { ") {
      *error = "malformed key";
      return false;
    }
    out->key = line.substr(1, q - 1);
    pos = q + 5;
  } else {
    const size_t c = line.find(": { ");
    if (c == std::string_view::npos || c == 0) {
      *error = "expected `key: { tag: value, ... }`";
      return false;
    }
    out->key = line.substr(0, c);
    pos = c + 4;
  }
  const size_t close = line.rfind(" }");
  if (close == std::string_view::npos || close < pos) {
    *error = "missing closing brace";
    return false;
  }
  std::string_view body = line.substr(pos, close - pos);
  while (!body.empty()) {
    const size_t comma = body.find(", ");
    const std::string_view item = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view() : body.substr(comma + 2);
    const size_t colon = item.find(": ");
    if (colon == std::string_view::npos) {
      *error = "malformed `tag: value` pair";
      return false;
    }
    const std::string_view name = item.substr(0, colon);
    const std::string_view number = item.substr(colon + 2);
    double value = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || ptr != number.data() + number.size() || !(value >= 0)) {
      *error = "bad number '" + std::string(number) + "'";
      return false;
    }
    const Pos tag = PosFromName(name);
    if (tag == Pos::kNone) {
      *error = "unknown tag '" + std::string(name) + "'";
      return false;
    }
    out->values.emplace_back(tag, value);
  }
  return true;
}

// Calls fn(line) for each model line of `path`; errors name file and line.
template <typename Fn>
Status ForEachModelLine(const std::string& path, Fn fn) {
  std::string data;
  KG_RETURN_IF_ERROR(ReadWholeFile(path, &data));
  std::string_view rest = data;
  ModelLine parsed;
  size_t line_no = 0;
  size_t lines = 0;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    std::string error;
    if (!ParseModelLine(line, &parsed, &error)) {
      if (!error.empty()) {
        return Status::Corruption(path + ":" + std::to_string(line_no) + ": " + error);
      }
      continue;
    }
    ++lines;
    fn(parsed);
  }
  if (lines == 0) return Status::Corruption(path + ": no entries");
  return Status::Ok();
}

inline bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlnum(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || IsAsciiUpper(c);
}
inline bool IsWordByte(char c) {
  return IsAsciiAlnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// ^-?(\d+(\.\d*)?|\.\d+)$, also with thousands separators (400,000).
bool IsNumber(std::string_view w) {
  if (!w.empty() && w[0] == '-') w.remove_prefix(1);
  if (w.empty()) return false;
  bool digits = false, dot = false;
  for (size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    if (IsAsciiDigit(c)) {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else if (!(c == ',' && !dot && digits && i + 1 < w.size() && IsAsciiDigit(w[i + 1]))) {
      return false;
    }
  }
  return digits;
}
// ^\d+[\d/:-]+\d$
bool IsNumberConstruct(std::string_view w) {
  if (w.size() < 3 || !IsAsciiDigit(w[0]) || !IsAsciiDigit(w.back())) return false;
  for (char c : w) {
    if (!IsAsciiDigit(c) && c != '/' && c != ':' && c != '-') return false;
  }
  return true;
}
// ^-?\d+\w+$
bool IsOrdinal(std::string_view w) {
  if (!w.empty() && w[0] == '-') w.remove_prefix(1);
  size_t i = 0;
  while (i < w.size() && IsAsciiDigit(w[i])) ++i;
  if (i == 0 || i == w.size()) return false;
  for (; i < w.size(); ++i) {
    if (!IsWordByte(w[i])) return false;
  }
  return true;
}
// ^[A-Z][A-Z.-]*$
bool IsAbbreviation(std::string_view w) {
  if (w.empty() || !IsAsciiUpper(w[0])) return false;
  for (char c : w) {
    if (!IsAsciiUpper(c) && c != '.' && c != '-') return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<Tagger>> Tagger::Load(const std::string& model_dir) {
  std::unique_ptr<Tagger> tagger(new Tagger());
  const std::string dir =
      model_dir.empty() || model_dir.back() == '/' ? model_dir : model_dir + "/";

  // Transitions.
  const float floor = static_cast<float>(std::log(kTransitionFloor));
  for (auto& row : tagger->transition_) std::fill(std::begin(row), std::end(row), floor);
  KG_RETURN_IF_ERROR(ForEachModelLine(dir + "tags.yml", [&](const ModelLine& line) {
    const Pos prev = PosFromName(line.key);
    if (prev == Pos::kNone) return;
    for (const auto& [next, p] : line.values) {
      if (p > 0) {
        tagger->transition_[static_cast<size_t>(prev)][static_cast<size_t>(next)] =
            static_cast<float>(std::log(std::max(p, kTransitionFloor)));
      }
    }
  }));

  // Word counts, kept until the tag totals are known.
  struct RawEntry {
    std::string key;
    std::vector<std::pair<Pos, double>> counts;
  };
  std::vector<RawEntry> words, classes;
  words.reserve(45000);
  std::array<double, kNumTags> tag_total{};
  KG_RETURN_IF_ERROR(ForEachModelLine(dir + "words.yml", [&](const ModelLine& line) {
    words.push_back({std::string(line.key), line.values});
    for (const auto& [tag, c] : line.values) tag_total[static_cast<size_t>(tag)] += c;
  }));
  KG_RETURN_IF_ERROR(ForEachModelLine(dir + "unknown.yml", [&](const ModelLine& line) {
    classes.push_back({std::string(line.key), line.values});
  }));
  // Our additions: the catch-all class may be a base verb ("will deploy"),
  // and symbols are always SYM (as in Lingua).
  for (RawEntry& c : classes) {
    if (c.key == "-unknown-") {
      c.counts.emplace_back(Pos::kVB, 60);
      c.counts.emplace_back(Pos::kVBP, 20);
    }
  }
  classes.push_back({"-sym-", {{Pos::kSYM, 1.0}}});
  double grand_total = 0;
  for (double t : tag_total) grand_total += t;

  auto add_entry = [&](const RawEntry& raw, Map* map) {
    Entry entry;
    entry.first = static_cast<uint32_t>(tagger->candidates_.size());
    double n = 0;
    for (const auto& [tag, c] : raw.counts) n += c + kCountSmoothing;
    for (const auto& [tag, c] : raw.counts) {
      const double prior = std::max(tag_total[static_cast<size_t>(tag)], 1.0) / grand_total;
      const double p_tag_given_word = (c + kCountSmoothing) / n;
      tagger->candidates_.push_back(
          {tag, static_cast<float>(std::log(p_tag_given_word) - kPriorWeight * std::log(prior))});
      if (tag == Pos::kJJ) entry.has_jj = true;
    }
    entry.count = static_cast<uint32_t>(tagger->candidates_.size()) - entry.first;
    if (entry.count == 0) return;
    (*map)[raw.key] = static_cast<uint32_t>(tagger->entries_.size());
    tagger->entries_.push_back(entry);
  };
  tagger->lexicon_.reserve(words.size());
  for (const RawEntry& w : words) add_entry(w, &tagger->lexicon_);
  for (const RawEntry& c : classes) add_entry(c, &tagger->classes_);
  // Lingua's number and bracket classes live in words.yml.
  for (std::string_view name : {"*NUM*", "*ORD*", "*LRB*", "*RRB*"}) {
    auto it = tagger->lexicon_.find(name);
    if (it != tagger->lexicon_.end()) tagger->classes_[std::string(name)] = it->second;
  }
  for (std::string_view name : {"-unknown-", "-cap-", "-abr-", "-hyp-", "-hyp-adj-", "-ing-", "-s-",
                                "-tion-", "-ly-", "-ed-", "*NUM*", "*ORD*", "*LRB*", "*RRB*"}) {
    if (tagger->classes_.find(name) == tagger->classes_.end()) {
      return Status::Corruption(dir + "unknown.yml: missing word class " + std::string(name));
    }
  }
  tagger->fallback_ = tagger->classes_.find("-unknown-")->second;
  return tagger;
}

bool Tagger::HasTag(const Entry& e, Pos pos) const {
  for (uint32_t k = 0; k < e.count; ++k) {
    if (candidates_[e.first + k].pos == pos) return true;
  }
  return false;
}

const Tagger::Entry* Tagger::Find(std::string_view word) const {
  auto it = lexicon_.find(word);
  return it == lexicon_.end() ? nullptr : &entries_[it->second];
}

const Tagger::Entry& Tagger::Class(std::string_view name) const {
  auto it = classes_.find(name);
  return it == classes_.end() ? entries_[fallback_] : entries_[it->second];
}

const Tagger::Entry& Tagger::Lookup(const Token& token, bool shouting) const {
  std::string_view word = token.norm;
  if (word == "\"") {
    word = token.Has(kOpenQuote) ? "``" : "''";
  } else if (word == "'" && token.Has(kOpenQuote)) {
    word = "`";
  }
  if (const Entry* e = Find(word)) {
    // "US", "IT": an all-caps common word is far more often an acronym.
    if (!shouting && token.Has(kAllCaps) && word.size() <= 5 && Find(token.lower) != nullptr) {
      return Class("-abr-");
    }
    return *e;
  }
  if (!word.empty() && IsAsciiUpper(word[0])) {
    // Lingua's lcfirst.
    char buf[64];
    if (word.size() <= sizeof(buf)) {
      std::copy(word.begin(), word.end(), buf);
      buf[0] = static_cast<char>(buf[0] + 32);
      if (const Entry* e = Find(std::string_view(buf, word.size()))) return *e;
    }
  } else if (!word.empty() && static_cast<unsigned char>(word[0]) >= 0x80 &&
             token.lower != token.norm) {
    if (const Entry* e = Find(token.lower)) return *e;
  }
  return Classify(token);
}

const Tagger::Entry& Tagger::Classify(const Token& token) const {
  const std::string_view w = token.norm;
  if (w.find_first_of("({[") != std::string_view::npos) return Class("*LRB*");
  if (w.find_first_of(")}]") != std::string_view::npos) return Class("*RRB*");
  if (IsNumber(w) || IsNumberConstruct(w)) return Class("*NUM*");
  if (IsOrdinal(w)) return Class("*ORD*");
  if (IsAbbreviation(w)) return Class("-abr-");
  // Hyphenated: a word character, '-', a word character. Names such as
  // "al-Assad", "Al-Shabab" and "S-300" count as capitalized words.
  for (size_t i = 1; i + 1 < w.size(); ++i) {
    if (w[i] == '-' && IsWordByte(w[i - 1]) && IsWordByte(w[i + 1])) {
      if (token.Has(kCapitalized) || IsAsciiUpper(w[i + 1])) return Class("-cap-");
      const size_t last = w.rfind('-');
      const Entry* suffix = Find(w.substr(last + 1));
      return Class(suffix != nullptr && suffix->has_jj ? "-hyp-adj-" : "-hyp-");
    }
  }
  if (token.Has(kPunctuation)) return Class("-sym-");
  if (token.Has(kCapitalized) || (!w.empty() && IsAsciiUpper(w[0]))) return Class("-cap-");
  if (!w.empty() && IsAsciiDigit(w[0])) return Class("*NUM*");
  if (EndsWith(w, "ing")) return Class("-ing-");
  if (EndsWith(w, "s")) return Class("-s-");
  if (EndsWith(w, "tion")) return Class("-tion-");
  if (EndsWith(w, "ly")) return Class("-ly-");
  if (EndsWith(w, "ed")) return Class("-ed-");
  return entries_[fallback_];
}

void Tagger::Tag(Document* doc, uint32_t first_token, uint32_t last_token) const {
  last_token = std::min<uint32_t>(last_token, static_cast<uint32_t>(doc->tokens.size()));
  if (first_token >= last_token) return;
  const size_t n = last_token - first_token;

  // Scratch per thread: the candidate lattice.
  struct Scratch {
    std::vector<const Entry*> entries;
    std::vector<uint32_t> offset;  // Start of position i in score/back.
    std::vector<float> score;
    std::vector<uint16_t> back;  // Index of the best predecessor candidate.
  };
  thread_local Scratch s;
  s.entries.resize(n);
  s.offset.resize(n + 1);
  // An all-caps sentence ("US TO BLAME") has no acronym evidence.
  size_t caps = 0, words = 0;
  for (size_t i = 0; i < n; ++i) {
    const Token& t = doc->tokens[first_token + i];
    if (t.Has(kPunctuation)) continue;
    ++words;
    caps += t.Has(kAllCaps);
  }
  const bool shouting = caps * 2 > words && words > 1;
  uint32_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    s.entries[i] = &Lookup(doc->tokens[first_token + i], shouting);
    s.offset[i] = total;
    total += s.entries[i]->count;
  }
  s.offset[n] = total;
  s.score.resize(total);
  s.back.resize(total);

  const Candidate* cands = candidates_.data();
  // First position: the previous tag is sentence-final punctuation (pp).
  {
    const Entry& e = *s.entries[0];
    const float* row = transition_[static_cast<size_t>(Pos::kPP)];
    for (uint32_t k = 0; k < e.count; ++k) {
      const Candidate& c = cands[e.first + k];
      s.score[k] = row[static_cast<size_t>(c.pos)] + c.log_emission;
      s.back[k] = 0;
    }
  }
  for (size_t i = 1; i < n; ++i) {
    const Entry& prev = *s.entries[i - 1];
    const Entry& cur = *s.entries[i];
    const float* prev_score = &s.score[s.offset[i - 1]];
    float* cur_score = &s.score[s.offset[i]];
    uint16_t* cur_back = &s.back[s.offset[i]];
    for (uint32_t k = 0; k < cur.count; ++k) {
      const Candidate& c = cands[cur.first + k];
      const auto next = static_cast<size_t>(c.pos);
      float best = -std::numeric_limits<float>::infinity();
      uint16_t arg = 0;
      for (uint32_t j = 0; j < prev.count; ++j) {
        const float v =
            prev_score[j] + transition_[static_cast<size_t>(cands[prev.first + j].pos)][next];
        if (v > best) {
          best = v;
          arg = static_cast<uint16_t>(j);
        }
      }
      cur_score[k] = best + c.log_emission;
      cur_back[k] = arg;
    }
  }
  // Backtrace.
  const Entry& last = *s.entries[n - 1];
  uint32_t k = 0;
  {
    const float* sc = &s.score[s.offset[n - 1]];
    for (uint32_t j = 1; j < last.count; ++j) {
      if (sc[j] > sc[k]) k = j;
    }
  }
  for (size_t i = n; i-- > 0;) {
    const Entry& e = *s.entries[i];
    doc->tokens[first_token + i].pos = cands[e.first + k].pos;
    k = s.back[s.offset[i] + k];
  }
}

}  // namespace kg::ingest
