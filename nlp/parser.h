// Labelled dependency parser: greedy arc-eager transitions (transition.h)
// chosen by an averaged perceptron over the Zhang & Nivre (2011) feature
// templates (words, tags, labels, distance, valency and label sets of the
// stack top, the buffer front and their heads and children), trained with a
// dynamic oracle and exploration (Goldberg & Nivre 2012) on tags predicted
// by the tagger (jackknifed), over projectivized trees. Output trees are
// projective and have exactly one root.
//
// A Parser is immutable once loaded or trained and may be shared by any
// number of threads; each thread passes its own ParserScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
#include "nlp/tagger.h"
#include "nlp/treebank.h"

namespace kg::nlp {

struct ParserTrainOptions {
  // Passes over the training data. Default 9: EWT dev attachment peaked at
  // epoch 9 of 15 with jackknifed tags (84.8 UAS at prune 0.02, then 84.4 to
  // 84.6).
  int epochs = 9;
  // Seed of the shuffles and of exploration; the same data and seed give
  // the same model file, byte for byte. Default 1.
  uint64_t seed = 1;
  // From this epoch on, the trainer follows its own (possibly wrong)
  // prediction with probability `explore_probability` (dynamic oracle
  // exploration). Defaults 2 and 0.9.
  int explore_from_epoch = 2;
  double explore_probability = 0.9;
  // Weights smaller than this fraction of the largest are dropped from the
  // model (CompileOptions). Default 0.01: 0.65 M of 1.45 M features, for
  // 0.08 points of EWT dev UAS (85.71 against 85.79 unpruned); 0.02 keeps
  // 0.24 M and loses 0.9 points.
  double prune_fraction = 0.01;
  // Tuning aid: with dev data, logs the dev scores and model size at each of
  // these prune fractions after training.
  std::vector<double> prune_sweep;
  // Words seen fewer times in training are represented by their tag.
  // Default 2.
  int min_word_count = 2;
};

struct ParserScratch;
struct ParserScratchDeleter {
  void operator()(ParserScratch* s) const;
};
using ParserScratchPtr = std::unique_ptr<ParserScratch, ParserScratchDeleter>;
ParserScratchPtr NewParserScratch();

// One word of a sentence to parse: its form and tags.
struct ParserWord {
  std::string_view form;
  Upos upos = Upos::kX;
  std::string_view xpos;
};

class Parser {
 public:
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Loads a model written by Save(); errors name the file.
  static Result<std::unique_ptr<Parser>> Load(const std::string& path);
  // Trains on `data`, whose upos/xpos should be the tagger's predictions
  // (see JackknifeTags). `dev`, if not empty, is parsed after every epoch and
  // its attachment scores are logged. Progress goes to *log when not null.
  static Result<std::unique_ptr<Parser>> Train(const std::vector<TreebankSentence>& data,
                                               const std::vector<TreebankSentence>& dev,
                                               const ParserTrainOptions& options,
                                               std::ostream* log);
  Status Save(const std::string& path) const;

  // Parses one sentence: heads[i] receives the head of word i + 1 (0 for the
  // root, else 1..n) and labels[i] its relation (see label_name). Spans
  // must have the same size. Linear time.
  void Parse(std::span<const ParserWord> words, std::span<int> heads, std::span<uint16_t> labels,
             ParserScratch* scratch) const;

  size_t num_labels() const;
  std::string_view label_name(uint16_t label) const;
  // The label's number, or -1 when the model has no such label.
  int label_id(std::string_view name) const;
  size_t num_features() const;
  size_t weight_bytes() const;

 private:
  struct Impl;
  explicit Parser(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Replaces the tags of `data` by those of taggers trained on the other
// folds (k-fold jackknifing), so that the parser trains on tags as noisy as
// it will see. Deterministic for a given seed.
Status JackknifeTags(std::vector<TreebankSentence>* data, int folds,
                     const TaggerTrainOptions& options, std::ostream* log);

// Tags `data` with `tagger` (for dev sets).
void TagTreebank(const Tagger& tagger, std::vector<TreebankSentence>* data);

}  // namespace kg::nlp
