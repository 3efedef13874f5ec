// The language layer's one-call entry point: tags and parses a sentence of
// word forms with a shared Tagger and Parser. Immutable and thread-safe;
// each thread keeps an AnalyzerScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
#include "nlp/parser.h"
#include "nlp/tagger.h"

namespace kg::nlp {

// One analysed word. Names point into the models (valid while the Analyzer
// lives).
struct AnalyzedWord {
  Upos upos = Upos::kX;
  std::string_view xpos;    // Penn Treebank tag.
  int head = 0;             // 0 for the root, else 1..n.
  std::string_view deprel;  // UD relation, with subtype ("nsubj:pass").
  uint16_t tag = 0;         // Tagger class.
  uint16_t label = 0;       // Parser label number.
};

struct AnalyzerScratch {
  TaggerScratchPtr tagger = NewTaggerScratch();
  ParserScratchPtr parser = NewParserScratch();
  std::vector<uint16_t> tags;
  std::vector<ParserWord> words;
  std::vector<int> heads;
  std::vector<uint16_t> labels;
};

// Where the shipped models live: data/models/tagger.kgm and parser.kgm.
inline constexpr std::string_view kModelFolder = "models";
inline constexpr std::string_view kTaggerModelFile = "tagger.kgm";
inline constexpr std::string_view kParserModelFile = "parser.kgm";

class Analyzer {
 public:
  static Result<std::unique_ptr<Analyzer>> Load(const std::string& tagger_path,
                                                const std::string& parser_path);
  // Loads model_dir/tagger.kgm and model_dir/parser.kgm.
  static Result<std::unique_ptr<Analyzer>> LoadFromDir(const std::string& model_dir);
  Analyzer(std::unique_ptr<Tagger> tagger, std::unique_ptr<Parser> parser)
      : tagger_(std::move(tagger)), parser_(std::move(parser)) {}

  // Tags and parses `forms` into *out (resized to forms.size()).
  void Analyze(std::span<const std::string_view> forms, std::vector<AnalyzedWord>* out,
               AnalyzerScratch* scratch) const;
  // Tags only (head 0 and empty deprel for every word).
  void TagOnly(std::span<const std::string_view> forms, std::vector<AnalyzedWord>* out,
               AnalyzerScratch* scratch) const;
  // Parses words tagged by TagOnly (*words keeps its tags, gets heads and
  // relations): Analyze in two steps, for callers that parse only some of
  // the sentences they tag.
  void ParseTagged(std::span<const std::string_view> forms, std::vector<AnalyzedWord>* words,
                   AnalyzerScratch* scratch) const;

  const Tagger& tagger() const { return *tagger_; }
  const Parser& parser() const { return *parser_; }

 private:
  std::unique_ptr<Tagger> tagger_;
  std::unique_ptr<Parser> parser_;
};

}  // namespace kg::nlp
