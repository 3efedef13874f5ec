// Training and evaluation data for the tagger and the parser, read from
// CoNLL-U treebanks (Universal Dependencies).
#pragma once

#include <string>
#include <vector>

#include "graph/status.h"
#include "nlp/conllu.h"

namespace kg::nlp {

// One gold sentence: word forms with their tags and tree (heads are 1-based
// word numbers, 0 for the root).
struct TreebankSentence {
  std::vector<std::string> forms, upos, xpos, deprels;
  std::vector<int> heads;
};

// Maps the relation subtypes that differ between English treebanks onto one
// inventory: *:tmod and *:npmod (older Atis/ESLSpok releases) become
// *:unmarked as in EWT and GUM 2.16.
std::string NormalizeDeprel(std::string_view deprel);

// Converts CoNLL-U sentences to treebank sentences. Requires UPOS, XPOS
// ("_" is replaced by the UPOS) and a well-formed tree when `need_trees`;
// errors name `source` and the sentence's line.
Status AppendTreebank(const std::vector<ConlluSentence>& sentences, const std::string& source,
                      bool need_trees, std::vector<TreebankSentence>* out);

// Reads CoNLL-U files (in order) into treebank sentences.
Result<std::vector<TreebankSentence>> LoadTreebanks(const std::vector<std::string>& paths,
                                                    bool need_trees);

// True when no two arcs of the tree cross (arcs to the root included).
bool IsProjective(const std::vector<int>& heads);

// Makes a tree projective by lifting: while some arc crosses another, the
// shortest crossing arc's dependent is reattached to its head's head (never
// to the root: the tree keeps one root, and may stay non-projective).
// Labels are kept. Returns the number of lifts.
int Projectivize(std::vector<int>* heads);

}  // namespace kg::nlp
