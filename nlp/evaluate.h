// Scores predicted CoNLL-U against gold over the same words, as the CoNLL
// 2018 shared task does with gold tokenisation: UPOS and XPOS accuracy, UAS,
// and LAS over the universal part of the relation ("nsubj:pass" = "nsubj").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
#include "nlp/conllu.h"

namespace kg::nlp {

struct ConlluScores {
  int64_t sentences = 0, words = 0;
  int64_t upos = 0, xpos = 0, uas = 0, las = 0;  // Correct counts.
  double Percent(int64_t correct) const {
    return words == 0 ? 0.0 : 100.0 * static_cast<double>(correct) / static_cast<double>(words);
  }
};

// The universal part of a relation: "nsubj" for "nsubj:pass".
inline std::string_view UniversalRelation(std::string_view deprel) {
  return deprel.substr(0, deprel.find(':'));
}

// Fails when the files differ in sentences or word forms (naming the first
// difference with `pred_name`'s line numbers).
Result<ConlluScores> ScoreConllu(const std::vector<ConlluSentence>& gold,
                                 const std::vector<ConlluSentence>& pred,
                                 const std::string& pred_name);

}  // namespace kg::nlp
