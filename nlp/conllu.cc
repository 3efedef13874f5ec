#include "nlp/conllu.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace kg::nlp {
namespace {

// Splits `line` on tabs into exactly `n` fields; false if the count differs.
bool SplitTabs(std::string_view line, std::string_view* fields, size_t n, size_t* got) {
  size_t count = 0;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    if (count < n) fields[count] = line.substr(start, tab - start);
    ++count;
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  *got = count;
  return count == n;
}

bool ParseUint(std::string_view s, uint32_t* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::string_view ConlluSentence::Comment(std::string_view key) const {
  for (const std::string& c : comments) {
    std::string_view v(c);
    if (v.size() < 2 || v[0] != '#') continue;
    v.remove_prefix(1);
    while (!v.empty() && v[0] == ' ') v.remove_prefix(1);
    if (v.substr(0, key.size()) != key) continue;
    v.remove_prefix(key.size());
    while (!v.empty() && v[0] == ' ') v.remove_prefix(1);
    if (v.empty() || v[0] != '=') continue;
    v.remove_prefix(1);
    while (!v.empty() && v[0] == ' ') v.remove_prefix(1);
    return v;
  }
  return {};
}

Status ConlluReader::Error(uint64_t line, const std::string& what) const {
  return Status::InvalidArgument(name_ + ":" + std::to_string(line) + ": " + what);
}

Result<bool> ConlluReader::Next(ConlluSentence* out) {
  out->comments.clear();
  out->words.clear();
  out->extras.clear();
  out->line = 0;
  std::string line;
  bool any = false;
  while (std::getline(in_, line)) {
    ++line_;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (any) break;
      continue;  // Extra blank lines between sentences.
    }
    if (!any) out->line = line_;
    any = true;
    if (line[0] == '#') {
      if (!out->words.empty() || !out->extras.empty()) {
        return Error(line_, "comment line inside a sentence (missing blank line before it?)");
      }
      out->comments.push_back(std::move(line));
      continue;
    }
    std::string_view f[10];
    size_t got = 0;
    if (!SplitTabs(line, f, 10, &got)) {
      return Error(line_, "expected 10 tab-separated columns, found " + std::to_string(got));
    }
    std::string_view id = f[0];
    if (id.find_first_of("-.") != std::string_view::npos) {
      out->extras.push_back({static_cast<uint32_t>(out->words.size()), line});
      continue;
    }
    uint32_t n = 0;
    if (!ParseUint(id, &n)) return Error(line_, "ID '" + std::string(id) + "' is not a number");
    if (n != out->words.size() + 1) {
      return Error(line_, "word ID " + std::to_string(n) + " where " +
                              std::to_string(out->words.size() + 1) + " was expected");
    }
    if (f[1].empty()) return Error(line_, "empty FORM");
    ConlluWord w;
    w.form = f[1];
    w.lemma = f[2];
    w.upos = f[3];
    w.xpos = f[4];
    w.feats = f[5];
    if (f[6] == "_") {
      w.head = -1;
    } else {
      uint32_t head = 0;
      if (!ParseUint(f[6], &head) || head > 100000) {
        return Error(line_, "HEAD '" + std::string(f[6]) + "' is not a word number");
      }
      w.head = static_cast<int>(head);
    }
    w.deprel = f[7];
    w.deps = f[8];
    w.misc = f[9];
    out->words.push_back(std::move(w));
  }
  if (!any) return false;
  if (out->words.empty()) return Error(out->line, "sentence has no words");
  for (size_t i = 0; i < out->words.size(); ++i) {
    if (out->words[i].head > static_cast<int>(out->words.size())) {
      return Error(out->line, "word " + std::to_string(i + 1) + " has HEAD " +
                                  std::to_string(out->words[i].head) + " beyond the sentence's " +
                                  std::to_string(out->words.size()) + " words");
    }
  }
  return true;
}

namespace {

Result<std::vector<ConlluSentence>> ReadAll(std::istream& in, std::string name) {
  ConlluReader reader(in, name);
  std::vector<ConlluSentence> out;
  while (true) {
    ConlluSentence s;
    KG_ASSIGN_OR_RETURN(bool more, reader.Next(&s));
    if (!more) break;
    out.push_back(std::move(s));
  }
  if (in.bad()) return Status::IoError(name + ": read error");
  return out;
}

}  // namespace

Result<std::vector<ConlluSentence>> ReadConlluFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open");
  return ReadAll(in, path);
}

Result<std::vector<ConlluSentence>> ParseConllu(std::string_view text, std::string name) {
  std::istringstream in{std::string(text)};
  return ReadAll(in, std::move(name));
}

void AppendConllu(const ConlluSentence& s, std::string* out) {
  for (const std::string& c : s.comments) {
    out->append(c);
    out->push_back('\n');
  }
  size_t extra = 0;
  for (size_t i = 0; i <= s.words.size(); ++i) {
    while (extra < s.extras.size() && s.extras[extra].after_words == i) {
      out->append(s.extras[extra++].line);
      out->push_back('\n');
    }
    if (i == s.words.size()) break;
    const ConlluWord& w = s.words[i];
    out->append(std::to_string(i + 1));
    for (const std::string* col : {&w.form, &w.lemma, &w.upos, &w.xpos, &w.feats}) {
      out->push_back('\t');
      out->append(*col);
    }
    out->push_back('\t');
    out->append(w.head < 0 ? std::string("_") : std::to_string(w.head));
    for (const std::string* col : {&w.deprel, &w.deps, &w.misc}) {
      out->push_back('\t');
      out->append(*col);
    }
    out->push_back('\n');
  }
  out->push_back('\n');
}

std::string TreeProblem(const ConlluSentence& s) {
  const int n = static_cast<int>(s.words.size());
  int roots = 0;
  for (int i = 0; i < n; ++i) {
    int h = s.words[i].head;
    if (h < 0 || h > n) return "word " + std::to_string(i + 1) + " has no valid HEAD";
    if (h == i + 1) return "word " + std::to_string(i + 1) + " is its own head";
    if (h == 0) ++roots;
  }
  if (roots != 1) return std::to_string(roots) + " words have HEAD 0 (expected exactly 1)";
  for (int i = 0; i < n; ++i) {
    int h = s.words[i].head;
    for (int steps = 0; h != 0; ++steps) {
      if (steps > n) return "word " + std::to_string(i + 1) + " is on a cycle";
      h = s.words[h - 1].head;
    }
  }
  return "";
}

}  // namespace kg::nlp
