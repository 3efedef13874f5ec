// CoNLL-U (Universal Dependencies) reading and writing: the exchange format
// of the language layer, used for training, `kg parse` and `kg eval --conllu`.
//
// A sentence keeps everything it was read with (comments, multiword token
// lines such as "3-4 doesn't", empty nodes), so that writing it back gives
// the same bytes; `kg parse --conllu` replaces only the predicted columns.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"

namespace kg::nlp {

// One syntactic word (an integer ID line). Columns are kept as read; "_"
// stays "_". head is -1 when the HEAD column is "_".
struct ConlluWord {
  std::string form, lemma, upos, xpos, feats;
  int head = -1;
  std::string deprel, deps, misc;
};

struct ConlluSentence {
  std::vector<std::string> comments;  // Lines starting with '#', without the newline.
  std::vector<ConlluWord> words;      // Word i has ID i + 1.
  // Lines that are not words (multiword token ranges "n-m", empty nodes
  // "n.m"), kept verbatim with the number of words that precede them.
  struct Extra {
    uint32_t after_words = 0;
    std::string line;
  };
  std::vector<Extra> extras;
  uint64_t line = 0;  // 1-based line number of the sentence's first line.

  // The value of a "# key = value" comment, or "" when absent.
  std::string_view Comment(std::string_view key) const;
};

// Reads a CoNLL-U stream one sentence at a time. Errors name the source and
// line ("train.conllu:1234: HEAD 'x' is not a number"). Gold columns are not
// required: HEAD may be "_" (head = -1).
class ConlluReader {
 public:
  // `name` is used in messages (normally the file path).
  ConlluReader(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}

  // Reads the next sentence into *out. Returns false at the end of input.
  Result<bool> Next(ConlluSentence* out);

 private:
  Status Error(uint64_t line, const std::string& what) const;
  std::istream& in_;
  std::string name_;
  uint64_t line_ = 0;
};

// Reads a whole file. Errors name the file and line.
Result<std::vector<ConlluSentence>> ReadConlluFile(const std::string& path);
// Reads CoNLL-U text held in memory (tests); `name` is used in messages.
Result<std::vector<ConlluSentence>> ParseConllu(std::string_view text, std::string name);

// Appends the sentence in CoNLL-U (comments, lines, then a blank line).
void AppendConllu(const ConlluSentence& sentence, std::string* out);

// Checks that every word has a head in 0..n, that exactly one word has head 0
// and that heads form a tree. Returns a message naming the first problem, or
// "" for a well-formed tree.
std::string TreeProblem(const ConlluSentence& sentence);

}  // namespace kg::nlp
