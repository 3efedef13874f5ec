#include "nlp/treebank.h"

#include <algorithm>
#include <cstdlib>

namespace kg::nlp {

std::string NormalizeDeprel(std::string_view deprel) {
  std::string d(deprel);
  const size_t colon = d.find(':');
  if (colon != std::string::npos) {
    std::string_view sub = std::string_view(d).substr(colon + 1);
    if (sub == "tmod" || sub == "npmod") d = d.substr(0, colon) + ":unmarked";
  }
  return d;
}

Status AppendTreebank(const std::vector<ConlluSentence>& sentences, const std::string& source,
                      bool need_trees, std::vector<TreebankSentence>* out) {
  for (const ConlluSentence& s : sentences) {
    const std::string where = source + ":" + std::to_string(s.line) + ": ";
    if (need_trees) {
      std::string problem = TreeProblem(s);
      if (!problem.empty()) return Status::InvalidArgument(where + "bad tree: " + problem);
    }
    TreebankSentence t;
    for (size_t i = 0; i < s.words.size(); ++i) {
      const ConlluWord& w = s.words[i];
      if (w.upos.empty() || w.upos == "_") {
        return Status::InvalidArgument(where + "word " + std::to_string(i + 1) + " has no UPOS");
      }
      t.forms.push_back(w.form);
      t.upos.push_back(w.upos);
      t.xpos.push_back(w.xpos.empty() || w.xpos == "_" ? w.upos : w.xpos);
      t.heads.push_back(w.head);
      t.deprels.push_back(NormalizeDeprel(w.deprel));
    }
    out->push_back(std::move(t));
  }
  return Status::Ok();
}

Result<std::vector<TreebankSentence>> LoadTreebanks(const std::vector<std::string>& paths,
                                                    bool need_trees) {
  std::vector<TreebankSentence> out;
  for (const std::string& path : paths) {
    KG_ASSIGN_OR_RETURN(auto sentences, ReadConlluFile(path));
    KG_RETURN_IF_ERROR(AppendTreebank(sentences, path, need_trees, &out));
  }
  return out;
}

namespace {

// The arc (dependent d) crosses arc (dependent e) if exactly one endpoint of
// one lies strictly inside the other's span.
bool Crosses(const std::vector<int>& heads, int d, int e) {
  const int n = static_cast<int>(heads.size());
  auto span = [&](int x, int* lo, int* hi) {
    const int h = heads[x - 1] == 0 ? n + 1 : heads[x - 1];  // Root at the end.
    *lo = std::min(x, h);
    *hi = std::max(x, h);
  };
  int a, b, c, f;
  span(d, &a, &b);
  span(e, &c, &f);
  return (a < c && c < b && f > b) || (c < a && a < f && b > f);
}

}  // namespace

bool IsProjective(const std::vector<int>& heads) {
  const int n = static_cast<int>(heads.size());
  for (int d = 1; d <= n; ++d) {
    for (int e = d + 1; e <= n; ++e) {
      if (Crosses(heads, d, e)) return false;
    }
  }
  return true;
}

int Projectivize(std::vector<int>* heads) {
  const int n = static_cast<int>(heads->size());
  int lifts = 0;
  while (lifts <= n * n) {
    int best = 0, best_len = 0;
    for (int d = 1; d <= n; ++d) {
      // The root's arc stays, and no lift may make a second root.
      if ((*heads)[d - 1] == 0 || (*heads)[(*heads)[d - 1] - 1] == 0) continue;
      bool crossing = false;
      for (int e = 1; e <= n && !crossing; ++e) crossing = e != d && Crosses(*heads, d, e);
      if (!crossing) continue;
      const int len = std::abs((*heads)[d - 1] - d);
      if (best == 0 || len < best_len) {
        best = d;
        best_len = len;
      }
    }
    if (best == 0) break;
    (*heads)[best - 1] = (*heads)[(*heads)[best - 1] - 1];
    ++lifts;
  }
  return lifts;
}

}  // namespace kg::nlp
