// `kg parse` on articles: the pipeline's own sentences and tokens, tagged,
// lemmatised and parsed as in Pipeline::Process, written as CoNLL-U.
#pragma once

#include <memory>
#include <string>

#include "graph/status.h"
#include "ingest/pipeline.h"
#include "nlp/analyzer.h"

namespace kg {

namespace ingest {
class Lemmatizer;
}

class ArticleParser {
 public:
  // Uses `analyzer` (which must outlive this object) and loads WordNet from
  // options.wordnet_dir for the lemmas. Errors name the file at fault.
  static Result<std::unique_ptr<ArticleParser>> Create(const nlp::Analyzer& analyzer,
                                                       const PipelineOptions& options);
  ~ArticleParser();
  ArticleParser(const ArticleParser&) = delete;
  ArticleParser& operator=(const ArticleParser&) = delete;

  // Appends the article's sentences: "# sent_id = ID-N" (N from 1), "# text"
  // (the sentence as in the article, line breaks as spaces), one line per
  // token with FORM (the token's text), LEMMA (WordNet, as the pipeline
  // computes it), UPOS, XPOS, HEAD and DEPREL, and MISC "TokenRange=B:E"
  // (code-point offsets into the article text, end exclusive) plus
  // "SpaceAfter=No" where no space follows. Datelines and skipped sentences
  // (too long, no letters) are not written. Fails only for an article that
  // CheckArticleText refuses. Thread-safe.
  Status AppendConllu(const Article& article, std::string* out) const;

 private:
  ArticleParser(const nlp::Analyzer& analyzer, const PipelineOptions& options,
                std::unique_ptr<ingest::Lemmatizer> lemmatizer);
  const nlp::Analyzer& analyzer_;
  PipelineOptions options_;
  std::unique_ptr<ingest::Lemmatizer> lemmatizer_;
};

}  // namespace kg
