// Part-of-speech tagger: a greedy left-to-right averaged perceptron over
// hashed features of the word, its affixes and shape, the two words on each
// side, the two previous tags and the ambiguity classes (the tags seen in
// training) of the word and of the next two words. Each class is a
// (UPOS, Penn XPOS) pair seen in training; frequent unambiguous words are
// tagged from a tag dictionary without scoring.
//
// A Tagger is immutable once loaded or trained and may be shared by any
// number of threads; each thread passes its own TaggerScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
#include "nlp/treebank.h"

namespace kg::nlp {

// The 17 UD universal part-of-speech tags.
enum class Upos : uint8_t {
  kADJ,
  kADP,
  kADV,
  kAUX,
  kCCONJ,
  kDET,
  kINTJ,
  kNOUN,
  kNUM,
  kPART,
  kPRON,
  kPROPN,
  kPUNCT,
  kSCONJ,
  kSYM,
  kVERB,
  kX,
};
inline constexpr int kNumUpos = 17;
std::string_view UposName(Upos upos);
// False when `name` is not one of the 17 tags.
bool UposFromName(std::string_view name, Upos* out);

struct TaggerTrainOptions {
  // Passes over the training data. Default 10.
  int epochs = 10;
  // Seed of the per-epoch shuffles; the same data and seed give the same
  // model file, byte for byte. Default 1.
  uint64_t seed = 1;
  // (UPOS, XPOS) pairs seen fewer times become the most frequent pair with
  // the same UPOS. Default 3.
  int min_tag_count = 3;
  // Words seen at least this often with one tag at least `dict_purity` of
  // the time go to the tag dictionary. Defaults 20 and 0.995.
  int dict_min_count = 20;
  double dict_purity = 0.995;
  // Words seen at least this often get an ambiguity-class feature. Default 2.
  int ambiguity_min_count = 2;
  // Weights below this fraction of the largest are dropped. Default 1e-4.
  double prune_fraction = 1e-4;
};

struct TaggerScratch;  // Per-thread buffers (tagger.cc); create with NewTaggerScratch.
struct TaggerScratchDeleter {
  void operator()(TaggerScratch* s) const;
};
using TaggerScratchPtr = std::unique_ptr<TaggerScratch, TaggerScratchDeleter>;
TaggerScratchPtr NewTaggerScratch();

class Tagger {
 public:
  ~Tagger();
  Tagger(const Tagger&) = delete;
  Tagger& operator=(const Tagger&) = delete;

  // Loads a model written by Save(). Errors name the file: not a model, a
  // parser model, another format version or feature set, truncation.
  static Result<std::unique_ptr<Tagger>> Load(const std::string& path);
  // Trains on `data` (forms, UPOS and XPOS are used). Progress goes to *log
  // when not null, with the UPOS accuracy on `dev` after every epoch when
  // `dev` is not empty.
  static Result<std::unique_ptr<Tagger>> Train(const std::vector<TreebankSentence>& data,
                                               const std::vector<TreebankSentence>& dev,
                                               const TaggerTrainOptions& options,
                                               std::ostream* log);
  // Percentage of the words of `data` whose UPOS this tagger predicts.
  double UposAccuracy(const std::vector<TreebankSentence>& data) const;
  Status Save(const std::string& path) const;

  // Tags one sentence: tags[i] receives the tag class of forms[i].
  // tags.size() must equal forms.size(). Linear time.
  void Tag(std::span<const std::string_view> forms, std::span<uint16_t> tags,
           TaggerScratch* scratch) const;

  size_t num_tags() const;
  Upos upos(uint16_t tag) const;
  std::string_view xpos(uint16_t tag) const;
  // Number of features and bytes of the weight table.
  size_t num_features() const;
  size_t weight_bytes() const;

 private:
  struct Impl;
  explicit Tagger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kg::nlp
