#include "nlp/evaluate.h"

namespace kg::nlp {
Result<ConlluScores> ScoreConllu(const std::vector<ConlluSentence>& gold,
                                 const std::vector<ConlluSentence>& pred,
                                 const std::string& pred_name) {
  if (gold.size() != pred.size()) {
    return Status::InvalidArgument(pred_name + ": has " + std::to_string(pred.size()) +
                                   " sentences, gold has " + std::to_string(gold.size()));
  }
  ConlluScores s;
  for (size_t k = 0; k < gold.size(); ++k) {
    const auto& g = gold[k].words;
    const auto& p = pred[k].words;
    const std::string where = pred_name + ":" + std::to_string(pred[k].line) + ": ";
    if (g.size() != p.size()) {
      return Status::InvalidArgument(where + "sentence has " + std::to_string(p.size()) +
                                     " words, gold has " + std::to_string(g.size()));
    }
    ++s.sentences;
    for (size_t i = 0; i < g.size(); ++i) {
      if (g[i].form != p[i].form) {
        return Status::InvalidArgument(where + "word " + std::to_string(i + 1) + " is '" +
                                       p[i].form + "', gold has '" + g[i].form + "'");
      }
      ++s.words;
      s.upos += g[i].upos == p[i].upos;
      s.xpos += g[i].xpos == p[i].xpos;
      if (g[i].head >= 0 && g[i].head == p[i].head) {
        ++s.uas;
        s.las += UniversalRelation(g[i].deprel) == UniversalRelation(p[i].deprel);
      }
    }
  }
  return s;
}

}  // namespace kg::nlp
