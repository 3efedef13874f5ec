// WordNet morphy over in-memory hash tables (see lemmatizer.h).
#include "ingest/lemmatizer.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

namespace kg::ingest {
namespace {

struct Rule {
  std::string_view suffix;
  std::string_view replacement;
};

// WordNet's morphy detachment rules (morph.c), plus "-ied" for verbs.
constexpr Rule kVerbRules[] = {{"s", ""},   {"ies", "y"}, {"ied", "y"}, {"es", "e"}, {"es", ""},
                               {"ed", "e"}, {"ed", ""},   {"ing", "e"}, {"ing", ""}};
constexpr Rule kNounRules[] = {{"s", ""},      {"ses", "s"},   {"xes", "x"},   {"zes", "z"},
                               {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}};
constexpr Rule kAdjRules[] = {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}};

constexpr const char* kCatNames[] = {"verb", "noun", "adj"};
constexpr size_t kMaxWord = 64;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool IsConsonant(char c) {
  return c >= 'a' && c <= 'z' && c != 'a' && c != 'e' && c != 'i' && c != 'o' && c != 'u';
}

Status ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open WordNet file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read WordNet file " + path);
  *out = std::move(ss).str();
  return Status::Ok();
}

// Calls fn(fields...) for each line of a WordNet file that does not start
// with a space (the licence header of the index files).
template <typename Fn>
Status ForEachLine(const std::string& path, Fn fn) {
  std::string data;
  KG_RETURN_IF_ERROR(ReadWholeFile(path, &data));
  std::string_view rest = data;
  size_t lines = 0;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == ' ') continue;
    const size_t sp = line.find(' ');
    const std::string_view first = line.substr(0, sp);
    std::string_view second;
    if (sp != std::string_view::npos) {
      const std::string_view tail = line.substr(sp + 1);
      second = tail.substr(0, tail.find(' '));
    }
    ++lines;
    fn(first, second);
  }
  if (lines == 0) return Status::Corruption(path + ": no entries");
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Lemmatizer>> Lemmatizer::Load(const std::string& wordnet_dir) {
  std::unique_ptr<Lemmatizer> lem(new Lemmatizer());
  const std::string dir =
      wordnet_dir.empty() || wordnet_dir.back() == '/' ? wordnet_dir : wordnet_dir + "/";
  static constexpr size_t kReserve[] = {12000, 120000, 22000};
  for (int cat = 0; cat < kNumCats; ++cat) {
    Set& index = lem->index_[cat];
    index.reserve(kReserve[cat]);
    KG_RETURN_IF_ERROR(
        ForEachLine(dir + "index." + kCatNames[cat],
                    [&](std::string_view lemma, std::string_view) { index.emplace(lemma); }));
    Map& exc = lem->exceptions_[cat];
    const std::string path = dir + kCatNames[cat] + ".exc";
    std::string bad;
    KG_RETURN_IF_ERROR(ForEachLine(path, [&](std::string_view form, std::string_view lemma) {
      if (lemma.empty()) {
        if (bad.empty()) bad = std::string(form);
        return;
      }
      exc.emplace(form, lemma);  // The first lemma listed wins.
    }));
    if (!bad.empty()) {
      return Status::Corruption(path + ": exception '" + bad + "' has no lemma");
    }
  }
  lem->clitics_ = {{"n't", "not"}, {"'ll", "will"}, {"'ve", "have"}, {"'re", "be"}, {"'m", "be"}};
  return lem;
}

const std::string* Lemmatizer::InIndex(std::string_view word, Cat cat) const {
  auto it = index_[cat].find(word);
  return it == index_[cat].end() ? nullptr : &*it;
}

