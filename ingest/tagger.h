// Part-of-speech tagger: a bigram hidden Markov model decoded with Viterbi,
// using the trained model of Lingua::EN::Tagger (Debian package
// liblingua-en-tagger-perl, GPL-3): tags.yml (tag transition
// probabilities), words.yml (word -> tag counts, Penn Treebank) and
// unknown.yml (tag counts for classes of unknown words).
//
// Emissions are P(word | tag) computed from the counts; unknown words are
// classified as in Lingua (number, ordinal, abbreviation, hyphenated,
// capitalized, -ing, -s, -tion, -ly, -ed), except that the catch-all class
// also allows base verb forms so that "will deploy" reads MD VB.
//
// Immutable after Load(); Tag() is thread-safe (scratch space is per thread).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/status.h"
#include "ingest/document.h"

namespace kg::ingest {

class Tagger {
 public:
  // Reads tags.yml, words.yml and unknown.yml from `model_dir` (Debian:
  // /usr/share/perl5/Lingua/EN/Tagger). Errors name the file (and line).
  static Result<std::unique_ptr<Tagger>> Load(const std::string& model_dir);

  Tagger(const Tagger&) = delete;
  Tagger& operator=(const Tagger&) = delete;

  // Sets Token::pos of tokens [first_token, last_token) (normally one
  // sentence) to the most probable tag sequence. Uses norm, lower and the
  // quote/capitalisation flags set by SplitAndTokenize.
  void Tag(Document* doc, uint32_t first_token, uint32_t last_token) const;

  // Number of words in the lexicon (for diagnostics).
  size_t lexicon_size() const { return lexicon_.size(); }

 private:
  static constexpr size_t kNumTags = static_cast<size_t>(Pos::kRRB) + 1;

  struct Candidate {
    Pos pos;
    float log_emission;  // log P(word | tag), up to a per-word constant.
  };
  struct Entry {
    uint32_t first = 0;  // Range in candidates_.
    uint32_t count = 0;
    bool has_jj = false;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Map = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;

  Tagger() = default;
  const Entry* Find(std::string_view word) const;
  bool HasTag(const Entry& e, Pos pos) const;
  const Entry& Lookup(const Token& token, bool shouting) const;
  const Entry& Classify(const Token& token) const;
  const Entry& Class(std::string_view name) const;

  Map lexicon_;  // Word (case-sensitive) -> entries_ index.
  Map classes_;  // "-cap-", "*NUM*", ... -> entries_ index.
  std::vector<Entry> entries_;
  std::vector<Candidate> candidates_;
  uint32_t fallback_ = 0;                      // Entry used when no class applies.
  float transition_[kNumTags][kNumTags] = {};  // log P(next | prev).
};

}  // namespace kg::ingest
