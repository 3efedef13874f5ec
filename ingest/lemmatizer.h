// Lemmatizer: WordNet's morphy (exception lists, then suffix detachment
// rules validated against the index files) over hash tables built at load
// time from the WordNet 3.0 database (Debian package wordnet-base).
//
// Additions to morphy: undoubling of a final consonant ("stepping" ->
// "step"), "-ied" -> "-y", British -ise/-yse verbs mapped to their -ize/-yze
// form when WordNet has it ("criticised" -> "criticize"), and Penn Treebank
// clitics ("n't" -> "not", "'s"/VBZ -> "be", "wo"/MD -> "will").
//
// Immutable after Load(); all methods are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "graph/status.h"
#include "ingest/document.h"

namespace kg::ingest {

class Lemmatizer {
 public:
  // Reads {verb,noun,adj}.exc and index.{verb,noun,adj} from `wordnet_dir`
  // (Debian: /usr/share/wordnet). Errors name the file.
  static Result<std::unique_ptr<Lemmatizer>> Load(const std::string& wordnet_dir);

  Lemmatizer(const Lemmatizer&) = delete;
  Lemmatizer& operator=(const Lemmatizer&) = delete;

  // The lemma of lower-cased word `lower` with tag `pos`, or `lower` itself
  // when no rule applies (proper nouns, other tags, unknown words). The view
  // points into the lemmatizer's tables or into `lower`.
  std::string_view Lemma(std::string_view lower, Pos pos) const;

  // Sets Token::lemma of tokens [first, last): Lemma(lower, pos) for verbs,
  // common nouns and adjectives, clitics expanded, `lower` otherwise.
  void Lemmatize(Document* doc, uint32_t first, uint32_t last) const;

 private:
  enum Cat { kVerb = 0, kNoun = 1, kAdj = 2, kNumCats = 3 };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Set = std::unordered_set<std::string, StringHash, std::equal_to<>>;
  using Map = std::unordered_map<std::string, std::string, StringHash, std::equal_to<>>;

  Lemmatizer() = default;
  std::string_view Morphy(std::string_view lower, Cat cat, bool base_first) const;
  // The stored copy of `word` when it is a lemma of category `cat`.
  const std::string* InIndex(std::string_view word, Cat cat) const;

  Set index_[kNumCats];       // Lemmas (spaces as '_').
  Map exceptions_[kNumCats];  // Irregular form -> lemma.
  Map clitics_;               // "n't" -> "not", ...
};

}  // namespace kg::ingest