std::string_view Lemmatizer::Morphy(std::string_view lower, Cat cat, bool base_first) const {
  if (lower.empty() || lower.size() > kMaxWord) return lower;
  // British -ise/-yse verbs -> -ize/-yze when WordNet knows that form.
  auto verb_z = [&](std::string_view base) -> const std::string* {
    if (cat != kVerb || base.size() < 5) return nullptr;
    if (!EndsWith(base, "ise") && !EndsWith(base, "yse")) return nullptr;
    char buf[kMaxWord + 4];
    std::memcpy(buf, base.data(), base.size());
    buf[base.size() - 2] = 'z';
    return InIndex(std::string_view(buf, base.size()), cat);
  };
  auto known = [&](std::string_view base) -> const std::string* {
    if (const std::string* z = verb_z(base)) return z;
    return InIndex(base, cat);
  };
  if (base_first) {
    if (const std::string* s = known(lower)) return *s;
  }
  auto exc = exceptions_[cat].find(lower);
  if (exc != exceptions_[cat].end()) {
    if (const std::string* z = verb_z(exc->second)) return *z;
    return exc->second;
  }
  const Rule* rules = cat == kVerb ? kVerbRules : cat == kNoun ? kNounRules : kAdjRules;
  const size_t n_rules = cat == kVerb   ? std::size(kVerbRules)
                         : cat == kNoun ? std::size(kNounRules)
                                        : std::size(kAdjRules);
  char buf[kMaxWord + 8];
  for (size_t r = 0; r < n_rules; ++r) {
    const Rule& rule = rules[r];
    if (lower.size() <= rule.suffix.size() || !EndsWith(lower, rule.suffix)) continue;
    const size_t stem = lower.size() - rule.suffix.size();
    std::memcpy(buf, lower.data(), stem);
    std::memcpy(buf + stem, rule.replacement.data(), rule.replacement.size());
    const std::string_view base(buf, stem + rule.replacement.size());
    if (const std::string* s = known(base)) return *s;
    // "stepped" -> "stepp" -> "step"; "hotter" -> "hott" -> "hot".
    if (rule.replacement.empty() && stem >= 3 && buf[stem - 1] == buf[stem - 2] &&
        IsConsonant(buf[stem - 1]) && rule.suffix != "s") {
      if (const std::string* s = known(std::string_view(buf, stem - 1))) return *s;
    }
  }
  if (!base_first) {
    if (const std::string* s = known(lower)) return *s;
  }
  return lower;
}

std::string_view Lemmatizer::Lemma(std::string_view lower, Pos pos) const {
  if (!lower.empty() && (lower[0] == '\'' || lower == "n't")) {
    auto it = clitics_.find(lower);
    if (it != clitics_.end()) return it->second;
    if (lower == "'s") return pos == Pos::kVBZ ? std::string_view("be") : lower;
    if (lower == "'d") {
      if (pos == Pos::kMD) return "would";
      if (IsVerb(pos)) return "have";
      return lower;
    }
  }
  if (pos == Pos::kMD) {
    if (lower == "wo") return "will";
    if (lower == "ca") return "can";
    if (lower == "sha") return "shall";
    return lower;
  }
  switch (pos) {
    case Pos::kVB:
    case Pos::kVBP:
      return Morphy(lower, kVerb, true);
    case Pos::kVBD:
    case Pos::kVBG:
    case Pos::kVBN:
    case Pos::kVBZ:
      return Morphy(lower, kVerb, false);
    case Pos::kNN:
      return Morphy(lower, kNoun, true);
    case Pos::kNNS:
    case Pos::kNNPS:
      return Morphy(lower, kNoun, false);
    case Pos::kJJ:
      return Morphy(lower, kAdj, true);
    case Pos::kJJR:
    case Pos::kJJS:
      return Morphy(lower, kAdj, false);
    default:
      return lower;
  }
}

void Lemmatizer::Lemmatize(Document* doc, uint32_t first, uint32_t last) const {
  last = std::min<uint32_t>(last, static_cast<uint32_t>(doc->tokens.size()));
  for (uint32_t i = first; i < last; ++i) {
    Token& t = doc->tokens[i];
    const std::string_view lemma = Lemma(t.lower, t.pos);
    if (lemma.data() == t.lower.data() && lemma.size() == t.lower.size()) {
      t.lemma = t.lower;
    } else {
      t.lemma.assign(lemma);
    }
  }
}

}  // namespace kg::ingest
